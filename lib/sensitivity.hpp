#pragma once
// Sensitivity of grades to the weights (Monte Carlo): draw many weight sets
// around the rules' weights, grade every record under each, and count how
// often each record keeps its grade. Formulas and the perturbation are in
// docs/weights.md.
#include <cstdint>
#include <vector>

#include "grading.hpp"
#include "pipeline.hpp"
#include "rules.hpp"

namespace riskledger {

struct SensitivityOptions {
  size_t samples = 1000;
  double spread = 0.1;  // in [0, 1)
  uint64_t seed = 1;
  unsigned threads = 0;  // 0: one per core
};

// Sample s's weight row for category c:
//   w'_j = w_j * (1 + spread * u_sj),  u_sj uniform on [-1, 1), for every j
//          with w_j > 0 (zero weights stay zero), then w'_j / sum_k w'_k.
// u comes from std::mt19937_64 seeded with `seed` (the top 53 bits of each
// draw, so the same seed gives the same weights on every platform), drawn
// sample by sample, category by category, indicator by indicator in file
// order. With spread 0 every row is the rules' row exactly.
// Returns weights[s][c][j].
std::vector<std::vector<std::vector<double>>> sample_weights(const Rules& rules,
                                                             const SensitivityOptions& options);

struct Sensitivity {
  size_t grades = 0;  // rules.grades.size()
  // counts[r * grades + g]: samples in which graded record r got grade g
  // (after overrides), r indexing the `graded` list passed in.
  std::vector<uint32_t> counts;
  size_t samples = 0;

  uint32_t count(size_t record, size_t grade) const { return counts[record * grades + grade]; }
};

// Grades every record of `graded` (as grade_inputs() returns them) under each
// sampled weight set. For a record of category c and sample s:
//   raw   = scale * (sum_j w'_j s_j) / (sum_j w'_j m_j)   (m_j = 1 when measured, s_j = 0 when not)
//   score = to_units(clamp(raw, 0, scale), precision), graded by thresholds,
//           then the record's overrides (evaluated once: they do not depend on weights).
// Sums run as matrix products over a category's records; a raw score within
// 1e-7 of a grade boundary is recomputed in score_record()'s exact order, so
// a sample with the rules' own weights reproduces decide() exactly.
// Throws UsageError for rules with method: matrix (no weights).
Sensitivity analyse_sensitivity(const Rules& rules, const LoadedInputs& inputs,
                                const std::vector<Graded>& graded, const SensitivityOptions& options);

}  // namespace riskledger
