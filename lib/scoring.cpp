#include "scoring.hpp"

#include <algorithm>
#include <cmath>

namespace riskledger {

double sub_score(const Indicator& ind, double v) {
  switch (ind.transform) {
    case Transform::Linear:
      // (v - lo) / (hi - lo), clamped to [0, 1]
      return std::clamp((v - ind.lo) / (ind.hi - ind.lo), 0.0, 1.0);
    case Transform::Log:
      // log10(1 + (v - lo)) / log10(1 + (hi - lo)), clamped to [0, 1]; the
      // divisor is the same for every value (log_span)
      return std::clamp(std::log10(1.0 + std::max(v - ind.lo, 0.0)) / ind.log_span, 0.0, 1.0);
    case Transform::Map: return ind.map_scores[static_cast<size_t>(v)];
    case Transform::Bins:
      for (const auto& bin : ind.bins)
        if (v <= bin.upper) return bin.score;
      return ind.bins.back().score;
  }
  return 0;
}

Score score_record(const Rules& rules, const RecordBatch& batch, size_t row, std::span<double> points) {
  Score score;
  if (rules.method == Method::Matrix) {
    // R = L x S, both required integers, so always present and exact.
    const double l = batch.num(rules.matrix_likelihood, row);
    const double s = batch.num(rules.matrix_severity, row);
    score.ok = true;
    score.raw = l * s;
    score.units = to_units(score.raw, rules.precision);
    std::fill(points.begin(), points.end(), kMissing);
    return score;
  }
  const auto category = static_cast<size_t>(batch.num(rules.category_field, row));
  const auto& w = rules.weights[category];
  const size_t k = rules.indicators.size();

  // Pass 1: sub-scores of measured indicators, and their weight sum M.
  double measured_weight = 0;
  double sub[64];
  for (size_t j = 0; j < k; ++j) {
    sub[j] = kMissing;
    if (w[j] == 0) continue;
    const double v = batch.num(rules.indicators[j].field, row);
    if (is_missing(v)) {
      score.unmeasured |= uint64_t{1} << j;
      continue;
    }
    sub[j] = sub_score(rules.indicators[j], v);
    measured_weight += w[j];
  }
  if (!(measured_weight > 0)) {
    std::fill(points.begin(), points.end(), kMissing);
    return score;
  }
  // Pass 2: points_j = scale * (w_j / M) * s_j, summed in file order.
  double raw = 0;
  for (size_t j = 0; j < k; ++j) {
    const double p = is_missing(sub[j]) ? kMissing : rules.scale * (w[j] / measured_weight) * sub[j];
    if (!points.empty()) points[j] = p;
    if (!is_missing(p)) raw += p;
  }
  score.ok = true;
  score.raw = std::clamp(raw, 0.0, rules.scale);
  score.units = to_units(score.raw, rules.precision);
  return score;
}

}  // namespace riskledger
