#pragma once
// Small text utilities shared by the readers, the rules loader and the writers.
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace riskledger {

// ASCII whitespace: space, tab, LF, VT, FF, CR (tab to CR are 9 to 13).
inline bool is_space(char c) {
  return c == ' ' || static_cast<unsigned char>(c - '\t') <= '\r' - '\t';
}

// ASCII whitespace trimmed from both ends. Inline: every cell read is trimmed.
inline std::string_view trim(std::string_view s) {
  // Most cells start and end with a byte above the space: nothing to trim.
  if (!s.empty() && static_cast<unsigned char>(s.front()) > ' ' && static_cast<unsigned char>(s.back()) > ' ')
    return s;
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// The items of a comma-separated list (--columns), each trimmed; an empty
// item stays in, empty.
std::vector<std::string_view> split_list(std::string_view list);

// Byte offset of the first byte that is not part of valid UTF-8, or npos.
// Checks with valid_utf8_fast first, and scans byte by byte only when that
// finds a problem (or cannot run), to say where.
size_t find_invalid_utf8(std::string_view s);
size_t find_invalid_utf8_scalar(std::string_view s);
// 1 when `s` is valid UTF-8, 0 when not, -1 when this machine has no SIMD
// validator (AVX2); see utf8_simd.cpp.
int valid_utf8_fast(std::string_view s);

// Throws InputError `NAME:LINE: invalid UTF-8 (byte 0xNN at column C); ...` for the
// first byte of `bytes` that is not valid UTF-8; `first_line` is the line
// on which `bytes` starts. Used by both readers (defined in csv_reader.cpp).
void check_utf8(const std::string& name, std::string_view bytes, uint32_t first_line);

// The 8 bytes at `p` as one word (in memory order), from any address.
inline uint64_t load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Whether `a` and `b` hold the same bytes: for the short texts of enum
// values and codes, compared here (two loads of each that may overlap)
// rather than by a call to memcmp.
inline bool same_bytes(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  const auto load4 = [](const char* s) {
    uint32_t v;
    std::memcpy(&v, s, 4);
    return v;
  };
  if (n >= 8 && n <= 16) return ((load8(p) ^ load8(q)) | (load8(p + n - 8) ^ load8(q + n - 8))) == 0;
  if (n >= 4 && n < 8) return ((load4(p) ^ load4(q)) | (load4(p + n - 4) ^ load4(q + n - 4))) == 0;
  if (n < 4) {
    for (size_t i = 0; i < n; ++i)
      if (p[i] != q[i]) return false;
    return true;
  }
  return std::memcmp(p, q, n) == 0;
}

// [first, last) as a number the general way (fast_float), for parse_number:
// false when it is not one.
bool parse_number_general(const char* first, const char* last, double& value);

// Parses a whole string as a finite decimal number ("12", "-0.5", "1e3")
// into `value`; false, with `value` unspecified, for empty text, trailing
// garbage, hex, inf and nan. Inline: most typed cells are numbers. (A flag
// and an out-parameter, not an optional: an optional<double> goes through
// the stack, and its two stores read back as one stall the load.)
inline bool parse_number(std::string_view s, double& value) {
  if (s.empty()) return false;
  const char* first = s.data();
  const char* last = s.data() + s.size();
  if (*first == '+') ++first;  // from_chars does not take a leading plus
  if (first == last) return false;
  // Most values are a few digits, with or without a fraction ("28.3"): with
  // at most 15 digits, m (the digits as an integer) is exact as a double,
  // and so is 10^f for f fraction digits, so m / 10^f is the correctly
  // rounded value (Clinger's fast path), as fast_float would convert it.
  if (last - first <= 16) {
    static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    uint64_t m = 0;
    const char* p = first;
    for (; p != last && static_cast<unsigned>(*p - '0') < 10; ++p)
      m = m * 10 + static_cast<unsigned>(*p - '0');
    if (p == last && last - first <= 15) {
      value = static_cast<double>(m);
      return true;
    }
    if (p != first && p != last && *p == '.' && p + 1 != last) {
      const char* dot = p++;
      for (; p != last && static_cast<unsigned>(*p - '0') < 10; ++p)
        m = m * 10 + static_cast<unsigned>(*p - '0');
      if (p == last) {
        value = static_cast<double>(m) / kPow10[last - dot - 1];
        return true;
      }
    }
  }
  return parse_number_general(first, last, value);
}

// The same, as an optional.
inline std::optional<double> parse_number(std::string_view s) {
  double value = 0;
  if (!parse_number(s, value)) return std::nullopt;
  return value;
}

// Equal ignoring ASCII letter case (header names, codes and aliases).
bool iequals_ascii(std::string_view a, std::string_view b);

// Levenshtein distance, for "did you mean" suggestions.
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely
// typo (distance <= max(1, len/3)), else empty.
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);

// The bytes of a row being rendered. An append is a room check and a copy,
// inline where it is called: std::string's append is a call into its
// general code, and a ledger row is some forty appends. Grows as needed;
// clear() keeps the room for the next row.
class RowBuffer {
 public:
  using value_type = char;
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  char* data() { return data_.get(); }
  const char* data() const { return data_.get(); }
  std::string_view view() const { return {data_.get(), size_}; }
  void clear() { size_ = 0; }
  // Only shortens (make_csv_field takes back what it quotes).
  void resize(size_t n) { size_ = n < size_ ? n : size_; }
  void push_back(char c) {
    if (size_ == capacity_) grow(1);
    data_[size_++] = c;
  }
  void append(const char* s, size_t n) {
    if (n > capacity_ - size_) grow(n);
    char* d = data_.get() + size_;
    // Most pieces of a row are short: copied here by two moves that may
    // overlap, each byte read and written within the n, not by a call.
    if (n > 32) {
      std::memcpy(d, s, n);
    } else if (n >= 16) {
      move_overlapping<16>(d, s, n);
    } else if (n >= 8) {
      move_overlapping<8>(d, s, n);
    } else if (n >= 4) {
      move_overlapping<4>(d, s, n);
    } else if (n != 0) {  // an empty view's data may be null
      d[0] = s[0];
      d[n / 2] = s[n / 2];
      d[n - 1] = s[n - 1];
    }
    size_ += n;
  }
  void append(std::string_view s) { append(s.data(), s.size()); }
  // Room for `n` more bytes, taken as written: the caller fills them in.
  char* extend(size_t n) {
    if (n > capacity_ - size_) grow(n);
    char* d = data_.get() + size_;
    size_ += n;
    return d;
  }
  RowBuffer& operator+=(std::string_view s) {
    append(s.data(), s.size());
    return *this;
  }
  RowBuffer& operator+=(char c) {
    push_back(c);
    return *this;
  }

 private:
  void grow(size_t more);  // room for `more` bytes past size()
  // The first and the last W bytes of n (W <= n <= 2 W).
  template <size_t W>
  static void move_overlapping(char* d, const char* s, size_t n) {
    char head[W], tail[W];
    std::memcpy(head, s, W);
    std::memcpy(tail, s + n - W, W);
    std::memcpy(d, head, W);
    std::memcpy(d + n - W, tail, W);
  }
  std::unique_ptr<char[]> data_;
  size_t size_ = 0, capacity_ = 0;
};

// Fixed-point formatting of an integer number of 10^-precision units:
// format_fixed(7240, 2) == "72.40", format_fixed(-5, 2) == "-0.05".
// The append_ functions here write to a std::string or a RowBuffer.
std::string format_fixed(int64_t units, int precision);
template <class Out>
void append_fixed(Out& out, int64_t units, int precision);
template <class Out>
void append_uint(Out& out, uint64_t value);

// True when `s` has no comma, quote, backslash or control byte (below 0x20):
// then it is written as it is in CSV, and between quotes in JSON.
bool is_plain_text(std::string_view s);

// Appends `s` to `out` as a CSV field, quoted only when it holds a comma,
// quote, CR or LF (quotes doubled inside).
template <class Out>
void append_csv_field(Out& out, std::string_view s);
// The bytes of `out` from `from` on, appended as they are, made one CSV
// field the way append_csv_field would have written them.
template <class Out>
void make_csv_field(Out& out, size_t from);

// Appends `s` to `out` as a JSON string literal with quotes.
template <class Out>
void append_json_string(Out& out, std::string_view s);

}  // namespace riskledger
