#include "sub_scores.hpp"

#include "scoring.hpp"

namespace riskledger {

std::vector<CategorySubScores> collect_sub_scores(const Rules& rules, const LoadedInputs& inputs,
                                                  const std::vector<Graded>& graded) {
  const auto& category = rules.fields[static_cast<size_t>(rules.category_field)];
  std::vector<CategorySubScores> out(category.values.size());
  for (size_t c = 0; c < out.size(); ++c) {
    out[c].category = c;
    for (size_t j = 0; j < rules.indicators.size(); ++j)
      if (rules.weights[c][j] != 0) out[c].indicators.push_back(j);
  }
  // Which records go to which category, then one matrix per category.
  for (size_t g = 0; g < graded.size(); ++g) {
    const auto& batch = inputs.batches[graded[g].batch];
    out[static_cast<size_t>(batch.num(rules.category_field, graded[g].row))].records.push_back(g);
  }
  for (auto& cat : out) {
    cat.values.resize(static_cast<Eigen::Index>(cat.records.size()),
                      static_cast<Eigen::Index>(cat.indicators.size()));
    for (size_t i = 0; i < cat.records.size(); ++i) {
      const auto& rec = graded[cat.records[i]];
      const auto& batch = inputs.batches[rec.batch];
      for (size_t j = 0; j < cat.indicators.size(); ++j) {
        const auto& ind = rules.indicators[cat.indicators[j]];
        const double v = batch.num(ind.field, rec.row);
        cat.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
            is_missing(v) ? kMissing : sub_score(ind, v);
      }
    }
  }
  return out;
}

}  // namespace riskledger
