#include "messages.hpp"

#include <array>
#include <cmath>

#include <fmt/format.h>

#include "labels.hpp"
#include "text.hpp"

namespace riskledger {

namespace {

// Each kind by how its English text starts (records.cpp, pipeline.cpp,
// grading.cpp write them).
struct KnownReason {
  ReasonKind kind;
  std::string_view starts;
};
constexpr std::array<KnownReason, 10> kKnown{{
    {ReasonKind::FieldCount, "expected "},
    {ReasonKind::IdControl, "an id cannot hold a line break"},
    {ReasonKind::RequiredEmpty, "required value is empty"},
    {ReasonKind::NotNumber, "not a number"},
    {ReasonKind::NotWhole, "not a whole number"},
    {ReasonKind::OutOfRange, "out of range"},
    {ReasonKind::BadDate, "not a valid date"},
    {ReasonKind::UnknownValue, "unknown "},
    {ReasonKind::DuplicateId, "duplicate id"},
    {ReasonKind::Unscorable, "no indicator of category "},
}};

const FieldSpec* field_of(const Rules& rules, std::string_view name) {
  const int f = rules.find_field(name);
  return f < 0 ? nullptr : &rules.fields[static_cast<size_t>(f)];
}

// A field's range in Chinese, as range_text() gives it in English:
// "（应在 1 到 5 之间）", "（应不小于 0）", "（应不大于 100）", or "".
std::string range_zh(const FieldSpec* f) {
  if (f == nullptr || (std::isinf(f->min) && std::isinf(f->max))) return "";
  if (std::isinf(f->max)) return fmt::format("（应不小于 {}）", f->min);
  if (std::isinf(f->min)) return fmt::format("（应不大于 {}）", f->max);
  return fmt::format("（应在 {} 到 {} 之间）", f->min, f->max);
}

// An enum value as a Chinese reader knows it: its label, else its code.
std::string_view value_zh(const EnumValue& v) {
  return v.label.empty() ? v.code : v.label;
}

// "expected 5 fields, found 4" -> 5, 4 (0 for a number not found).
std::pair<uint64_t, uint64_t> field_counts(std::string_view reason) {
  std::array<uint64_t, 2> n{};
  size_t k = 0;
  for (size_t i = 0; i < reason.size() && k < n.size(); ++i) {
    if (reason[i] < '0' || reason[i] > '9') continue;
    while (i < reason.size() && reason[i] >= '0' && reason[i] <= '9')
      n[k] = n[k] * 10 + static_cast<uint64_t>(reason[i++] - '0');
    ++k;
  }
  return {n[0], n[1]};
}

// The text between `open` and the reason's last ')': "a.csv:3, b.csv:7".
std::string_view inside(std::string_view reason, std::string_view open) {
  const auto at = reason.find(open);
  if (at == std::string_view::npos) return {};
  auto rest = reason.substr(at + open.size());
  if (rest.ends_with(')')) rest.remove_suffix(1);
  return rest;
}

std::string reason_zh(const Problem& p, const Rules& rules) {
  const auto* f = field_of(rules, p.field);
  const std::string_view r = p.reason;
  switch (reason_kind(r)) {
    case ReasonKind::FieldCount: {
      const auto [want, got] = field_counts(r);
      return fmt::format("应有 {} 个字段，实有 {} 个", want, got);
    }
    case ReasonKind::IdControl: return "编号不能含换行、制表符或其他控制字符";
    case ReasonKind::RequiredEmpty: return "必填项为空";
    case ReasonKind::NotNumber: return "不是数字" + range_zh(f);
    case ReasonKind::NotWhole: return "不是整数";
    case ReasonKind::OutOfRange: return "超出范围" + range_zh(f);
    case ReasonKind::BadDate: return "不是有效日期（应为 YYYY-MM-DD）";
    case ReasonKind::UnknownValue: {
      if (f == nullptr || f->values.empty()) break;
      std::string out = fmt::format("未知的{}（应为", field_text(p.field, rules, Lang::Zh));
      for (size_t i = 0; i < f->values.size(); ++i) {
        out += i == 0 ? "：" : "、";
        out += value_zh(f->values[i]);
      }
      return out + "）";
    }
    case ReasonKind::DuplicateId: {
      // The other places are "file:line" joined by ", ".
      std::string places(inside(r, "(also at "));
      for (size_t at = 0; (at = places.find(", ", at)) != std::string::npos;) places.replace(at, 2, "、");
      return places.empty() ? "编号重复" : fmt::format("编号重复（另见 {}）", places);
    }
    case ReasonKind::Unscorable: {
      if (rules.category_field < 0) break;
      const auto& category = rules.fields[static_cast<size_t>(rules.category_field)];
      auto code = r.substr(kKnown[9].starts.size());
      code = code.substr(0, code.find(' '));
      const int v = category.find_value(code);
      return fmt::format("“{}”类别的指标均无取值，无法评分",
                         v < 0 ? code : value_zh(category.values[static_cast<size_t>(v)]));
    }
    case ReasonKind::Other: break;
  }
  return p.reason;
}

}  // namespace

ReasonKind reason_kind(std::string_view reason) {
  for (const auto& k : kKnown)
    if (reason.starts_with(k.starts)) {
      // "expected N fields, found M" only; "unknown FIELD (expected one of: …)" only.
      if (k.kind == ReasonKind::FieldCount && reason.find(" fields, found ") == std::string_view::npos)
        return ReasonKind::Other;
      if (k.kind == ReasonKind::UnknownValue && reason.find(" (expected one of: ") == std::string_view::npos)
        return ReasonKind::Other;
      return k.kind;
    }
  return ReasonKind::Other;
}

std::string reason_text(const Problem& p, const Rules& rules, Lang lang) {
  return lang == Lang::Zh ? reason_zh(p, rules) : p.reason;
}

std::string field_text(std::string_view field, const Rules& rules, Lang lang) {
  if (lang == Lang::Zh)
    if (const auto* f = field_of(rules, field); f != nullptr && !f->label.empty()) return f->label;
  return std::string(field);
}

std::string format_rejects(const std::vector<Problem>& problems, const Rules& rules, Lang lang) {
  if (lang == Lang::En) return format_rejects_csv(problems);
  // The same rows with the field's label and the Chinese reason (built from
  // the field's canonical name, so the reason first), under a Chinese header.
  auto zh = problems;
  for (auto& p : zh) {
    p.reason = reason_zh(p, rules);
    p.field = field_text(p.field, rules, lang);
  }
  auto out = format_rejects_csv(zh);
  out.replace(0, out.find('\n'), "文件,行号,编号,字段,值,原因");
  return out;
}

std::string problem_line(const Problem& p, const Rules& rules, Lang lang) {
  if (lang == Lang::En) return format_problem(p);
  if (p.field.empty()) return fmt::format("{}:{}: {}", p.file, p.line, reason_zh(p, rules));
  return fmt::format("{}:{}: {}='{}'：{}", p.file, p.line, field_text(p.field, rules, lang), p.value,
                     reason_zh(p, rules));
}

std::string counts_line(const GradedRun& run, const Rules& rules, Lang lang) {
  std::string grades;
  if (lang == Lang::En) {
    for (size_t g = 0; g < rules.grades.size(); ++g)
      grades += fmt::format("{}{} {}", g ? ", " : "", rules.grades[g].name, run.per_grade[g]);
    return fmt::format("read {}, graded {}, rejected {} ({})", run.read, run.graded.size(), run.rejected,
                       grades);
  }
  for (size_t g = 0; g < rules.grades.size(); ++g) {
    const auto name = grade_text_zh(rules, g);  // "A级（重大）2 条", "A级 2 条"
    grades +=
        fmt::format("{}{}{}{} 条", g ? "，" : "", name, name.ends_with("）") ? "" : " ", run.per_grade[g]);
  }
  return fmt::format("读取 {} 条，定级 {} 条，剔除 {} 条；{}", run.read, run.graded.size(), run.rejected,
                     grades);
}

std::string rejects_line(uint64_t rejected, const std::string& path, Lang lang) {
  if (lang == Lang::Zh) return fmt::format("剔除 {} 条记录，详见 {}", rejected, path);
  return fmt::format("{} record{} rejected: see {}", rejected, rejected == 1 ? "" : "s", path);
}

std::string strict_line(uint64_t rejected, Lang lang) {
  if (lang == Lang::Zh) return fmt::format("riskledger: --strict：剔除 {} 条记录，未写出任何文件", rejected);
  return fmt::format("riskledger: --strict: {} record{} rejected, nothing written", rejected,
                     rejected == 1 ? "" : "s");
}

}  // namespace riskledger
