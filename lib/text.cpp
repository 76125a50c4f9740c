#include "text.hpp"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace riskledger {

std::vector<std::string_view> split_list(std::string_view list) {
  std::vector<std::string_view> items;
  for (size_t comma; (comma = list.find(',')) != std::string_view::npos; list.remove_prefix(comma + 1))
    items.push_back(trim(list.substr(0, comma)));
  items.push_back(trim(list));
  return items;
}

namespace {

// Eight bytes at a time (SWAR): the high bit of every lane; without SSE2,
// broadcast a byte to every lane, and test whether any lane of a word is
// zero (the classic haszero bit trick).
constexpr uint64_t kHighs = 0x8080808080808080ull;
#if !defined(__SSE2__)
constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t broadcast(unsigned char c) {
  return kOnes * c;
}
constexpr bool has_zero_byte(uint64_t v) {
  return ((v - kOnes) & ~v & kHighs) != 0;
}
#endif
}  // namespace

size_t find_invalid_utf8(std::string_view s) {
  if (s.size() >= 32 && valid_utf8_fast(s) == 1) return std::string_view::npos;
  return find_invalid_utf8_scalar(s);
}

size_t find_invalid_utf8_scalar(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // Skip plain ASCII eight bytes at a time.
    while (i + 8 <= n && (load8(s.data() + i) & kHighs) == 0) i += 8;
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3Fu);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid.
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return i;
    i += len;
  }
  return std::string_view::npos;
}

bool parse_number_general(const char* first, const char* last, double& value) {
  auto result = fast_float::from_chars(first, last, value, fast_float::chars_format::general);
  if (result.ec != std::errc() || result.ptr != last || !std::isfinite(value)) return false;
  if (value == 0) value = 0;  // "-0" is 0
  return true;
}

// Optimal string alignment distance: insertions, deletions, substitutions
// and transpositions of neighbours ("scroe" -> "score") each cost 1.
bool iequals_ascii(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

size_t edit_distance(std::string_view a, std::string_view b) {
  const size_t w = b.size() + 1;
  std::vector<size_t> d((a.size() + 1) * w);
  for (size_t i = 0; i <= a.size(); ++i) d[i * w] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t best = std::min({d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        best = std::min(best, d[(i - 2) * w + j - 2] + 1);
      d[i * w + j] = best;
    }
  }
  return d[a.size() * w + b.size()];
}

std::string did_you_mean(std::string_view word, std::span<const std::string> candidates) {
  if (word.empty()) return {};
  std::string best;
  size_t best_distance = std::max<size_t>(1, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    const size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  if (!best.empty() || word.size() < 4) return best;
  // A shortened or pluralised name: "casualty" for "casualties", "people" for "people_involved".
  for (const auto& candidate : candidates)
    if (candidate.size() >= 4 &&
        (candidate.starts_with(word.substr(0, word.size() - 1)) || word.starts_with(candidate)))
      return candidate;
  return {};
}

std::string format_fixed(int64_t units, int precision) {
  std::string out;
  append_fixed(out, units, precision);
  return out;
}

// Digits from the last, straight into the output (digits written to a buffer
// of their own and then copied are read back before their stores are done,
// which stalls): this runs for every row of a ledger.
namespace {
// "00" to "99": two digits a step, as most integer printers do.
constexpr std::array<char, 200> kTwoDigits = [] {
  std::array<char, 200> t{};
  for (int i = 0; i < 100; ++i) {
    t[static_cast<size_t>(2 * i)] = static_cast<char>('0' + i / 10);
    t[static_cast<size_t>(2 * i + 1)] = static_cast<char>('0' + i % 10);
  }
  return t;
}();

// Writes the last two decimal digits of `v` before `p`; returns v / 100.
inline uint64_t two_digits_before(char*& p, uint64_t v) {
  const uint64_t q = v / 100;
  p -= 2;
  std::memcpy(p, kTwoDigits.data() + 2 * (v - 100 * q), 2);
  return q;
}

// Writes `v` in decimal before `p`.
inline void digits_before(char*& p, uint64_t v) {
  while (v >= 100) v = two_digits_before(p, v);
  if (v >= 10)
    two_digits_before(p, v);
  else
    *--p = static_cast<char>('0' + v);
}

// How many decimal digits `v` has (1 for 0): about log10 from the bit width
// (1233 / 4096 is just below log10(2)), then one comparison.
inline size_t decimal_digits(uint64_t v) {
  static constexpr auto kPow10 = [] {
    std::array<uint64_t, 20> p{};
    p[0] = 1;
    for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
    return p;
  }();
  const uint64_t w = v | 1;  // 0 has a digit; no power of ten above 1 is odd
  const auto t = static_cast<size_t>(std::bit_width(w)) * 1233 >> 12;
  return t + (w >= kPow10[t] ? 1 : 0);
}

// Room for `n` more bytes at the end of `out`.
inline char* extend(std::string& out, size_t n) {
  out.resize(out.size() + n);
  return out.data() + out.size() - n;
}
inline char* extend(RowBuffer& out, size_t n) {
  return out.extend(n);
}
}  // namespace

template <class Out>
void append_uint(Out& out, uint64_t value) {
  const size_t n = decimal_digits(value);
  char* p = extend(out, n) + n;
  digits_before(p, value);
}

template <class Out>
void append_fixed(Out& out, int64_t units, int precision) {
  // Most values written are scores and points at two decimals below
  // 10,000 ("0.00" to "9999.99"): the whole part's width from three
  // comparisons, not from the general count of digits.
  if (precision == 2 && static_cast<uint64_t>(units) < 1000000) {
    const auto m = static_cast<uint64_t>(units);
    const uint64_t whole = m / 100;
    const size_t n = (whole < 10 ? 4 : whole < 100 ? 5 : whole < 1000 ? 6 : 7);
    char* p = extend(out, n) + n;
    p -= 2;
    std::memcpy(p, kTwoDigits.data() + 2 * (m - 100 * whole), 2);
    *--p = '.';
    digits_before(p, whole);
    return;
  }
  const bool negative = units < 0;
  uint64_t magnitude = negative ? uint64_t{0} - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  const auto fraction = static_cast<size_t>(std::clamp(precision, 0, 40));
  // At least one digit before the point: the fraction is zero-padded.
  const size_t digits = std::max(decimal_digits(magnitude), fraction + 1);
  const size_t n = digits + (fraction > 0 ? 1 : 0) + (negative ? 1 : 0);
  char* p = extend(out, n) + n;
  size_t rest = fraction;
  for (; rest >= 2; rest -= 2) magnitude = two_digits_before(p, magnitude);
  if (rest == 1) {
    *--p = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  }
  if (fraction > 0) *--p = '.';
  digits_before(p, magnitude);
  if (negative) *--p = '-';
}

// Both scans look at 16 bytes at a time (SSE2, in every x86-64), the rest
// byte by byte; without SSE2, 8 at a time (SWAR).
bool is_plain_text(std::string_view s) {
  size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);  // v <= 0x1F
    const __m128i special = _mm_or_si128(
        _mm_or_si128(control, _mm_cmpeq_epi8(v, _mm_set1_epi8(','))),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
    if (_mm_movemask_epi8(special) != 0) return false;
  }
#else
  const auto special = [](uint64_t v) {
    // Any lane below 0x20 (the hasless trick, exact for "any"), or a comma,
    // quote or backslash.
    return ((v - broadcast(0x20)) & ~v & kHighs) != 0 || has_zero_byte(v ^ broadcast(',')) ||
           has_zero_byte(v ^ broadcast('"')) || has_zero_byte(v ^ broadcast('\\'));
  };
  for (; i + 8 <= s.size(); i += 8)
    if (special(load8(s.data() + i))) return false;
#endif
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == ',' || c == '"' || c == '\\') return false;
  }
  return true;
}

