#include "grading.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "expression.hpp"
#include "labels.hpp"
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

Graded summarize(const Rules& rules, const RecordBatch& batch, size_t row) {
  std::array<double, 64> points;  // decide() sets each one used
  const std::span<double> pts(points.data(), rules.indicators.size());
  const auto d = decide(rules, batch, row, pts);
  Graded g;
  g.row = static_cast<uint32_t>(row);
  g.at = batch.at[row];
  g.grade = static_cast<int16_t>(d.grade);
  if (d.grade < 0) return g;
  g.units = d.score.units;
  g.unmeasured = d.score.unmeasured;
  g.decided_by = static_cast<int16_t>(d.decided_by);
  if (const auto due = deadline(rules, batch, row, d.grade)) g.deadline = *due;
  g.closed = is_closed(rules, batch, row);
  if (rules.method == Method::Matrix) {
    g.factor_units[0] = static_cast<int64_t>(batch.num(rules.matrix_likelihood, row));
    g.factor_units[1] = static_cast<int64_t>(batch.num(rules.matrix_severity, row));
    return g;
  }
  // The three largest rounded contributions, ties in indicator file order.
  // Each is a key, units << 8 | (255 - j), so a larger key comes first
  // (units are below 2^40: scale is at most 10^6, precision 6; j below 64),
  // kept in order by masks, not by branches: which indicators have points,
  // and which of two keys is larger, changes from record to record, and a
  // branch on it is mispredicted often.
  uint64_t top[3] = {0, 0, 0};
  for (size_t j = 0; j < pts.size(); ++j) {
    const double p = is_missing(pts[j]) ? 0.0 : pts[j];  // not measured, or no weight: no points
    const int64_t units = to_units(p, rules.precision);
    uint64_t key = (static_cast<uint64_t>(units) << 8 | (255 - j)) & (0 - static_cast<uint64_t>(units > 0));
    for (auto& t : top) {
      const uint64_t swap = (t ^ key) & (0 - static_cast<uint64_t>(key > t));
      key ^= swap;  // the smaller of the two goes on
      t ^= swap;    // the larger stays
    }
  }
  for (size_t k = 0; k < 3 && top[k] != 0; ++k) {
    g.factor_units[k] = static_cast<int64_t>(top[k] >> 8);
    g.factor_index[k] = static_cast<uint8_t>(255 - (top[k] & 0xFF));
    g.factors = static_cast<uint8_t>(k + 1);
  }
  return g;
}

std::string decided_by_text(const Rules& rules, const Decision& d) {
  Graded g;
  g.units = d.score.units;
  g.unmeasured = d.score.unmeasured;
  g.grade = static_cast<int16_t>(d.grade);
  g.decided_by = static_cast<int16_t>(d.decided_by);
  std::string out;
  DecisionText(rules, false).decided_by(out, g);
  return out;
}

std::string top_factors_text(const Rules& rules, const RecordBatch& batch, size_t row) {
  std::string out;
  DecisionText(rules, false).top_factors(out, summarize(rules, batch, row));
  return out;
}

std::optional<Day> deadline(const Rules& rules, const RecordBatch& batch, size_t row, int grade) {
  if (rules.found_on_field < 0 || grade < 0) return std::nullopt;
  const double found = batch.num(rules.found_on_field, row);
  if (is_missing(found)) return std::nullopt;
  return static_cast<Day>(found) + rules.grades[static_cast<size_t>(grade)].deadline_days;
}

bool is_closed(const Rules& rules, const RecordBatch& batch, size_t row) {
  if (rules.status_field < 0) return false;
  const double status = batch.num(rules.status_field, row);
  if (is_missing(status)) return false;
  return rules.fields[static_cast<size_t>(rules.status_field)].values[static_cast<size_t>(status)].closes();
}

bool overdue(const Rules& rules, const RecordBatch& batch, size_t row, std::optional<Day> due, Day as_of) {
  return due && as_of > *due && !is_closed(rules, batch, row);
}

}  // namespace riskledger
