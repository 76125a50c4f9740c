#pragma once
// Typed, columnar records. One RecordBatch per chunk of input rows: each
// field the rules declare becomes a typed column (numbers and enum indexes as
// doubles, dates as day numbers, strings as spans into the chunk's text).
// Columns the rules do not know are kept as string spans and passed through.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "raw_rows.hpp"
#include "rules.hpp"

namespace riskledger {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
inline bool is_missing(double v) {
  return std::isnan(v);
}

// One problem with one input record.
struct Problem {
  int file_index = 0;  // position of the file in the run's input list
  std::string file;
  uint32_t line = 0;
  std::string id;     // the record's id, when it has one
  std::string field;  // canonical field name, or "" for the whole record
  std::string value;
  std::string reason;
  uint64_t record = 0;  // ordinal of the record in its file (0-based); identifies it
};

struct RecordBatch {
  std::string text;             // the chunk's bytes (from RawRows)
  int file = 0;                 // index into the run's input list
  uint64_t first_record = 0;    // ordinal in the file of the chunk's first row
  uint64_t blank_rows = 0;      // rows with every cell empty: skipped, not records
  std::vector<uint32_t> lines;  // line on which each record starts
  std::vector<uint32_t> rows;   // row of each record within the chunk
  // Per rules field (Rules::fields order). String fields fill `str` (the text
  // as written, trimmed); the others fill `num` with the typed value (NaN when
  // missing): the enum value's index, the day number, or the number.
  struct Column {
    std::vector<double> num;
    std::vector<Span> str;
  };
  std::vector<Column> fields;
  std::vector<std::vector<Span>> extra;  // passed-through columns, in input order

  size_t size() const { return lines.size(); }
  uint64_t record(size_t row) const { return first_record + rows[row]; }
  std::string_view view(Span s) const { return {text.data() + s.off, s.len}; }
  std::string_view str(int field, size_t row) const {
    return view(fields[static_cast<size_t>(field)].str[row]);
  }
  double num(int field, size_t row) const { return fields[static_cast<size_t>(field)].num[row]; }
};

// A field's value as text: strings as written, enum codes, YYYY-MM-DD dates,
// numbers in their shortest exact form; empty when missing.
std::string field_text(const Rules& rules, const RecordBatch& batch, int field, size_t row);

// How an input's header maps onto the rules' fields.
struct HeaderMap {
  std::vector<int> field_of_column;      // rules field index per input column, -1 for extra
  std::vector<int> column_of_field;      // input column per rules field, -1 when absent
  std::vector<std::string> extra_names;  // names of extra columns, in input order
};

// Matches header names against field names, labels and aliases (trimmed,
// exact or ASCII case-insensitive). Throws InputError naming `file` when a
// required field has no column (listing its accepted names) or two columns
// map to one field.
HeaderMap map_header(const std::vector<std::string>& header, const Rules& rules, const std::string& file);

// Types the rows of `raw` into a batch. Records with problems are left out of
// the batch and described in `problems` (all of a record's problems). Rows
// whose every cell is blank (as spreadsheets export) are skipped and counted
// in blank_rows. `first_record` is the ordinal in the file of raw's first row.
// Takes ownership of raw.text.
RecordBatch build_batch(RawRows&& raw, const HeaderMap& map, const Rules& rules, int file,
                        const std::string& file_name, uint64_t first_record, std::vector<Problem>& problems);

}  // namespace riskledger
