#include "csv_reader.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>
#include <mutex>

#include "block_masks.hpp"
#include "error.hpp"
#include "parallel.hpp"
#include "text.hpp"

namespace riskledger {

// Throws InputError naming the line and column of the first byte of `bytes`
// that is not valid UTF-8; `first_line` is the line on which `bytes` starts.
// The column counts characters (code points) from the start of the line, as
// editors do. Shared with the YAML reader.
// A NUL byte is valid UTF-8 but never text: it is refused the same way, as
// is a UTF-16 byte order mark at the start of the input.
void check_utf8(const std::string& name, std::string_view bytes, uint32_t first_line) {
  size_t bad = find_invalid_utf8(bytes);
  if (bad == std::string_view::npos) {
    const void* nul = std::memchr(bytes.data(), 0, bytes.size());
    if (nul == nullptr) return;
    bad = static_cast<size_t>(static_cast<const char*>(nul) - bytes.data());
  }
  if (bad == 0 && first_line == 1 && (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF"))) {
    throw InputError(
        fmt::format("{}:1: the file is UTF-16 (it starts with a UTF-16 byte order mark); save it "
                    "as UTF-8 (in Excel: CSV UTF-8)",
                    name));
  }
  const std::string_view before = bytes.substr(0, bad);
  const auto newlines = static_cast<uint32_t>(std::count(before.begin(), before.end(), '\n'));
  const size_t line_start = before.rfind('\n') + 1;  // npos + 1 == 0
  // Everything before `bad` is valid UTF-8: count the bytes that start a character.
  const auto column =
      1 + std::count_if(before.begin() + static_cast<std::ptrdiff_t>(line_start), before.end(),
                        [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
  if (bytes[bad] == '\0') {
    throw InputError(
        fmt::format("{}:{}: NUL byte (0x00) at column {}; text has none: is the file UTF-16, or not "
                    "text at all?",
                    name, first_line + newlines, column));
  }
  throw InputError(
      fmt::format("{}:{}: invalid UTF-8 (byte 0x{:02X} at column {}); if the file was exported from Excel "
                  "on Chinese Windows, read it with --encoding gb18030",
                  name, first_line + newlines, static_cast<unsigned char>(bytes[bad]), column));
}

namespace {

// Input is read in blocks of this size (or larger, while one row outgrows it).
constexpr size_t kBlockSize = size_t{4} << 20;
// A chunk ends early once its text reaches this size, so that the uint32
// offsets of its spans cannot overflow.
constexpr size_t kMaxChunkText = size_t{1} << 30;

// Limits, so that no input can take unbounded memory (docs/reliability.md).
// Past one, the input is refused with an InputError naming the line.
constexpr size_t kMaxFieldBytes = size_t{1} << 20;  // one field: 1 MiB
constexpr size_t kMaxRowBytes = size_t{16} << 20;   // one row as written: 16 MiB
constexpr size_t kMaxColumns = 1000;                // header columns, and fields in one row

// ---------------------------------------------------------------------------
// Byte streams

struct CloseFile {
  bool owned = true;  // stdin is not ours to close
  void operator()(std::FILE* f) const {
    if (owned) std::fclose(f);
  }
};

class FileStream final : public ByteStream {
 public:
  FileStream(std::FILE* f, bool owned, std::string name)
      : file_(f, CloseFile{owned}), name_(std::move(name)) {}
  size_t read(char* dst, size_t n) override {
    const size_t got = std::fread(dst, 1, n, file_.get());
    if (got < n && std::ferror(file_.get())) {
      throw InputError(fmt::format("cannot read {}: {}", name_, std::strerror(errno)));
    }
    return got;
  }

 private:
  std::unique_ptr<std::FILE, CloseFile> file_;
  std::string name_;
};

class MemoryStream final : public ByteStream {
 public:
  explicit MemoryStream(std::string bytes) : bytes_(std::move(bytes)) {}
  size_t read(char* dst, size_t n) override {
    const size_t got = std::min(n, bytes_.size() - pos_);
    std::memcpy(dst, bytes_.data() + pos_, got);
    pos_ += got;
    return got;
  }

 private:
  std::string bytes_;
  size_t pos_ = 0;
};

// ---------------------------------------------------------------------------
// Scanning rows (RFC 4180)
//
// A row is a list of fields separated by commas and ended by LF, CRLF or the
// end of input. A field starting with a double quote is quoted: it runs to
// the next lone quote, and inside it `""` stands for one quote while commas,
// CR and LF are data. Other fields run to the next comma or line end, and
// keep any quote in them literally (`ab"c`), as most readers do. After a
// closing quote only spaces or tabs may come before the next comma or line
// end; anything else (`"ab"c`) is an error naming the line where the quote
// opened. This catches a stray quote that would otherwise pair with a quote
// rows later and silently swallow the records between. Whitespace inside
// fields is kept as is.

struct Field {
  size_t off = 0;  // in the buffer, or in the unescaped text when `unescaped`
  size_t len = 0;
  bool unescaped = false;
};

struct Row {
  std::vector<Field> fields;
  size_t begin = 0;       // buffer offset of the row's first byte
  size_t end = 0;         // buffer offset just past the row's line end
  uint32_t line = 0;      // line on which the row starts
  uint32_t newlines = 0;  // LF bytes in the row, its own line end included
};

// Scans one row of a buffer that may end in the middle of a row: `eof` says
// whether more bytes can follow the buffer. Fields that need unescaping are
// written to `unescaped`.
class RowScanner {
 public:
  RowScanner(std::string_view buf, bool eof, std::string& unescaped, const std::string& name)
      : buf_(buf), eof_(eof), unescaped_(unescaped), name_(name) {}

  // Scans the row starting at `pos` (on line `line`). Returns false, leaving
  // `unescaped` as it was, if the buffer ends before the row does.
  bool scan(size_t pos, uint32_t line, Row& row) {
    row.fields.clear();
    row.begin = pos;
    row.line = line;
    row.newlines = 0;
    next_lf_ = find(pos, buf_.size(), '\n');
    const size_t mark = unescaped_.size();
    size_t i = pos;
    for (;;) {
      const bool done = i < buf_.size() && buf_[i] == '"' ? quoted_field(i, row) : unquoted_field(i, row);
      if (!done) {
        unescaped_.resize(mark);
        return false;
      }
      if (i < buf_.size() && buf_[i] == ',') {
        if (row.fields.size() >= kMaxColumns) throw_too_many_fields(row);
        ++i;
        continue;
      }
      if (i < buf_.size()) {  // the LF that ends the row
        ++i;
        ++row.newlines;
      }
      row.end = i;
      return true;
    }
  }

 private:
  // Moves `i` to the next comma or LF (or the end of the buffer); false if
  // the buffer ends first and more input may follow. Searches with memchr:
  // once for the line end, then for commas before it.
  bool to_delimiter(size_t& i) {
    if (next_lf_ < i) next_lf_ = find(i, buf_.size(), '\n');
    i = find(i, next_lf_, ',');
    return i < buf_.size() || eof_;
  }

  // Offset of the first `c` in [from, to), or `to`.
  size_t find(size_t from, size_t to, char c) const {
    const void* p = std::memchr(buf_.data() + from, c, to - from);
    return p == nullptr ? to : static_cast<size_t>(static_cast<const char*>(p) - buf_.data());
  }

  // End of a field's text running from `begin` to the delimiter at `i`:
  // a CR right before the line end is part of the line end.
  size_t trim_cr(size_t begin, size_t i) const {
    const bool at_line_end = i == buf_.size() || buf_[i] == '\n';
    return at_line_end && i > begin && buf_[i - 1] == '\r' ? i - 1 : i;
  }

  bool unquoted_field(size_t& i, Row& row) {
    const size_t begin = i;
    if (!to_delimiter(i)) return false;
    row.fields.push_back({begin, trim_cr(begin, i) - begin, false});
    return true;
  }

  bool quoted_field(size_t& i, Row& row) {
    const size_t open = i;
    const size_t content = open + 1;
    bool doubled = false;
    size_t close = content;
    for (;;) {  // find the closing quote, skipping doubled ones
      close = find(close, buf_.size(), '"');
      if (close == buf_.size()) {
        if (!eof_) return false;
        throw_unterminated(open, row);
      }
      // A quote that ends the buffer may be half of a `""`: then to_delimiter
      // below asks for more input, and the field is scanned again.
      if (close + 1 < buf_.size() && buf_[close + 1] == '"') {
        doubled = true;
        close += 2;
        continue;
      }
      break;
    }
    i = close + 1;
    const size_t trailing = i;
    if (!to_delimiter(i)) return false;
    const size_t trailing_end = trim_cr(trailing, i);

    const std::string_view text = buf_.substr(content, close - content);
    const std::string_view after = buf_.substr(trailing, trailing_end - trailing);
    if (after.find_first_not_of(" \t") != std::string_view::npos) throw_text_after_quote(open, close, row);
    row.newlines += static_cast<uint32_t>(std::count(text.begin(), text.end(), '\n'));
    if (!doubled) {  // the bytes between the quotes as they are
      row.fields.push_back({content, close - content, false});
      return true;
    }
    const size_t off = unescaped_.size();
    append_unescaped(text);
    row.fields.push_back({off, unescaped_.size() - off, true});
    return true;
  }

  // Line of buffer offset `at` within the row being scanned.
  uint32_t line_at(size_t at, const Row& row) const {
    const std::string_view before = buf_.substr(row.begin, at - row.begin);
    return row.line + static_cast<uint32_t>(std::count(before.begin(), before.end(), '\n'));
  }

  [[noreturn]] void throw_text_after_quote(size_t open, size_t close, const Row& row) const {
    const auto opened = line_at(open, row);
    const auto closed = line_at(close, row);
    throw InputError(fmt::format(
        "{}:{}: text after the closing quote of a quoted field (the quote opened on line {}{}); "
        "a quote inside a quoted field must be doubled (\"\")",
        name_, closed, opened, closed == opened ? "" : fmt::format(" and closed on line {}", closed)));
  }

  // Appends the text of a quoted field with each `""` turned into `"`.
  void append_unescaped(std::string_view text) {
    for (;;) {
      const size_t q = text.find('"');
      if (q == std::string_view::npos) break;
      unescaped_.append(text.substr(0, q + 1));
      text.remove_prefix(q + 2);
    }
    unescaped_.append(text);
  }

  [[noreturn]] void throw_too_many_fields(const Row& row) const {
    throw InputError(fmt::format("{}:{}: more than {} fields in one row (the limit on columns)", name_,
                                 row.line, kMaxColumns));
  }

  [[noreturn]] void throw_unterminated(size_t open, const Row& row) const {
    const auto line = line_at(open, row);
    throw InputError(
        fmt::format("{}:{}: unterminated quoted field (the quote opened on line {} and was never closed)",
                    name_, line, line));
  }

  std::string_view buf_;
  bool eof_;
  size_t next_lf_ = 0;  // the first LF at or after the last delimiter search, or the buffer end
  std::string& unescaped_;
  const std::string& name_;
};

// A line with no bytes between its line ends is skipped, not a row.
bool is_blank(std::string_view row) {
  return row == "\n" || row == "\r\n" || row == "\r";
}

// The row and field size limits (kMaxRowBytes, kMaxFieldBytes), checked on
// every scanned row by both readers, so they refuse the same inputs.
void check_row_size(const std::string& name, const Row& row) {
  if (row.end - row.begin > kMaxRowBytes)
    throw InputError(fmt::format(
        "{}:{}: row is longer than 16 MiB (the limit; a field may hold at most 1 MiB)", name, row.line));
  for (const Field& f : row.fields) {
    if (f.len > kMaxFieldBytes)
      throw InputError(fmt::format("{}:{}: field {} is longer than 1 MiB (the limit; it has {} bytes)", name,
                                   row.line, &f - row.fields.data() + 1, f.len));
  }
}

// A header name holding a CR: lines ended by CR alone run together into one
// huge header row; say so rather than report a mess of column names.
void check_header(const std::string& name, const std::vector<std::string>& header, uint32_t line) {
  for (const auto& h : header) {
    if (h.find('\r') != std::string::npos)
      throw InputError(
          fmt::format("{}:{}: a carriage return (CR) inside the header: the file may end its lines "
                      "with CR alone (old Mac style); save it with LF or CRLF line ends",
                      name, line));
  }
}

// Scans the next row that is not blank, from `pos` on line `line`, into
// `row`, and moves `pos` and `line` past it. Calls `refill()` whenever the
// buffer ends inside a row; refill may move the bytes of `buf` (resetting
// `pos`) and returns false at the end of input. Checks that the row is UTF-8.
// Returns false when no rows are left.
template <class Refill>
bool next_row(const std::string& buf, size_t& pos, uint32_t& line, bool eof, const std::string& name,
              std::string& unescaped, Row& row, Refill refill) {
  for (;;) {
    if (pos == buf.size() && eof) return false;
    if (!RowScanner(buf, eof, unescaped, name).scan(pos, line, row)) {
      eof = !refill();
      continue;
    }
    const std::string_view bytes = std::string_view(buf).substr(row.begin, row.end - row.begin);
    check_utf8(name, bytes, row.line);
    check_row_size(name, row);
    pos = row.end;
    line += row.newlines;
    if (!is_blank(bytes)) return true;
  }
}

std::string_view field_text(const Field& f, std::string_view buf, std::string_view unescaped) {
  return (f.unescaped ? unescaped : buf).substr(f.off, f.len);
}

}  // namespace

std::unique_ptr<ByteStream> open_file_stream(const std::string& path) {
  if (path == "-") return std::make_unique<FileStream>(stdin, false, "<stdin>");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw InputError(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  return std::make_unique<FileStream>(f, true, path);
}

std::unique_ptr<ByteStream> memory_stream(std::string bytes) {
  return std::make_unique<MemoryStream>(std::move(bytes));
}

// ---------------------------------------------------------------------------
// CsvReader

CsvReader::CsvReader(std::string name, std::unique_ptr<ByteStream> in)
    : name_(std::move(name)), in_(std::move(in)) {
  // A UTF-8 byte order mark (EF BB BF) at the very start is not data.
  while (buf_.size() < 3 && fill()) {
  }
  if (buf_.starts_with("\xEF\xBB\xBF")) pos_ = 3;

  // The first row is the header.
  Row row;
  std::string unescaped;
  if (!next_row(buf_, pos_, line_, eof_, name_, unescaped, row, [this] { return fill(); })) return;
  for (const Field& f : row.fields) header_.emplace_back(field_text(f, buf_, unescaped));
  check_header(name_, header_, row.line);
}

// Drops the bytes before pos_, then appends a block of input: kBlockSize, or
// as much as is left over when a long row has outgrown that, so that
// rescanning a row that straddles many blocks stays linear overall.
bool CsvReader::fill() {
  if (eof_) return false;
  buf_.erase(0, pos_);
  pos_ = 0;
  const size_t kept = buf_.size();  // the start of a row not yet complete
  if (kept > kMaxRowBytes)
    throw InputError(fmt::format(
        "{}:{}: row is longer than 16 MiB (the limit; a field may hold at most 1 MiB)", name_, line_));
  const size_t want = std::max(kBlockSize, kept);
  buf_.resize(kept + want);
  const size_t got = in_->read(buf_.data() + kept, want);
  buf_.resize(kept + got);
  eof_ = got == 0;
  return !eof_;
}

// out.text receives the bytes of the rows returned, copied from buf_ as
// fill() is about to drop them and at the end; fields that needed unescaping
// are appended after those bytes.
bool CsvReader::read(RawRows& out, size_t max_rows) {
  out.clear();
  out.columns = header_.size();
  if (header_.empty()) return false;

  size_t copied = pos_;  // bytes of buf_ before this are in out.text or were handed out before
  const auto copy_out = [&] {
    out.text.append(buf_, copied, pos_ - copied);
    copied = pos_;
  };
  const auto refill = [&] {
    copy_out();
    const bool more = fill();
    copied = pos_;
    return more;
  };

  std::string unescaped;
  std::vector<size_t> unescaped_cells;  // indexes into out.cells of spans into `unescaped`
  Row row;
  while (out.rows() < max_rows && out.text.size() + (pos_ - copied) + unescaped.size() < kMaxChunkText &&
         next_row(buf_, pos_, line_, eof_, name_, unescaped, row, refill)) {
    // Byte `off` of buf_ lands in out.text at text_offset(off) once copied out.
    const auto text_offset = [&](size_t off) { return out.text.size() + (off - copied); };
    if (text_offset(row.end) + unescaped.size() > std::numeric_limits<uint32_t>::max()) {
      throw InputError(fmt::format("{}:{}: row is too large (over 3 GiB)", name_, row.line));
    }
    const size_t present = std::min(row.fields.size(), out.columns);
    for (size_t c = 0; c < present; ++c) {
      const Field& f = row.fields[c];
      if (f.unescaped) unescaped_cells.push_back(out.cells.size());
      const size_t off = f.unescaped ? f.off : text_offset(f.off);
      out.cells.push_back({static_cast<uint32_t>(off), static_cast<uint32_t>(f.len)});
    }
    out.cells.resize(out.cells.size() + (out.columns - present));  // a short row: empty cells
    out.lines.push_back(row.line);
    out.field_counts.push_back(static_cast<uint32_t>(row.fields.size()));
  }
  copy_out();
  out.bytes = out.text.size();

  const auto raw_size = static_cast<uint32_t>(out.text.size());
  out.text += unescaped;
  for (const size_t cell : unescaped_cells) out.cells[cell].off += raw_size;
  return out.rows() > 0;
}

// ---------------------------------------------------------------------------
// MappedCsv

namespace {

// ---------------------------------------------------------------------------
// The fast row scan (MappedCsv)
//
// Most rows of a real file hold no quote: their fields are the text between
// commas up to the LF (or CRLF). Such a row is scanned 64 bytes at a time
// from bit masks of its commas, LFs and quotes, with no call per field, and
// its UTF-8 is checked in blocks of many rows at once. A row that holds a
// quote, that is longer than a field may be, that has too many fields or that
// ends the file with no line end is left to RowScanner, as are all rows after
// a block that is not valid UTF-8: so the rows, the lines and the first error
// are the same either way.

// The masks of the 64 bytes of `buf` from `at`, by `Masks` (block_masks.hpp);
// bytes past its end match nothing.
template <BlockMasks (*Masks)(const char*)>
BlockMasks masks_at(std::string_view buf, size_t at) {
  if (at + 64 <= buf.size()) return Masks(buf.data() + at);
  char tail[64] = {};
  std::memcpy(tail, buf.data() + at, buf.size() - at);
  return Masks(tail);
}

// How many bytes of `s` are `c` (std::count widens every byte to a 64-bit lane).
size_t count_byte(std::string_view s, char c) {
  size_t n = 0, i = 0;
#if defined(__SSE2__)
  const __m128i needle = _mm_set1_epi8(c);
  while (i + 16 <= s.size()) {
    // Up to 255 blocks counted in byte lanes, then summed.
    __m128i lanes = _mm_setzero_si128();
    for (int b = 0; b < 255 && i + 16 <= s.size(); ++b, i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
      lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(v, needle));
    }
    const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
    n += static_cast<size_t>(_mm_cvtsi128_si64(sums)) +
         static_cast<size_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
  }
#endif
  for (; i < s.size(); ++i) n += s[i] == c ? size_t{1} : size_t{0};
  return n;
}

// Scans the row at `pos` the fast way into `out` (cells relative to
// `start`), unless it is one RowScanner must scan (above): then returns false
// with `out` as it was. A blank row adds nothing. `checked` is where the
// bytes checked to be UTF-8 end; `bad_text` is set once a block is not.
template <BlockMasks (*Masks)(const char*)>
bool fast_row(std::string_view buf, size_t start, size_t& pos, uint32_t& line, size_t columns,
              size_t& checked, bool& bad_text, RawRows& out) {
  if (bad_text) return false;
  const size_t row_start = pos;
  const size_t mark = out.cells.size();
  // The row's cells are made first (empty and plain, as a short row's
  // missing ones are), then filled in place.
  out.cells.resize(mark + columns);
  out.plain.resize(mark + columns, 1);
  Span* cells = out.cells.data() + mark;
  uint8_t* plains = out.plain.data() + mark;
  size_t field = pos;  // where the field being scanned starts
  size_t fields = 0;
  // Whether the field holds a byte that is not plain text: in the blocks
  // before this one (`odd_before`), or in this one from `field_bits` on.
  bool odd_before = false;
  uint64_t field_bits = ~uint64_t{0};
  const auto add_field = [&](size_t end, bool plain) {
    if (fields < columns) {
      cells[fields] = {static_cast<uint32_t>(field - start), static_cast<uint32_t>(end - field)};
      plains[fields] = plain ? 1 : 0;
    }
    ++fields;
  };
  const auto give_up = [&] {
    out.cells.resize(mark);
    out.plain.resize(mark);
    return false;
  };
  size_t end = 0;  // the row's LF
  for (size_t at = pos;; at += 64) {
    if (at >= buf.size() || at + 64 - row_start > kMaxFieldBytes) return give_up();
    const auto m = masks_at<Masks>(buf, at);
    // Only the bytes up to the first LF belong to this row.
    const uint64_t upto = m.lf == 0 ? ~uint64_t{0} : (m.lf & -m.lf) * 2 - 1;  // 1 bits to the LF's
    if ((m.quote & upto) != 0) return give_up();
    for (uint64_t commas = m.comma & upto; commas != 0; commas &= commas - 1) {
      const auto bit = std::countr_zero(commas);
      const size_t comma = at + static_cast<size_t>(bit);
      const uint64_t before = (uint64_t{1} << bit) - 1;
      // The header has fewer than kMaxColumns columns: only a field past
      // them can be one too many.
      if (fields >= columns && fields + 1 >= kMaxColumns) return give_up();  // RowScanner says why
      add_field(comma, !odd_before && (m.odd & field_bits & before) == 0);
      field = comma + 1;
      odd_before = false;
      field_bits = 0 - (uint64_t{2} << bit);  // the bits after the comma's (none after bit 63)
    }
    if (m.lf != 0) {
      const auto bit = std::countr_zero(m.lf);
      end = at + static_cast<size_t>(bit);
      // The field's bytes end before the LF, and before a CR right before it.
      const int last = end > field && buf[end - 1] == '\r' ? bit - 1 : bit;
      const uint64_t before = last <= 0 ? 0 : (uint64_t{1} << last) - 1;
      odd_before = odd_before || (m.odd & field_bits & before) != 0;
      break;
    }
    odd_before = odd_before || (m.odd & field_bits) != 0;
    field_bits = ~uint64_t{0};
  }
  // A CR right before the LF is part of the line end (a CR elsewhere is data).
  // A CR that ends the block before the LF's has counted as not plain text:
  // a cell not known to be plain is checked again, so that errs on the safe
  // side.
  const bool crlf = end > field && buf[end - 1] == '\r';
  add_field(crlf ? end - 1 : end, !odd_before);
  if (end + 1 - start >= RawRows::kInText) return give_up();
  checked = std::max(checked, row_start);
  if (end + 1 > checked) {
    // Check a block of whole lines (UTF-8 has no sequence across an LF) of
    // at least 64 KiB, or to the end of the file.
    size_t to = std::min(buf.size(), std::max(end + 1, checked + (size_t{64} << 10)));
    if (to < buf.size()) to = buf.substr(0, to).rfind('\n') + 1;
    const auto block = buf.substr(checked, to - checked);
    if (find_invalid_utf8(block) != std::string_view::npos ||
        std::memchr(block.data(), 0, block.size()) != nullptr) {
      bad_text = true;
      return give_up();
    }
    checked = to;
  }
  pos = end + 1;
  ++line;
  if (fields == 1 && columns > 0 && cells[0].len == 0) {  // "\n" or "\r\n": blank
    out.cells.resize(mark);
    out.plain.resize(mark);
    return true;
  }
  out.lines.push_back(line - 1);
  out.field_counts.push_back(static_cast<uint32_t>(fields));
  return true;
}

// What scanning one segment found: where its last row ended (the next
// segment's true start) and the line there, or the error that stopped it.
struct SegmentScan {
  size_t end = 0;
  uint32_t end_line = 0;
  std::exception_ptr error;
};

// Scans the rows that begin in [start, limit) of a whole mapped file `buf`
// into `out`, whose cells point into the mapping (unescaped values into
// out.text). `line` is the line at `start`.
template <BlockMasks (*Masks)(const char*)>
SegmentScan scan_segment(std::string_view buf, size_t start, size_t limit, uint32_t line,
                         const std::string& name, size_t columns, RawRows& out) {
  out.clear();
  out.columns = columns;
  out.mapped = buf.data() + start;
  SegmentScan result;
  size_t pos = start;
  size_t checked = start;
  bool bad_text = false;
  try {
    Row row;
    while (pos < limit && pos < buf.size()) {
      if (fast_row<Masks>(buf, start, pos, line, columns, checked, bad_text, out)) continue;
      RowScanner(buf, true, out.text, name).scan(pos, line, row);
      const std::string_view bytes = buf.substr(row.begin, row.end - row.begin);
      check_utf8(name, bytes, row.line);
      check_row_size(name, row);
      pos = row.end;
      line += row.newlines;
      if (is_blank(bytes)) continue;
      if (row.end - start >= RawRows::kInText || out.text.size() >= RawRows::kInText)
        throw InputError(fmt::format("{}:{}: row is too large (over 2 GiB)", name, row.line));
      const size_t present = std::min(row.fields.size(), columns);
      for (size_t c = 0; c < present; ++c) {
        const Field& f = row.fields[c];
        const size_t off = f.unescaped ? (f.off | RawRows::kInText) : f.off - start;
        out.cells.push_back({static_cast<uint32_t>(off), static_cast<uint32_t>(f.len)});
      }
      out.cells.resize(out.cells.size() + (columns - present));  // a short row: empty cells
      out.plain.resize(out.cells.size(), 0);                     // not known
      out.lines.push_back(row.line);
      out.field_counts.push_back(static_cast<uint32_t>(row.fields.size()));
    }
  } catch (...) {
    result.error = std::current_exception();
  }
  result.end = pos;
  result.end_line = line;
  out.bytes = pos - start;
  return result;
}

// The segment scan for this machine: with AVX-512 masks where it has them.
using SegmentScanner = SegmentScan (*)(std::string_view, size_t, size_t, uint32_t, const std::string&, size_t,
                                       RawRows&);
SegmentScanner segment_scanner() {
#if defined(RISKLEDGER_WIDE_MASKS)
  if (has_wide_block_masks()) return scan_segment<wide_block_masks>;
#endif
  return scan_segment<block_masks>;
}

}  // namespace

std::unique_ptr<MappedCsv> MappedCsv::open(const std::string& path) {
  if (path == "-") return nullptr;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;  // CsvReader reports why
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return nullptr;
  }
  std::unique_ptr<MappedCsv> csv(new MappedCsv);
  csv->name_ = path;
  csv->size_ = static_cast<size_t>(st.st_size);
  if (csv->size_ > 0) {
    void* p = ::mmap(nullptr, csv->size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      ::close(fd);
      return nullptr;
    }
    csv->data_ = static_cast<const char*>(p);
  }
  csv->fd_ = fd;

  // The header: the first row that is not blank, after a UTF-8 byte order mark.
  const std::string_view buf(csv->data_, csv->size_);
  size_t pos = buf.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  uint32_t line = 1;
  std::string unescaped;
  Row row;
  while (pos < buf.size()) {
    RowScanner(buf, true, unescaped, csv->name_).scan(pos, line, row);
    const std::string_view bytes = buf.substr(row.begin, row.end - row.begin);
    check_utf8(csv->name_, bytes, row.line);
    check_row_size(csv->name_, row);
    pos = row.end;
    line += row.newlines;
    if (is_blank(bytes)) continue;
    for (const Field& f : row.fields) csv->header_.emplace_back(field_text(f, buf, unescaped));
    check_header(csv->name_, csv->header_, row.line);
    break;
  }
  csv->data_start_ = pos;
  csv->data_line_ = line;
  return csv;
}

MappedCsv::~MappedCsv() {
  if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  if (fd_ >= 0) ::close(fd_);
}

namespace {

// File bytes [from, from + size) read into a buffer kept from one window to
// the next.
struct Chunk {
  std::unique_ptr<char[]> data;
  size_t capacity = 0;
  size_t from = 0;
  size_t size = 0;
  std::string_view view() const { return {data.get(), size}; }
  bool holds(size_t offset) const { return offset >= from && offset - from < size; }
};

// Reads file bytes [from, to) of `fd` into `chunk`.
void read_chunk(int fd, const std::string& name, size_t from, size_t to, Chunk& chunk) {
  if (chunk.capacity < to - from) {
    chunk.data.reset(new char[to - from]);
    chunk.capacity = to - from;
  }
  chunk.from = from;
  chunk.size = 0;
  while (chunk.size < to - from) {
    const auto got = ::pread(fd, chunk.data.get() + chunk.size, to - from - chunk.size,
                             static_cast<off_t>(from + chunk.size));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw InputError(fmt::format("cannot read {}: {}", name, std::strerror(errno)));
    if (got == 0)
      throw InputError(fmt::format("cannot read {}: the file got shorter while it was read", name));
    chunk.size += static_cast<size_t>(got);
  }
}

}  // namespace

size_t MappedCsv::read(unsigned threads, const std::function<void(size_t, const RawRows&)>& each,
                       size_t segment_bytes, size_t window, const std::function<void(size_t)>& done) {
  const std::string_view buf(data_, size_);
  const size_t n = segments(segment_bytes);
  if (n == 0) return 0;
  const bool buffered = window != 0;
  if (window == 0) window = n;
  std::vector<size_t> nominal(n + 1);
  for (size_t k = 0; k < n; ++k) nominal[k] = data_start_ + k * segment_bytes;
  nominal[n] = size_;

  // Pages of a finished segment go back to the page cache (a segment scanned
  // again just reads them again).
  const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const auto release = [&](size_t from, size_t to) {
    from = (from + page - 1) / page * page;
    to = to / page * page;
    if (from < to) ::madvise(const_cast<char*>(data_) + from, to - from, MADV_DONTNEED);
  };

  // Buffered, a segment's chunk runs from the byte before it (is that a line
  // end?) to a little past its end, cut after the chunk's last line end: a
  // row that does not end in the chunk cannot be taken for one that ends at
  // the end of the file.
  const size_t slack = segment_bytes / 16 + 64;
  std::vector<Chunk> chunks(buffered ? window : 0);
  size_t first = 0;  // the window being read
  const auto chunk_of = [&](size_t k) -> const Chunk* { return buffered ? &chunks[k - first] : nullptr; };

  std::vector<size_t> start(n);
  std::vector<uint32_t> start_line(n);
  std::vector<SegmentScan> scans(n);
  const auto segment_scan = segment_scanner();
  // Rows buffers are kept from one segment to the next (a fresh one would
  // take fresh pages, a page fault each, every segment), one per segment
  // being scanned, until this call returns.
  std::vector<std::unique_ptr<RawRows>> spare;
  std::mutex spare_mutex;
  const auto run = [&](size_t k) {
    std::unique_ptr<RawRows> raw;
    {
      const std::lock_guard lock(spare_mutex);
      if (!spare.empty()) {
        raw = std::move(spare.back());
        spare.pop_back();
      }
    }
    if (!raw) raw = std::make_unique<RawRows>();
    // From the chunk unless something is wrong (that is scanned again from
    // the mapping, for the error the whole file gives). Rows past the end of
    // a chunk cut short are left to the next segment: it is found to start
    // where this one ended, not where it guessed, and is scanned again.
    bool scanned = false;
    if (const Chunk* chunk = chunk_of(k); chunk != nullptr && chunk->holds(start[k])) {
      auto scan = segment_scan(chunk->view(), start[k] - chunk->from, nominal[k + 1] - chunk->from,
                               start_line[k], name_, header_.size(), *raw);
      scan.end += chunk->from;
      scanned = !scan.error;
      if (scanned) scans[k] = scan;
    }
    if (!scanned)
      scans[k] = segment_scan(buf, start[k], nominal[k + 1], start_line[k], name_, header_.size(), *raw);
    if (!scans[k].error) {
      try {
        each(k, *raw);
      } catch (...) {
        scans[k].error = std::current_exception();
      }
    }
    // Rows scanned from the mapping point into it until `each` is done.
    if (!scanned) release(nominal[k], nominal[k + 1]);
    const std::lock_guard lock(spare_mutex);
    spare.push_back(std::move(raw));
  };
  // The first line end at or after nominal[k]: in the chunk if it has one.
  const auto line_end = [&](size_t k) -> const char* {
    if (const Chunk* chunk = chunk_of(k); chunk != nullptr && chunk->holds(nominal[k])) {
      const auto rest = chunk->view().substr(nominal[k] - chunk->from);
      if (const void* lf = std::memchr(rest.data(), '\n', rest.size()))
        return buf.data() + (nominal[k] + static_cast<size_t>(static_cast<const char*>(lf) - rest.data()));
    }
    return static_cast<const char*>(std::memchr(buf.data() + nominal[k], '\n', size_ - nominal[k]));
  };
  uint32_t line_at_nominal = data_line_;  // the line on which nominal[first] is
  size_t expected = data_start_;          // where the next segment must start
  uint32_t expected_line = data_line_;
  for (; first < n; first += window) {
    const size_t last = std::min(n, first + window);
    // Lines are counted first (one pass over LF bytes), so that every
    // segment knows the line it starts on; then each segment starts at the
    // first line end at or after its nominal offset.
    std::vector<uint32_t> lfs(last - first);
    std::vector<char> after_lf(last - first);  // does the byte before nominal[k] end a line?
    parallel_for(last - first, threads, [&](size_t i) {
      const size_t k = first + i;
      const size_t begin = k == 0 ? nominal[k] : nominal[k] - 1;
      std::string_view bytes = buf.substr(begin, nominal[k + 1] - begin);
      if (buffered) {
        auto& chunk = chunks[i];
        read_chunk(fd_, name_, begin, std::min(size_, nominal[k + 1] + slack), chunk);
        bytes = chunk.view().substr(0, nominal[k + 1] - begin);
        if (chunk.from + chunk.size < size_) {
          const auto cut = chunk.view().rfind('\n');
          chunk.size = cut == std::string_view::npos ? 0 : cut + 1;
        }
      }
      after_lf[i] = k == 0 || bytes.front() == '\n';
      lfs[i] = static_cast<uint32_t>(count_byte(bytes.substr(k == 0 ? 0 : 1), '\n'));
    });
    for (size_t k = first; k < last; ++k) {
      start[k] = nominal[k];
      start_line[k] = line_at_nominal;
      if (!after_lf[k - first]) {
        const char* lf = line_end(k);
        start[k] = lf == nullptr ? size_ : static_cast<size_t>(lf - buf.data()) + 1;
        if (lf != nullptr) ++start_line[k];
      }
      line_at_nominal += lfs[k - first];
    }
    parallel_for(last - first, threads, [&](size_t i) { run(first + i); });
    // Check every guess in file order: a segment must start where the one
    // before it ended.
    for (size_t k = first; k < last; ++k) {
      if (start[k] != expected) {
        start[k] = expected;
        start_line[k] = expected_line;
        run(k);
      }
      if (scans[k].error) std::rethrow_exception(scans[k].error);
      expected = scans[k].end;
      expected_line = scans[k].end_line;
      if (done) done(k);
    }
  }
  return n;
}

}  // namespace riskledger
