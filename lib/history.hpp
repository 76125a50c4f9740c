#pragma once
// Run history in SQLite: every `grade --history FILE.db` run appends one row
// to `runs` (with its inputs in `run_inputs`) and one row per graded point to
// `decisions`, in one transaction, so a killed run adds nothing. `history`
// reads a point's decisions back across runs.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dates.hpp"
#include "digest.hpp"
#include "pipeline.hpp"
#include "rules.hpp"

namespace riskledger {

// The schema version this riskledger writes and reads (PRAGMA user_version).
inline constexpr int kHistorySchemaVersion = 1;

struct HistoryRun {
  std::string as_of, tool_version, rules_name, rules_version, rules_sha256;
  std::vector<FileDigest> inputs;
  uint64_t read = 0, graded = 0, rejected = 0, overdue = 0;
  std::vector<std::pair<std::string, uint64_t>> per_grade;
};

// Appends the run and every decision of `run` (graded, ranked) to the
// database at `path`, creating it and its schema on first use. Returns the
// new run id. Throws InputError naming the file when it cannot be opened or
// written, or when its schema is not one this version knows.
int64_t append_history(const std::string& path, const HistoryRun& info, const GradedRun& run,
                       const LoadedInputs& inputs, const Rules& rules, Day as_of);

struct PointHistory {
  int64_t run_id = 0;
  std::string as_of, rules_version, rules_sha256;
  bool present = false;  // the point is in this run's ledger
  std::string score, grade, decided_by, status, deadline;
  int grade_rank = -1;  // 0 is the highest grade
  bool overdue = false;
};

// One entry per run in the database, oldest first (by as-of date, then run
// id), with the point's decision where it has one. Throws InputError when the
// database cannot be read.
std::vector<PointHistory> point_history(const std::string& path, std::string_view id);

}  // namespace riskledger
