#pragma once
// Typed records. One RecordBatch per chunk of input rows: each typed field
// the rules declare becomes a column (numbers and enum indexes as doubles,
// dates as day numbers); string fields and the columns the rules do not know
// (passed through) are kept as text, row by row.
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "memory.hpp"
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

// The text cells of a batch, row-major: for each record, its String fields
// (in rules field order) and then its passed-through columns (in input order),
// each as a LEB128 header `length << 1 | plain` followed by the bytes. `plain`
// says the text has no byte that CSV quoting or JSON escaping would change
// (see is_plain_text), so writers copy it as it is. A record's cells lie
// together, so writing a ledger row in rank order touches one place in memory.
struct CellRef {
  const char* data = nullptr;
  uint32_t len = 0;
  bool plain = true;
  std::string_view view() const { return {data, len}; }
};

// Where the batches of one load are built (see Arena): their cells, their
// typed values and their per-record index (lines, rows, at), each in a run of
// chunks of their own.
struct BatchArenas {
  Arena cells, nums, index;
};

struct RecordBatch {
  std::shared_ptr<BatchArenas> arenas;  // where its buffers are (none: each on its own)
  int file = 0;                         // index into the run's input list
  uint64_t first_record = 0;            // ordinal in the file of the chunk's first row
  uint64_t blank_rows = 0;              // rows with every cell empty: skipped, not records
  HugeVector<uint32_t> lines;           // line on which each record starts
  HugeVector<uint32_t> rows;            // row of each record within the chunk
  // The typed value of each field that is not String (NaN when missing):
  // the enum value's index, the day number, or the number; row-major, one
  // allocation for the batch (a record's values share a cache line or two).
  // String fields keep their text (as written, trimmed) in `cells`.
  HugeVector<double> nums;
  size_t num_width = 0;            // typed fields: values per record in `nums`
  std::vector<int> num_of_field;   // per rules field: its place in a record's values, -1 for String
  std::vector<int> slot_of_field;  // per rules field: its cell slot, -1 for a typed field
  // Enum and date values are also kept in a small fixed header before each
  // record's cells (enum: 2 bytes, index + 1 or 0 when missing; date: 4
  // bytes, the day or INT32_MIN), so a ledger row reads one place in memory.
  std::vector<int> header_of_field;  // per rules field: offset in the header, -1 when not there
  size_t header_bytes = 0;
  size_t string_slots = 0;  // String fields; passed-through columns follow them
  size_t extra_slots = 0;   // passed-through columns
  HugeString cells;         // see above
  HugeVector<uint32_t> at;  // offset in `cells` of each record's first cell

  // Sets up the slots for the rules' fields and `extra` passed-through columns.
  void init(const std::vector<FieldSpec>& field_specs, size_t extra);
  // Appends one record: `text` holds slots() cells (String fields, then
  // passed-through columns; a cell not kept is stored empty, whatever its
  // text), each with `plain` exact (see is_plain_text); `values` its
  // num_width typed values in `nums` order (num_of_field).
  void add(uint32_t line, uint32_t row, const CellRef* text, const double* values);
  // The same from a text per slot and a value per rules field (ignored for
  // String fields). `plain`, when not empty, says per cell that it is known
  // to be plain text (1), or not known (0: it is checked).
  void add(uint32_t line, uint32_t row, std::span<const std::string_view> text,
           std::span<const double> values, std::span<const uint8_t> plain = {});

