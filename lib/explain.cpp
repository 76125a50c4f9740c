#include "explain.hpp"

#include <array>

#include <fmt/format.h>

#include "expression.hpp"
#include "text.hpp"

namespace riskledger {

Explanation explain_record(const Rules& rules, const RecordBatch& batch, size_t row, const std::string& file,
                           Day as_of) {
  Explanation e;
  e.id = batch.str(rules.id_field, row);
  if (const int t = rules.find_field("title");
      t >= 0 && rules.fields[static_cast<size_t>(t)].type == FieldType::String)
    e.title = batch.str(t, row);
  const auto& category = rules.fields[static_cast<size_t>(rules.category_field)];
  const auto c = static_cast<size_t>(batch.num(rules.category_field, row));
  e.category = category.values[c].code;
  e.file = file;
  e.line = batch.lines[row];
  e.as_of = as_of;

  std::array<double, 64> points{};
  const std::span<double> pts(points.data(), rules.indicators.size());
  e.decision = decide(rules, batch, row, pts);
  if (rules.method == Method::Matrix) {
    e.matrix_likelihood = batch.num(rules.matrix_likelihood, row);
    e.matrix_severity = batch.num(rules.matrix_severity, row);
  }

  if (rules.method == Method::Weighted) {
    double measured_weight = 0;
    for (size_t j = 0; j < rules.indicators.size(); ++j)
      if (!is_missing(pts[j])) measured_weight += rules.weights[c][j];
    for (size_t j = 0; j < rules.indicators.size(); ++j) {
      const auto& ind = rules.indicators[j];
      IndicatorStep s;
      s.name = ind.name;
      s.field = rules.fields[static_cast<size_t>(ind.field)].name;
      s.value = field_text(rules, batch, ind.field, row);
      s.weight = rules.weights[c][j];
      s.weighted = s.weight > 0;
      s.measured = !is_missing(pts[j]);
      if (s.measured) {
        s.sub_score = sub_score(ind, batch.num(ind.field, row));
        s.effective = s.weight / measured_weight;
        s.points = pts[j];
      }
      e.indicators.push_back(std::move(s));
    }
  }
  for (size_t o = 0; o < rules.overrides.size(); ++o) {
    const auto& ov = rules.overrides[o];
    OverrideStep s;
    s.name = ov.name;
    s.when = ov.when;
    s.reason = ov.reason;
    s.action = fmt::format("{} {}", ov.at_least ? "at least" : "grade",
                           rules.grades[static_cast<size_t>(ov.grade)].name);
    s.fired = e.decision.grade >= 0 && evaluate(*ov.expr, batch, row);
    s.decided = e.decision.decided_by == static_cast<int>(o);
    e.overrides.push_back(std::move(s));
  }
  if (e.decision.grade >= 0) {
    e.deadline = deadline(rules, batch, row, e.decision.grade);
    e.overdue = overdue(rules, batch, row, e.deadline, as_of);
  }
  return e;
}

namespace {

std::string pts(const Rules& rules, int64_t units) {
  return format_fixed(units, rules.precision);
}

// Margins from the threshold grade: how far the score is above the floor of
// its grade, and how far below the next grade up.
std::string margin_text(const Rules& rules, const Decision& d) {
  const auto g = static_cast<size_t>(d.threshold_grade);
  const auto& grade = rules.grades[g];
  std::string out = fmt::format("{} above {}'s threshold ({})", pts(rules, d.score.units - grade.min_units),
                                grade.name, grade.min);
  if (g > 0)
    out +=
        fmt::format("; {} more to reach {} ({})", pts(rules, rules.grades[g - 1].min_units - d.score.units),
                    rules.grades[g - 1].name, rules.grades[g - 1].min);
  else
    out += "; top grade";
  return out;
}

}  // namespace

std::string explanation_text(const Rules& rules, const Explanation& e) {
  const auto& d = e.decision;
  std::string out;
  out += fmt::format("{}  {}\n", e.id, e.title);
  out += fmt::format("  input     {}:{}\n", e.file, e.line);
  out += fmt::format("  category  {}\n", e.category);
  out += fmt::format("  rules     {} {} ({}; method {}, scale {}, precision {})\n", rules.name, rules.version,
                     rules.source, rules.method == Method::Matrix ? "matrix" : "weighted", rules.scale,
                     rules.precision);
  if (rules.method == Method::Weighted) {
    out += "\n  indicator     field             value         sub-score  weight  effective  points\n";
    const int decimals = rules.precision + 4;
    for (const auto& s : e.indicators) {
      if (!s.weighted) continue;
      if (s.measured)
        out += fmt::format("  {:<13} {:<17} {:<13} {:<10.6f} {:<7.4f} {:<10.6f} {:.{}f}\n", s.name, s.field,
                           s.value, s.sub_score, s.weight, s.effective, s.points, decimals);
      else
        out += fmt::format("  {:<13} {:<17} {:<13} {:<10} {:<7.4f} {:<10} {}\n", s.name, s.field, "(empty)",
                           "-", s.weight, "-", "not measured; weight redistributed");
    }
    if (!d.score.ok) {
      out += "\n  no indicator of this category has a value: the record cannot be scored\n";
      return out;
    }
    out += fmt::format("  {:<13} {:<17} {:<13} {:<10} {:<7} {:<10} {:.{}f}\n", "raw score", "", "", "", "",
                       "", d.score.raw, decimals);
  } else {
    out += fmt::format("\n  matrix    {} {} x {} {} = {}\n",
                       rules.fields[static_cast<size_t>(rules.matrix_likelihood)].name, e.matrix_likelihood,
                       rules.fields[static_cast<size_t>(rules.matrix_severity)].name, e.matrix_severity,
                       d.score.raw);
  }
  out += fmt::format("  score     {} (rounded half away from zero to {} decimals)\n\n",
                     pts(rules, d.score.units), rules.precision);

  out += "  thresholds\n";
  for (size_t g = 0; g < rules.grades.size(); ++g) {
    const auto& grade = rules.grades[g];
    const char* note = static_cast<int>(g) == d.threshold_grade  ? "<- threshold grade"
                       : static_cast<int>(g) < d.threshold_grade ? "not reached"
                                                                 : "";
    auto line = fmt::format("    {:<3} min {:<8} {}", grade.name, grade.min, note);
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + '\n';
  }
  out += fmt::format("  margin    {}\n", margin_text(rules, d));
  if (!e.overrides.empty()) {
    out += "\n  overrides\n";
    for (const auto& o : e.overrides) {
      const char* outcome = !o.fired    ? "not fired"
                            : o.decided ? "fired, decides the grade"
                                        : "fired, no change";
      out += fmt::format("    {:<14} {:<24} {:<11} {:<25} {}\n", o.name, o.when, o.action, outcome, o.reason);
    }
  }
  const auto& grade = rules.grades[static_cast<size_t>(d.grade)];
  out += fmt::format("\n  grade     {} {} ({})\n", grade.name, grade.label, grade.color);
  out += fmt::format("  decided   {}\n", decided_by_text(rules, d));
  out += fmt::format("  handling  {}; lead {}; review {}\n", grade.handling, grade.lead, grade.review);
  if (e.deadline)
    out += fmt::format("  deadline  {} (found {} + {} days); overdue as of {}: {}\n",
                       format_date(*e.deadline), format_date(*e.deadline - grade.deadline_days),
                       grade.deadline_days, format_date(e.as_of), e.overdue ? "yes" : "no");
  return out;
}

std::string explanation_json(const Rules& rules, const Explanation& e) {
  const auto& d = e.decision;
  std::string out = "{";
  auto key = [&](std::string_view k) {
    if (out.size() > 1) out += ", ";
    append_json_string(out, k);
    out += ": ";
  };
  auto str = [&](std::string_view k, std::string_view v) {
    key(k);
    append_json_string(out, v);
  };
  str("id", e.id);
  str("title", e.title);
  str("category", e.category);
  str("file", e.file);
  key("line");
  out += std::to_string(e.line);
  str("rules", rules.name);
  str("rules_version", rules.version);
  str("method", rules.method == Method::Matrix ? "matrix" : "weighted");
  if (rules.method == Method::Matrix) {
    key("likelihood");
    out += fmt::format("{}", e.matrix_likelihood);
    key("severity");
    out += fmt::format("{}", e.matrix_severity);
  }
  key("indicators");
  out += '[';
  bool first = true;
  for (const auto& s : e.indicators) {
    if (!s.weighted) continue;
    if (!first) out += ", ";
    first = false;
    out += "{\"name\": ";
    append_json_string(out, s.name);
    out += ", \"field\": ";
    append_json_string(out, s.field);
    out += ", \"value\": ";
    if (s.value.empty())
      out += "null";
    else
      append_json_string(out, s.value);
    out += fmt::format(", \"measured\": {}, \"weight\": {}", s.measured, s.weight);
    if (s.measured)
      out += fmt::format(", \"sub_score\": {}, \"effective_weight\": {}, \"points\": {}", s.sub_score,
                         s.effective, s.points);
    out += '}';
  }
  out += ']';
  if (!d.score.ok) {
    key("scored");
    out += "false}\n";
    return out;
  }
  key("raw");
  out += fmt::format("{}", d.score.raw);
  key("score");
  out += format_fixed(d.score.units, rules.precision);
  str("threshold_grade", rules.grades[static_cast<size_t>(d.threshold_grade)].name);
  key("thresholds");
  out += '[';
  for (size_t g = 0; g < rules.grades.size(); ++g) {
    if (g > 0) out += ", ";
    out += "{\"grade\": ";
    append_json_string(out, rules.grades[g].name);
    out += fmt::format(", \"min\": {}}}", rules.grades[g].min);
  }
  out += ']';
  {
    // Margins as in the text form: above the threshold grade's floor, and up to the next grade.
    const auto g = static_cast<size_t>(d.threshold_grade);
    key("margin_above");
    out += format_fixed(d.score.units - rules.grades[g].min_units, rules.precision);
    key("margin_to_next");
    if (g > 0)
      out += format_fixed(rules.grades[g - 1].min_units - d.score.units, rules.precision);
    else
      out += "null";
  }
  key("overrides");
  out += '[';
  for (size_t i = 0; i < e.overrides.size(); ++i) {
    const auto& o = e.overrides[i];
    if (i > 0) out += ", ";
    out += "{\"name\": ";
    append_json_string(out, o.name);
    out += ", \"when\": ";
    append_json_string(out, o.when);
    out += ", \"action\": ";
    append_json_string(out, o.action);
    out += fmt::format(", \"fired\": {}, \"decided\": {}, \"reason\": ", o.fired, o.decided);
    append_json_string(out, o.reason);
    out += '}';
  }
  out += ']';
  const auto& grade = rules.grades[static_cast<size_t>(d.grade)];
  str("grade", grade.name);
  str("decided_by", decided_by_text(rules, d));
  str("handling", grade.handling);
  str("lead", grade.lead);
  key("deadline");
  if (e.deadline)
    append_json_string(out, format_date(*e.deadline));
  else
    out += "null";
  key("overdue");
  out += e.overdue ? "true" : "false";
  str("as_of", format_date(e.as_of));
  out += "}\n";
  return out;
}

}  // namespace riskledger
