#pragma once
// The indicators' sub-scores of a set of graded records as one matrix per
// category (records x indicators), for the methods that look at a whole data
// set: entropy and CRITIC weights, and the sensitivity of grades to weights.
#include <cstdint>
#include <vector>

#include <Eigen/Dense>

#include "grading.hpp"
#include "pipeline.hpp"
#include "rules.hpp"

namespace riskledger {

struct CategorySubScores {
  size_t category = 0;             // index into the category field's values
  std::vector<size_t> indicators;  // indicators with weight in the category's row, in file order
  // values(i, j): sub-score of indicators[j] for the category's i-th record,
  // NaN when the record has no value for it (not measured).
  Eigen::MatrixXd values;
  std::vector<size_t> records;  // index into the `graded` list of each row
};

// One entry per value of the category field, in rules order (a category
// without records has zero rows). `graded` are records decide() could score
// (grade_inputs' result); their order is kept within each category.
std::vector<CategorySubScores> collect_sub_scores(const Rules& rules, const LoadedInputs& inputs,
                                                  const std::vector<Graded>& graded);

}  // namespace riskledger
