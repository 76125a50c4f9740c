#include "grading.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "expression.hpp"
#include "text.hpp"

namespace riskledger {

Decision decide(const Rules& rules, const RecordBatch& batch, size_t row, std::span<double> points) {
  Decision d;
  d.score = score_record(rules, batch, row, points);
  if (!d.score.ok) return d;
  for (size_t g = 0; g < rules.grades.size(); ++g) {
    if (d.score.units >= rules.grades[g].min_units) {
      d.threshold_grade = static_cast<int>(g);
      break;
    }
  }
  // Grades are validated so that the lowest one catches every score; keep a
  // guard anyway for scores below it.
  if (d.threshold_grade < 0) d.threshold_grade = static_cast<int>(rules.grades.size()) - 1;
  d.grade = d.threshold_grade;
  for (size_t o = 0; o < rules.overrides.size(); ++o) {
    const auto& ov = rules.overrides[o];
    if (!evaluate(*ov.expr, batch, row)) continue;
    // `grade` sets the grade; `at_least` only raises it (lower index = higher grade).
    const int next = ov.at_least ? std::min(d.grade, ov.grade) : ov.grade;
    if (next == d.grade) continue;  // fired, but changed nothing
    d.grade = next;
    d.decided_by = static_cast<int>(o);
  }
  return d;
}

std::string unscorable_reason(const Rules& rules, const RecordBatch& batch, size_t row) {
  const auto& category = rules.fields[static_cast<size_t>(rules.category_field)];
  const auto c = static_cast<size_t>(batch.num(rules.category_field, row));
  return fmt::format("no indicator of category {} has a value", category.values[c].code);
}

std::string decided_by_text(const Rules& rules, const Decision& d) {
  std::string out;
  if (d.decided_by >= 0) {
    const auto& ov = rules.overrides[static_cast<size_t>(d.decided_by)];
    out = fmt::format("override {}: {}", ov.name, ov.when);
  } else {
    const auto& g = rules.grades[static_cast<size_t>(d.grade)];
    out = fmt::format("threshold {}: {} >= {}", g.name, format_fixed(d.score.units, rules.precision), g.min);
  }
  if (d.score.unmeasured != 0) {
    out += "; not measured: ";
    bool first = true;
    for (size_t j = 0; j < rules.indicators.size(); ++j) {
      if (!(d.score.unmeasured >> j & 1)) continue;
      if (!first) out += ", ";
      out += rules.indicators[j].name;
      first = false;
    }
  }
  return out;
}

std::string top_factors_text(const Rules& rules, const RecordBatch& batch, size_t row,
                             std::span<const double> points) {
  if (rules.method == Method::Matrix) {
    return fmt::format("{} {} x {} {}", rules.fields[static_cast<size_t>(rules.matrix_likelihood)].name,
                       batch.num(rules.matrix_likelihood, row),
                       rules.fields[static_cast<size_t>(rules.matrix_severity)].name,
                       batch.num(rules.matrix_severity, row));
  }
  // Indicators ordered by rounded points descending, then file order.
  std::array<std::pair<int64_t, size_t>, 64> ranked{};
  size_t n = 0;
  for (size_t j = 0; j < points.size(); ++j) {
    if (is_missing(points[j])) continue;
    const int64_t units = to_units(points[j], rules.precision);
    if (units > 0) ranked[n++] = {units, j};
  }
  std::stable_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string out;
  for (size_t i = 0; i < std::min<size_t>(n, 3); ++i) {
    if (i > 0) out += "; ";
    out += rules.indicators[ranked[i].second].name;
    out += ' ';
    out += format_fixed(ranked[i].first, rules.precision);
  }
  return out;
}

std::optional<Day> deadline(const Rules& rules, const RecordBatch& batch, size_t row, int grade) {
  if (rules.found_on_field < 0 || grade < 0) return std::nullopt;
  const double found = batch.num(rules.found_on_field, row);
  if (is_missing(found)) return std::nullopt;
  return static_cast<Day>(found) + rules.grades[static_cast<size_t>(grade)].deadline_days;
}

bool overdue(const Rules& rules, const RecordBatch& batch, size_t row, std::optional<Day> due, Day as_of) {
  if (!due || as_of <= *due) return false;
  if (rules.status_field < 0) return true;
  const double status = batch.num(rules.status_field, row);
  if (is_missing(status)) return true;
  const auto& code =
      rules.fields[static_cast<size_t>(rules.status_field)].values[static_cast<size_t>(status)].code;
  return code != "resolved" && code != "closed";
}

}  // namespace riskledger
