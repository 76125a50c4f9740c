#pragma once
// The AHP judgements file: pairwise comparisons on Saaty's 1-9 scale, for the
// five categories, for the indicators of each category, or both. Format (see
// docs/weights.md):
//
//   schema: riskledger/ahp/v1
//   categories:                       # optional
//     items: [public_safety, social_conflict, public_order, ...]
//     upper:                          # row i: a_i,i+1 .. a_i,n
//       - [2, 3, 4, 5]
//       - ...
//   indicators:                       # optional; one entry per category
//     public_safety:
//       items: [severity, harm, likelihood, urgency, loss]
//       matrix:                       # or the full reciprocal matrix
//         - [1, 1, 2, 3, 2]
//         - ...
//
// a_ij says how much more important item i is than item j: 1 equal, 3
// moderately, 5 strongly, 7 very strongly, 9 extremely (2, 4, 6, 8 between),
// and a reciprocal such as 1/3 (written "1/3" or 0.3333) the other way round.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Dense>

#include "rules.hpp"

namespace riskledger {

struct PairwiseJudgements {
  std::string where;               // "file:line" of the block
  std::vector<std::string> items;  // category codes or indicator names
  std::vector<size_t> index;       // category value index or indicator index
  Eigen::MatrixXd matrix;          // full, positive, reciprocal
  // The judgements above the diagonal as written ("3", "1/5"), row by row.
  std::vector<std::vector<std::string>> upper_text;
};

struct AhpJudgements {
  std::string source;
  std::optional<PairwiseJudgements> categories;
  // Indicator judgements per category value index, in file order.
  std::vector<std::pair<size_t, PairwiseJudgements>> indicators;
};

// Parses and checks a judgements file against the rules' categories and
// indicators. Throws InputError listing every problem as
// `source:line:col: key.path: message`.
AhpJudgements load_ahp_judgements(std::string_view yaml_text, const std::string& source, const Rules& rules);

// Reads `path` and parses it.
AhpJudgements load_ahp_judgements_file(const std::string& path, const Rules& rules);

}  // namespace riskledger
