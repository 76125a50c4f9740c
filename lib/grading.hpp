#pragma once
// Grading: thresholds on the rounded score, then overrides, then the
// deadline and whether the point is overdue.
#include <cstdint>
#include <span>
#include <string>

#include "dates.hpp"
#include "records.hpp"
#include "rules.hpp"
#include "scoring.hpp"

namespace riskledger {

struct Decision {
  Score score;
  int threshold_grade = -1;  // first grade g with score >= g.min
  int grade = -1;            // after overrides
  int decided_by = -1;       // index of the deciding override, -1 for the threshold
};

// grade      = first grade g (highest first) with score_units >= g.min_units
// overrides  = in order; when `when` holds, `grade: X` sets the grade to X and
//              `at_least: X` raises it to X if it is lower. The last override
//              that changed the grade is what decided it; an override that
//              fired but left the grade as it was decides nothing (the
//              threshold, or an earlier override, stays named).
// `points` as for score_record. Returns grade -1 when the record cannot be
// scored (Score::ok false).
Decision decide(const Rules& rules, const RecordBatch& batch, size_t row, std::span<double> points);

// Why a record that decide() could not grade was rejected.
std::string unscorable_reason(const Rules& rules, const RecordBatch& batch, size_t row);

// "threshold A: 72.40 >= 70" or "override casualties: casualties >= 3",
// followed by "; not measured: opinion, loss" when indicators were missing.
std::string decided_by_text(const Rules& rules, const Decision& d);

// Reason codes: the three largest contributions, "severity 22.50; scope 15.00;
// urgency 15.00" (ties in indicator file order; zero contributions left out).
// Matrix method: "likelihood 4 x severity 5".
std::string top_factors_text(const Rules& rules, const RecordBatch& batch, size_t row,
                             std::span<const double> points);

// Deadline = found_on + deadline_days of the grade; empty when found_on is.
std::optional<Day> deadline(const Rules& rules, const RecordBatch& batch, size_t row, int grade);

// Overdue when the status is neither `resolved` nor `closed` and as_of is
// past the deadline.
bool overdue(const Rules& rules, const RecordBatch& batch, size_t row, std::optional<Day> due, Day as_of);

}  // namespace riskledger
