#pragma once
// What changed between two ledgers of the same rules: new points, points
// missing from the new ledger, points closed since, grades raised
// (escalated) or lowered (downgraded), points newly overdue, and the grade
// migration matrix.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger_reader.hpp"
#include "rules.hpp"

namespace riskledger {

struct LedgerChange {
  enum Kind { New, Escalated, Downgraded, NewlyOverdue, Closed, Missing };
  Kind kind = New;
  const LedgerRow* old_row = nullptr;  // null for New
  const LedgerRow* new_row = nullptr;  // null for Missing
};
std::string_view to_string(LedgerChange::Kind kind);  // "new", "escalated", ...

struct LedgerDiff {
  // By kind in the order above; within a kind in the new ledger's order
  // (Missing: the old ledger's). A point both escalated and newly overdue
  // is listed under both.
  std::vector<LedgerChange> changes;
  // migration[o][n]: points graded o in the old ledger and n in the new one.
  std::vector<std::vector<uint64_t>> migration;
  uint64_t old_rows = 0, new_rows = 0;
};

LedgerDiff diff_ledgers(const LedgerFile& old_ledger, const LedgerFile& new_ledger, const Rules& rules);

// The diff for people: one section per kind, then the migration matrix.
std::string format_diff_text(const LedgerDiff& diff, const LedgerFile& old_ledger,
                             const LedgerFile& new_ledger, const Rules& rules);
// One row per change: change,id,title,old_grade,new_grade,old_score,
// new_score,old_status,new_status,old_overdue,new_overdue (csv, or jsonl
// with the same keys and null for what one side does not have).
std::string format_diff_csv(const LedgerDiff& diff, const Rules& rules);
std::string format_diff_jsonl(const LedgerDiff& diff, const Rules& rules);

}  // namespace riskledger