  size_t size() const { return lines.size(); }
  size_t slots() const { return string_slots + extra_slots; }
  uint64_t record(size_t row) const { return first_record + rows[row]; }
  std::string_view str(int field, size_t row) const {
    return cell(static_cast<size_t>(slot_of_field[static_cast<size_t>(field)]), row).view();
  }
  std::string_view extra(size_t local, size_t row) const { return cell(string_slots + local, row).view(); }
  double num(int field, size_t row) const {
    return nums[row * num_width + static_cast<size_t>(num_of_field[static_cast<size_t>(field)])];
  }
  // Where a record's typed values start (to load them ahead of use).
  const double* nums_at(size_t row) const { return nums.data() + row * num_width; }
  CellRef cell(size_t slot, size_t row) const {
    assert(kept(slot));  // a cell the run chose not to keep reads as empty: a mistake
    const char* p = cells.data() + at[row] + header_bytes;
    for (size_t s = 0;; ++s) {
      const auto c = next_cell(p);
      if (s == slot) return c;
    }
  }
  // Every cell of the record at `offset` in `cells` (Graded::at), in slot
  // order; `out` has room for slots().
  void decode_at(uint32_t offset, CellRef* out) const {
    const char* p = cells.data() + offset + header_bytes;
    for (size_t s = 0, n = slots(); s < n; ++s) out[s] = next_cell(p);
  }
  // An enum or date field's value from the header of the record at
  // `offset`, as num() gives it (NaN when missing).
  double header_value(int field, uint32_t offset) const {
    const int h = header_of_field[static_cast<size_t>(field)];
    if (is_enum_[static_cast<size_t>(field)]) {
      const uint16_t v = enum_in_header(offset, static_cast<size_t>(h));
      return v == 0 ? kMissing : v - 1.0;
    }
    const char* p = cells.data() + offset + h;
    int32_t d;
    std::memcpy(&d, p, 4);
    return d == INT32_MIN ? kMissing : d;
  }
  // The enum value `h` bytes into the header of the record at `offset`
  // (header_of_field of an enum field): its index + 1, or 0 when missing.
  uint16_t enum_in_header(uint32_t offset, size_t h) const {
    uint16_t v;
    std::memcpy(&v, cells.data() + offset + h, 2);
    return v;
  }
  // Where a record's cells start (to load them ahead of use).
  const char* data_at(uint32_t offset) const { return cells.data() + offset; }
  // Whether the batch holds the text of cell `slot` (see BatchStorage::kept).
  bool kept(size_t slot) const { return kept_.empty() || kept_[slot] != 0; }
  // After init(): one flag per slot, or none when every slot is kept.
  void set_kept(std::span<const uint8_t> kept);

 private:
  std::vector<uint8_t> is_enum_;      // per rules field
  std::vector<uint8_t> kept_;         // per slot: 1 when kept; empty when every slot is
  std::vector<uint32_t> kept_slots_;  // the slots kept, in order
  std::vector<uint32_t> num_fields_;  // the rules fields in `nums`, in order
  struct HeaderValue {
    uint32_t num;  // its place in a record's values
    bool is_enum;  // 2 bytes (an enum) or 4 (a date)
  };
  std::vector<HeaderValue> header_values_;  // the values in the header, in order
  static CellRef next_cell(const char*& p) {
    uint64_t h = static_cast<unsigned char>(*p++);
    if (h & 0x80) {
      h &= 0x7F;
      for (int shift = 7;; shift += 7) {
        const auto b = static_cast<unsigned char>(*p++);
        h |= static_cast<uint64_t>(b & 0x7F) << shift;
        if (!(b & 0x80)) break;
      }
    }
    CellRef c{p, static_cast<uint32_t>(h >> 1), (h & 1) != 0};
    p += c.len;
    return c;
  }
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

// How build_batch stores a batch: which text cells it keeps (one flag per
// slot, empty for all: every cell is still read and checked, but one not kept
// is stored empty, so a run that shows a few columns does not hold the text of
// the others), and the arenas its buffers come from (none: buffers of its own,
// given back when it goes). With `views`, build_batch also appends, for each
// record it adds, its slots() text cells as read (kept or not), pointing into
// `raw` and the rules' defaults, so valid only as long as `raw` is: for a
// caller that writes the records out at once, without the batch holding
// their text.
struct BatchStorage {
  std::vector<uint8_t> kept;
  std::shared_ptr<BatchArenas> arenas;
  std::vector<CellRef>* views = nullptr;
};

// Types the rows of `raw` into a batch. Records with problems are left out of
// the batch and described in `problems` (all of a record's problems). Rows
// whose every cell is blank (as spreadsheets export) are skipped and counted
// in blank_rows. `first_record` is the ordinal in the file of raw's first row.
// The batch copies what it keeps: `raw` can be dropped afterwards.
RecordBatch build_batch(const RawRows& raw, const HeaderMap& map, const Rules& rules, int file,
                        const std::string& file_name, uint64_t first_record, std::vector<Problem>& problems,
                        const BatchStorage& storage = {});

}  // namespace riskledger
