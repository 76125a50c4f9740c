#pragma once
// What a reader produces: rows of untyped cells, each a span of bytes in a
// buffer the chunk owns. No allocation per field.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace riskledger {

// A span of bytes inside a chunk's text buffer.
struct Span {
  uint32_t off = 0;
  uint32_t len = 0;
};

struct RawRows {
  std::string text;                    // owns the bytes; unescaped values are appended at the end
  size_t columns = 0;                  // header width; every row has exactly this many cells
  std::vector<Span> cells;             // row-major, rows() * columns
  std::vector<uint32_t> lines;         // 1-based line on which each row starts
  std::vector<uint32_t> field_counts;  // fields actually present in each row

  size_t rows() const { return lines.size(); }
  std::string_view view(Span s) const { return {text.data() + s.off, s.len}; }
  std::string_view cell(size_t row, size_t col) const { return view(cells[row * columns + col]); }
  void clear() {
    text.clear();
    cells.clear();
    lines.clear();
    field_counts.clear();
  }
};

// A source of records: a CSV or YAML file. `header()` is known once the
// reader is constructed; `read` fills `out` (cleared first) with up to
// `max_rows` rows and returns false once no rows are left.
class RecordSource {
 public:
  virtual ~RecordSource() = default;
  virtual const std::vector<std::string>& header() const = 0;
  virtual bool read(RawRows& out, size_t max_rows) = 0;
  // Name of the input in messages ("examples/sweep.csv", "<stdin>").
  virtual const std::string& name() const = 0;
};

}  // namespace riskledger
