#include "labels.hpp"

#include <algorithm>
#include <array>

#include "text.hpp"

namespace riskledger {

std::string_view indicator_label(const Rules& rules, size_t indicator) {
  const auto& ind = rules.indicators[indicator];
  if (ind.field >= 0) {
    const auto& f = rules.fields[static_cast<size_t>(ind.field)];
    if (!f.label.empty()) return f.label;
  }
  return ind.name;
}

namespace {

std::string_view field_label(const Rules& rules, int field) {
  const auto& f = rules.fields[static_cast<size_t>(field)];
  return f.label.empty() ? std::string_view(f.name) : std::string_view(f.label);
}

}  // namespace

void append_grade_zh(std::string& out, const Rules& rules, size_t grade) {
  const auto& g = rules.grades[grade];
  out += g.name;
  if (!std::string_view(g.name).ends_with("级")) out += "级";
  if (!g.label.empty()) {
    out += "（";
    out += g.label;
    out += "）";
  }
}

std::string grade_text_zh(const Rules& rules, size_t grade) {
  std::string out;
  append_grade_zh(out, rules, grade);
  return out;
}

int grade_of_text(const Rules& rules, std::string_view text) {
  text = trim(text);
  const int exact = rules.find_grade(text);
  if (exact >= 0) return exact;
  for (size_t i = 0; i < rules.grades.size(); ++i) {
    const auto& g = rules.grades[i];
    if (text == grade_text_zh(rules, i) || (!g.label.empty() && text == g.label) || text == g.name + "级")
      return static_cast<int>(i);
  }
  return -1;
}

DecisionText::DecisionText(const Rules& rules, bool zh)
    : precision_(rules.precision), matrix_(rules.method == Method::Matrix) {
  for (const auto& ov : rules.overrides) {
    auto& t = override_.emplace_back();
    if (zh) {
      t = "规则 " + ov.name;
      if (!ov.reason.empty()) t += "（" + ov.reason + "）";
      t += "：" + ov.when;
    } else {
      t = "override " + ov.name + ": " + ov.when;
    }
  }
  for (const auto& grade : rules.grades) {
    before_score_.push_back(zh ? "得分 " : "threshold " + grade.name + ": ");
    after_score_.push_back(zh ? " ≥ " + grade.name + "级线 " + grade.min_text : " >= " + grade.min_text);
  }
  unmeasured_ = zh ? "；未测：" : "; not measured: ";
  unmeasured_separator_ = zh ? "、" : ", ";
  for (size_t j = 0; j < rules.indicators.size(); ++j) {
    const std::string name(zh ? indicator_label(rules, j) : std::string_view(rules.indicators[j].name));
    indicator_.push_back(name);
    factor_first_.push_back(name + ' ');
    factor_next_.push_back((zh ? "；" : "; ") + name + ' ');
  }
  if (matrix_) {
    const auto name = [&](int f) {
      return std::string(zh ? field_label(rules, f)
                            : std::string_view(rules.fields[static_cast<size_t>(f)].name));
    };
    likelihood_ = name(rules.matrix_likelihood) + ' ';
    severity_ = (zh ? " × " : " x ") + name(rules.matrix_severity) + ' ';
  }
  const auto plain = [](const std::vector<std::string>& texts) {
    return std::all_of(texts.begin(), texts.end(), [](const std::string& t) { return is_plain_text(t); });
  };
  pieces_plain_ = plain(override_) && plain(before_score_) && plain(after_score_) && plain(indicator_) &&
                  plain(factor_first_) && plain(factor_next_) && plain({unmeasured_, likelihood_, severity_});
  separator_plain_ = is_plain_text(unmeasured_separator_);
}

template <class Out>
void DecisionText::decided_by(Out& out, const Graded& g) const {
  if (g.decided_by >= 0) {
    out += override_[static_cast<size_t>(g.decided_by)];
  } else {
    out += before_score_[static_cast<size_t>(g.grade)];
    append_fixed(out, g.units, precision_);
    out += after_score_[static_cast<size_t>(g.grade)];
  }
  if (g.unmeasured != 0) {
    out += unmeasured_;
    bool first = true;
    for (size_t j = 0; j < indicator_.size(); ++j) {
      if (!(g.unmeasured >> j & 1)) continue;
      if (!first) out += unmeasured_separator_;
      out += indicator_[j];
      first = false;
    }
  }
}

template <class Out>
void DecisionText::top_factors(Out& out, const Graded& g) const {
  if (matrix_) {
    out += likelihood_;
    append_fixed(out, g.factor_units[0], 0);
    out += severity_;
    append_fixed(out, g.factor_units[1], 0);
    return;
  }
  for (size_t i = 0; i < g.factors; ++i) {
    out += (i == 0 ? factor_first_ : factor_next_)[g.factor_index[i]];
    append_fixed(out, g.factor_units[i], precision_);
  }
}

template void DecisionText::decided_by(std::string&, const Graded&) const;
template void DecisionText::decided_by(RowBuffer&, const Graded&) const;
template void DecisionText::top_factors(std::string&, const Graded&) const;
template void DecisionText::top_factors(RowBuffer&, const Graded&) const;

std::string color_hex(std::string_view color) {
  struct Named {
    const char* name;
    const char* hex;
  };
  // Strong enough to read as a fill behind black text on screen and paper.
  static constexpr std::array<Named, 9> kNamed{{
      {"red", "#E53935"},
      {"orange", "#FB8C00"},
      {"yellow", "#FDD835"},
      {"green", "#43A047"},
      {"blue", "#1E88E5"},
      {"purple", "#8E24AA"},
      {"gray", "#9E9E9E"},
      {"grey", "#9E9E9E"},
      {"black", "#212121"},
  }};
  const auto name = trim(color);
  for (const auto& n : kNamed)
    if (iequals_ascii(name, n.name)) return n.hex;
  if (name.size() == 7 && name[0] == '#') {
    std::string hex = "#";
    for (size_t i = 1; i < 7; ++i) {
      const char c = name[i];
      const bool digit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!digit) return {};
      hex += static_cast<char>(c >= 'a' ? c - 'a' + 'A' : c);
    }
    return hex;
  }
  return {};
}

std::string grade_color_hex(const Rules& rules, size_t grade) {
  static constexpr std::array<const char*, 5> kDefaults{"red", "orange", "yellow", "blue", "gray"};
  const auto& c = rules.grades[grade].color;
  if (!c.empty()) {
    auto hex = color_hex(c);
    if (!hex.empty()) return hex;
  }
  return color_hex(kDefaults[std::min(grade, kDefaults.size() - 1)]);
}

}  // namespace riskledger
