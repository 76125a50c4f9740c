#pragma once
// A ledger as a table of text cells, with each column resolved against the
// rules: either read back from a ledger file that `grade` wrote (CSV, with
// English or Chinese headers), or rendered from a ranked run through
// write_ledger(). The workbook and the HTML wall map are built from it, so
// they hold exactly the rows of the CSV ledger, in its order.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "csv_reader.hpp"
#include "ledger_writer.hpp"
#include "pipeline.hpp"
#include "raw_rows.hpp"
#include "rules.hpp"

namespace riskledger {

struct LedgerTable {
  std::string source;               // file name in messages
  std::vector<std::string> header;  // as written
  // Per column: what it holds. Columns neither the ledger nor the rules know
  // are kept as Extra with index -1.
  std::vector<LedgerColumn> columns;
  std::vector<RawRows> chunks;  // the rows, in ledger order
  uint64_t rows = 0;

  // Position of the first column of `kind` (for Field: of rules field
  // `field`), or -1.
  int find(LedgerColumn::Kind kind, int field = -1) const;
  // Position of the first column that is `column` (same_column), or -1.
  int find(const LedgerColumn& column) const;
  // Calls f(chunk, row) for every row in order.
  void each(const std::function<void(const RawRows&, size_t)>& f) const;
};

// True when both name the same ledger column: the same kind and, for a
// rules field or a passed-through column, the same index.
bool same_column(const LedgerColumn& a, const LedgerColumn& b);

// Reads a CSV ledger. Throws InputError naming `name` for unreadable input.
LedgerTable read_ledger_table(const std::string& name, std::unique_ptr<ByteStream> in, const Rules& rules);

// Reads a JSON ledger (an array of objects) or a JSON Lines one (an object a
// line), as `grade --format json|jsonl` writes them: the columns are the
// first object's keys; null is an empty cell, true/false read as overdue
// yes/no. Throws InputError naming `name` and the line of a value that is
// not an object of plain values.
LedgerTable read_json_ledger_table(const std::string& name, std::string_view text, bool lines,
                                   const Rules& rules);

// Renders the run as a CSV ledger with `columns` in `options.lang` and reads
// it back.
LedgerTable ledger_table_from_run(const GradedRun& run, const LoadedInputs& inputs, const Rules& rules,
                                  const std::vector<LedgerColumn>& columns, const LedgerOptions& options,
                                  unsigned threads);

// Cells read back into values. Each accepts what either language writes.
int grade_of_cell(const Rules& rules, std::string_view cell);            // grade index or -1
bool overdue_of_cell(std::string_view cell);                             // yes, 是, true
int enum_of_cell(const Rules& rules, int field, std::string_view cell);  // value index or -1

// The counts a wall map and a workbook summary show, over the whole ledger.
struct LedgerCounts {
  uint64_t rows = 0, overdue = 0;
  std::vector<uint64_t> per_grade;  // [grade]
  // Points by district, each stacked by grade; most points first (ties by name).
  struct Group {
    std::string name;
    std::vector<uint64_t> per_grade;
    uint64_t total = 0;
  };
  std::vector<Group> districts;
  // Category (rules enum order, then values the rules do not know) x grade.
  std::vector<Group> categories;
  // Overdue points by responsible unit; most first (ties by name).
  std::vector<Group> overdue_units;
  bool has_district = false, has_category = false, has_overdue = false, has_unit = false;
};

// Throws InputError naming the table's source when it has no grade column
// or a grade the rules do not know (with the row's line).
LedgerCounts count_ledger(const LedgerTable& table, const Rules& rules, Lang lang);

}  // namespace riskledger
