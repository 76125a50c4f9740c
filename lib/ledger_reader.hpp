#pragma once
// Reading ledgers back (for `diff` and for `grade --baseline`): the columns
// that identify a point and its decision, from a ledger in any format that can
// be read (CSV, JSON, JSON Lines), in English or Chinese headers.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules.hpp"

namespace riskledger {

// One ledger row as far as comparing ledgers needs it.
struct LedgerRow {
  uint32_t line = 0;  // line in the file where the row starts
  std::string id, title, district, grade_name, status_text, deadline;
  int grade = -1;               // index into Rules::grades
  std::optional<double> score;  // empty when the ledger has no score column or the cell is empty
  std::optional<bool> overdue;  // empty when the ledger has no overdue column or the cell is empty
  bool closed = false;          // status resolved or closed (code or Chinese label)
};

struct LedgerFile {
  std::string file;
  std::vector<LedgerRow> rows;  // in ledger order
  bool has_score = false, has_status = false, has_overdue = false;
};

// Reads the ledger at `path`; the format comes from the file name's extension
// (.csv, .json, .jsonl), or from the first byte when the extension is another
// ('[' JSON, '{' JSON Lines, else CSV). Grades are looked up in `rules`.
// Throws InputError naming the file (and line) when it cannot be read, has no
// id or grade column, names a grade the rules do not have, or repeats an id.
LedgerFile read_ledger(const std::string& path, const Rules& rules);

// The extensions read_ledger() knows, for messages: "csv, json, jsonl".
std::string readable_ledger_formats();

}  // namespace riskledger
