#pragma once
// Scoring: one record and the rules in, a score out. Nothing here looks at
// any other record (design principle 1).
#include <cmath>
#include <cstdint>
#include <span>

#include "records.hpp"
#include "rules.hpp"

namespace riskledger {

// std::llround (half away from zero) without a call into the maths library,
// for every value below 2^62 in magnitude; the rest go to std::llround.
inline int64_t round_half_away(double x) {
  if (!(std::fabs(x) < 0x1p62)) return std::llround(x);
  const auto whole = static_cast<int64_t>(x);                     // toward zero
  const double rest = x - static_cast<double>(whole);             // the fraction: exact
  return whole + (rest >= 0.5 ? 1 : 0) - (rest <= -0.5 ? 1 : 0);  // no branch to mispredict
}

// Rounds a value to `precision` decimals, half away from zero, returning an
// integer count of 10^-precision units. The value is first snapped to 9
// decimals (round(x * 1e9)), which removes binary floating-point noise so
// that a sum that is 72.405 in decimal arithmetic rounds to 72.41 even when
// its double is 72.40499999999999.
inline int64_t to_units(double value, int precision) {
  // n: the value in units of 1e-9, rounded half away from zero; then n / d
  // for d = 10^(9 - precision), rounded half away from zero (each d a
  // constant, so the division is a multiplication).
  const int64_t n = round_half_away(value * 1e9);
  const auto divide = [n]<int64_t d>() { return n >= 0 ? (n + d / 2) / d : -((-n + d / 2) / d); };
  switch (precision) {
    case 0: return divide.operator()<1000000000>();
    case 1: return divide.operator()<100000000>();
    case 2: return divide.operator()<10000000>();
    case 3: return divide.operator()<1000000>();
    case 4: return divide.operator()<100000>();
    case 5: return divide.operator()<10000>();
    case 6: return divide.operator()<1000>();
    case 7: return divide.operator()<100>();
    case 8: return divide.operator()<10>();
    default: return n;  // 9 or more decimals: n itself
  }
}

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
