#include "labels.hpp"

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

template <class Out>
void append_decided_by_zh(Out& out, const Rules& rules, const Graded& g) {
  if (g.decided_by >= 0) {
    const auto& ov = rules.overrides[static_cast<size_t>(g.decided_by)];
    out += "规则 ";
    out += ov.name;
    if (!ov.reason.empty()) {
      out += "（";
      out += ov.reason;
      out += "）";
    }
    out += "：";
    out += ov.when;
  } else {
    const auto& grade = rules.grades[static_cast<size_t>(g.grade)];
    out += "得分 ";
    append_fixed(out, g.units, rules.precision);
    out += " ≥ ";
    out += grade.name;
    out += "级线 ";
    out += grade.min_text;
  }
  if (g.unmeasured != 0) {
    out += "；未测：";
    bool first = true;
    for (size_t j = 0; j < rules.indicators.size(); ++j) {
      if (!(g.unmeasured >> j & 1)) continue;
      if (!first) out += "、";
      out += indicator_label(rules, j);
      first = false;
    }
  }
}

template <class Out>
void append_top_factors_zh(Out& out, const Rules& rules, const Graded& g) {
  if (rules.method == Method::Matrix) {
    out += field_label(rules, rules.matrix_likelihood);
    out += ' ';
    append_fixed(out, g.factor_units[0], 0);
    out += " × ";
    out += field_label(rules, rules.matrix_severity);
    out += ' ';
    append_fixed(out, g.factor_units[1], 0);
    return;
  }
  for (size_t i = 0; i < g.factors; ++i) {
    if (i > 0) out += "；";
    out += indicator_label(rules, g.factor_index[i]);
    out += ' ';
    append_fixed(out, g.factor_units[i], rules.precision);
  }
}
template void append_decided_by_zh(std::string&, const Rules&, const Graded&);
template void append_decided_by_zh(RowBuffer&, const Rules&, const Graded&);
template void append_top_factors_zh(std::string&, const Rules&, const Graded&);
template void append_top_factors_zh(RowBuffer&, const Rules&, const Graded&);

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
