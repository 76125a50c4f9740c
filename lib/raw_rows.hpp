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
  // Cells point into `text`, or, when `mapped` is set, into those bytes (a
  // file mapped in memory), except cells whose offset has kInText set: those
  // (unescaped values) are in `text` at the offset without that bit.
  static constexpr uint32_t kInText = uint32_t{1} << 31;
  std::string text;  // owns the bytes; unescaped values are appended at the end
  const char* mapped = nullptr;
  size_t columns = 0;       // header width; every row has exactly this many cells
  std::vector<Span> cells;  // row-major, rows() * columns
  // Per cell, when not empty: 1 when the scan saw that the cell's bytes are
  // plain text (see is_plain_text), 0 when it does not know.
  std::vector<uint8_t> plain;
  std::vector<uint32_t> lines;         // 1-based line on which each row starts
  std::vector<uint32_t> field_counts;  // fields actually present in each row
  size_t bytes = 0;                    // input bytes the rows span (for sizing what is built from them)

  size_t rows() const { return lines.size(); }
  std::string_view view(Span s) const {
    if (mapped != nullptr && (s.off & kInText) == 0) return {mapped + s.off, s.len};
    return {text.data() + (s.off & ~kInText), s.len};
  }
  std::string_view cell(size_t row, size_t col) const { return view(cells[row * columns + col]); }
  // The bytes every cell lies in but unescaped ones (mapped rows), or all of them.
  std::string_view source() const {
    return mapped != nullptr ? std::string_view(mapped, bytes) : std::string_view(text);
  }
  void clear() {
    text.clear();
    mapped = nullptr;
    cells.clear();
    plain.clear();
    lines.clear();
    field_counts.clear();
    bytes = 0;
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