namespace {
// True when a CSV field must be quoted: it holds a comma, quote, CR or LF.
// (A plain loop: string_view::find_first_of calls memchr once per byte.)
bool needs_quotes(std::string_view s) {
  size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i hit = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')), _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))));
    if (_mm_movemask_epi8(hit) != 0) return true;
  }
#else
  for (; i + 8 <= s.size(); i += 8) {
    const uint64_t v = load8(s.data() + i);
    if (has_zero_byte(v ^ broadcast(',')) || has_zero_byte(v ^ broadcast('"')) ||
        has_zero_byte(v ^ broadcast('\r')) || has_zero_byte(v ^ broadcast('\n')))
      return true;
  }
#endif
  for (; i < s.size(); ++i)
    if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n') return true;
  return false;
}
}  // namespace

template <class Out>
void append_csv_field(Out& out, std::string_view s) {
  if (!needs_quotes(s)) {
    out.append(s);
    return;
  }
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

template <class Out>
void make_csv_field(Out& out, size_t from) {
  const std::string_view tail(out.data() + from, out.size() - from);
  if (!needs_quotes(tail)) return;
  const std::string value(tail);
  out.resize(from);
  append_csv_field(out, value);
}

template <class Out>
void append_json_string(Out& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        if (u < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 0xF]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void RowBuffer::grow(size_t more) {
  const size_t capacity = std::max({size_ + more, 2 * capacity_, size_t{4096}});
  auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
  if (size_ != 0) std::memcpy(bigger.get(), data_.get(), size_);
  data_ = std::move(bigger);
  capacity_ = capacity;
}

template void append_uint(std::string&, uint64_t);
template void append_uint(RowBuffer&, uint64_t);
template void append_fixed(std::string&, int64_t, int);
template void append_fixed(RowBuffer&, int64_t, int);
template void append_csv_field(std::string&, std::string_view);
template void append_csv_field(RowBuffer&, std::string_view);
template void make_csv_field(std::string&, size_t);
template void make_csv_field(RowBuffer&, size_t);
template void append_json_string(std::string&, std::string_view);
template void append_json_string(RowBuffer&, std::string_view);

}  // namespace riskledger
