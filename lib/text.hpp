#pragma once
// Small text utilities shared by the readers, the rules loader and the writers.
#include <cstdint>
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

// Parses a whole string as a finite decimal number ("12", "-0.5", "1e3").
// Rejects empty text, trailing garbage, hex, inf and nan.
std::optional<double> parse_number(std::string_view s);

// Equal ignoring ASCII letter case (header names, codes and aliases).
bool iequals_ascii(std::string_view a, std::string_view b);

// Levenshtein distance, for "did you mean" suggestions.
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely
// typo (distance <= max(1, len/3)), else empty.
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);

// Fixed-point formatting of an integer number of 10^-precision units:
// format_fixed(7240, 2) == "72.40", format_fixed(-5, 2) == "-0.05".
std::string format_fixed(int64_t units, int precision);
void append_fixed(std::string& out, int64_t units, int precision);
void append_uint(std::string& out, uint64_t value);

// True when `s` has no comma, quote, backslash or control byte (below 0x20):
// then it is written as it is in CSV, and between quotes in JSON.
bool is_plain_text(std::string_view s);

// Appends `s` to `out` as a CSV field, quoted only when it holds a comma,
// quote, CR or LF (quotes doubled inside).
void append_csv_field(std::string& out, std::string_view s);
// The bytes of `out` from `from` on, appended as they are, made one CSV
// field the way append_csv_field would have written them.
void make_csv_field(std::string& out, size_t from);

// Appends `s` to `out` as a JSON string literal with quotes.
void append_json_string(std::string& out, std::string_view s);

}  // namespace riskledger
