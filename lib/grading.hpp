#pragma once
// Grading: thresholds on the rounded score, then overrides, then the
// deadline and whether the point is overdue.
#include <climits>
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

// What a ledger row needs of a record's decision, kept for every graded
// record (about 64 bytes): rendering reads only the record's text columns
// again, never its numbers. Computed by decide(), so the ledger and explain
// share one code path.
struct Graded {
  static constexpr Day kNoDeadline = INT32_MIN;
  uint32_t batch = 0, row = 0;   // where the record is (set by the caller)
  uint32_t seq = 0;              // position among the graded records in input order
  uint32_t at = 0;               // offset of the record's cells in its batch (RecordBatch::at)
  int64_t units = 0;             // score in 10^-precision units
  uint64_t unmeasured = 0;       // as Score::unmeasured
  int64_t factor_units[3] = {};  // top factors' points (matrix: likelihood, severity)
  Day deadline = kNoDeadline;
  int16_t grade = -1;       // -1: could not be scored
  int16_t decided_by = -1;  // deciding override, -1 for the threshold
  uint8_t factor_index[3] = {};
  uint8_t factors = 0;  // how many top factors
  bool closed = false;  // status resolved or closed
};

// Decides one record and keeps what its ledger row needs.
Graded summarize(const Rules& rules, const RecordBatch& batch, size_t row);

// Overdue: not closed, and as_of past the deadline.
inline bool overdue(const Graded& g, Day as_of) {
  return !g.closed && g.deadline != Graded::kNoDeadline && as_of > g.deadline;
}

// Why a record that decide() could not grade was rejected.
std::string unscorable_reason(const Rules& rules, const RecordBatch& batch, size_t row);

// decided_by in English (DecisionText, labels.hpp): "threshold A: 72.40 >= 70"
// or "override casualties: casualties >= 3", followed by "; not measured:
// opinion, loss" when indicators were missing.
std::string decided_by_text(const Rules& rules, const Decision& d);

// Reason codes in English (DecisionText): the three largest contributions,
// "severity 22.50; scope 15.00; urgency 15.00" (ties in indicator file order;
// zero contributions left out). Matrix method: "likelihood 4 x severity 5".
std::string top_factors_text(const Rules& rules, const RecordBatch& batch, size_t row);

// Deadline = found_on + deadline_days of the grade; empty when found_on is.
std::optional<Day> deadline(const Rules& rules, const RecordBatch& batch, size_t row, int grade);

// Overdue when the status is neither `resolved` nor `closed` and as_of is
// past the deadline.
bool overdue(const Rules& rules, const RecordBatch& batch, size_t row, std::optional<Day> due, Day as_of);

// The status is `resolved` or `closed`.
bool is_closed(const Rules& rules, const RecordBatch& batch, size_t row);

}  // namespace riskledger
