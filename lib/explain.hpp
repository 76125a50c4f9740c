#pragma once
// One record's grade decision, step by step, from the same code path as the
// score: each indicator's value, sub-score, weight and points; the raw and
// rounded score; the thresholds and the margins to the neighbouring grades;
// every override and whether it fired; the grade and what it means.
#include <optional>
#include <string>
#include <vector>

#include "dates.hpp"
#include "grading.hpp"
#include "records.hpp"
#include "rules.hpp"

namespace riskledger {

struct IndicatorStep {
  std::string name, field, value;  // value as written; empty when missing
  bool weighted = false;           // the category's row gives it weight
  bool measured = false;           // weighted and the field has a value
  double sub_score = 0;
  double weight = 0;     // the row weight (normalised row)
  double effective = 0;  // weight / M after redistribution
  double points = 0;
};

struct OverrideStep {
  std::string name, when, action, reason;
  bool fired = false;
  bool decided = false;  // this override set the final grade
};

struct Explanation {
  std::string id, title, category, file;
  uint32_t line = 0;
  Decision decision;
  std::vector<IndicatorStep> indicators;
  std::vector<OverrideStep> overrides;
  double matrix_likelihood = 0, matrix_severity = 0;  // matrix method: the cell
  std::optional<Day> deadline;
  bool overdue = false;
  Day as_of = 0;
};

Explanation explain_record(const Rules& rules, const RecordBatch& batch, size_t row, const std::string& file,
                           Day as_of);
std::string explanation_text(const Rules& rules, const Explanation& e);
std::string explanation_json(const Rules& rules, const Explanation& e);

}  // namespace riskledger
