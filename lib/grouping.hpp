#pragma once
// Per-group ledgers (`grade --group-by district`): the ranked ledger split by
// the value of one field, each part keeping ledger order, so ranks restart at
// 1 in every group and the union of the groups is the whole ledger.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dates.hpp"
#include "ledger_writer.hpp"
#include "pipeline.hpp"
#include "rules.hpp"

namespace riskledger {

struct LedgerGroup {
  std::string value;      // the field's text ("" for records where it is empty)
  std::string file_stem;  // safe, unique file name without extension
  GradedRun part;         // graded in ledger order, per_grade and read/rejected of the part
  uint64_t overdue = 0;
};

// Splits the ranked run by `field` (a rules field by name or Chinese label,
// or a passed-through column). Groups come in byte order of their value.
// Throws UsageError when no such field or column exists.
std::vector<LedgerGroup> group_ledger(const GradedRun& run, const LoadedInputs& inputs, const Rules& rules,
                                      std::string_view field, Day as_of);

// A file name for a group value:
//   - '/', '\', control characters and < > : " | ? * become '_';
//   - leading and trailing spaces and dots are dropped;
//   - an empty result becomes "_empty";
//   - names longer than 80 bytes are cut at a UTF-8 character boundary;
//   - names that are reserved here (index, rejects, manifest, ledger) or on
//     Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9), in any case, get a '_'
//     appended.
// Collisions between different values are resolved by assign_file_stems().
std::string safe_file_stem(std::string_view value);

// Gives each group its safe stem; when two values give the same stem
// (compared ASCII case-insensitively, for case-insensitive file systems) the
// later one in byte order gets "~2", the next "~3", and so on.
void assign_file_stems(std::vector<LedgerGroup>& groups);

// index.csv: group,file,rows,<one column per grade>,overdue; one row per group.
// With Lang::Zh: the field's label (区县),文件,点数,A级（重大）,…,逾期, and an
// enum field's values by their labels.
std::string format_index_csv(const std::vector<LedgerGroup>& groups, const Rules& rules,
                             std::string_view field, std::string_view extension, Lang lang = Lang::En);

}  // namespace riskledger
