#pragma once
// Scoring: one record and the rules in, a score out. Nothing here looks at
// any other record (design principle 1).
#include <cstdint>
#include <span>

#include "records.hpp"
#include "rules.hpp"

namespace riskledger {

// Rounds a value to `precision` decimals, half away from zero, returning an
// integer count of 10^-precision units. The value is first snapped to 9
// decimals (round(x * 1e9)), which removes binary floating-point noise so
// that a sum that is 72.405 in decimal arithmetic rounds to 72.41 even when
// its double is 72.40499999999999.
int64_t to_units(double value, int precision);

struct Score {
  bool ok = false;          // false when no indicator of the category was measured
  double raw = 0;           // clamp(scale * sum of points, 0, scale)
  int64_t units = 0;        // the score in 10^-precision units (what is printed and graded)
  uint64_t unmeasured = 0;  // bit j: indicator j has weight for the category but no value
};

// Weighted method, for a record of category c:
//   w_j    = rules.weights[c][j]             (row already normalised to sum 1)
//   s_j    = transform_j(field value)        only for measured indicators (value present)
//   M      = sum of w_j over measured j      (in indicator file order)
//   points_j = scale * (w_j / M) * s_j       (so unmeasured weight is redistributed
//                                             proportionally over measured indicators)
//   raw    = clamp(sum_j points_j, 0, scale) (in indicator file order)
//   score  = to_units(raw, precision)
// Matrix method: raw = likelihood * severity (rules.matrix_*), exact.
//
// `points` (size rules.indicators.size(), or empty) receives points_j, NaN
// for indicators that are unmeasured or carry no weight for the category.
Score score_record(const Rules& rules, const RecordBatch& batch, size_t row, std::span<double> points);

// The sub-score of indicator `ind` for a field value (not missing).
double sub_score(const Indicator& ind, double value);

}  // namespace riskledger
