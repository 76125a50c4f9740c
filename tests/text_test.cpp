#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "dates.hpp"
#include "text.hpp"

using namespace riskledger;

TEST_CASE("parse_number accepts finite decimals only") {
  CHECK(parse_number("12") == 12.0);
  CHECK(parse_number("-0.5") == -0.5);
  CHECK(parse_number("+3") == 3.0);
  CHECK(parse_number("1e3") == 1000.0);
  CHECK(*parse_number("-0") == 0.0);
  CHECK_FALSE(parse_number(""));
  CHECK_FALSE(parse_number("abc"));
  CHECK_FALSE(parse_number("3x"));
  CHECK_FALSE(parse_number("0x10"));
  CHECK_FALSE(parse_number("1e400"));  // overflows to infinity
  CHECK_FALSE(parse_number("NaN"));
  CHECK_FALSE(parse_number("inf"));
  CHECK_FALSE(parse_number(" 3"));  // callers trim first
  // Digits only, up to 15 of them, take the integer path; longer ones and
  // anything else go through fast_float. Both must agree.
  CHECK(parse_number("007") == 7.0);
  CHECK(parse_number("+0") == 0.0);
  CHECK(parse_number("999999999999999") == 999999999999999.0);    // 15 digits, below 2^53
  CHECK(parse_number("9007199254740993") == 9007199254740992.0);  // 16 digits: 2^53 + 1 rounds to even
  CHECK_FALSE(parse_number("+"));
  CHECK_FALSE(parse_number("1 2"));
  CHECK_FALSE(std::signbit(*parse_number("-0")));
}

// "digits.digits" with at most 15 digits is worked out as m / 10^f; it must
// be the double strtod gives (the correctly rounded one), for short and long
// fractions and up to the 15-digit limit, where fast_float takes over.
TEST_CASE("parse_number: a decimal fraction is the correctly rounded double") {
  CHECK(parse_number("28.3") == 28.3);
  CHECK(parse_number("0.1") == 0.1);
  CHECK(parse_number("00.10") == 0.1);
  CHECK(parse_number("610.83") == 610.83);
  CHECK(parse_number("1.5e3") == 1500.0);  // an exponent: fast_float
  CHECK(parse_number(".5") == 0.5);        // no digit before the point: fast_float
  CHECK_FALSE(parse_number("1.2.3"));
  CHECK_FALSE(parse_number("1.x"));
  uint64_t state = 12345;
  const auto next = [&state] {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return state >> 33;
  };
  for (int i = 0; i < 20000; ++i) {
    const auto digits = 2 + next() % 16;  // 2 to 17: across the 15-digit limit
    const auto point = 1 + next() % (digits - 1);
    std::string text;
    for (uint64_t d = 0; d < digits; ++d) {
      if (d == point) text += '.';
      text += static_cast<char>('0' + next() % 10);
    }
    CAPTURE(text);
    REQUIRE(parse_number(text).has_value());
    CHECK(*parse_number(text) == std::strtod(text.c_str(), nullptr));
  }
}

TEST_CASE("format_fixed prints exactly `precision` decimals") {
  CHECK(format_fixed(7240, 2) == "72.40");
  CHECK(format_fixed(5, 2) == "0.05");
  CHECK(format_fixed(0, 2) == "0.00");
  CHECK(format_fixed(-5, 2) == "-0.05");
  CHECK(format_fixed(25, 0) == "25");
  CHECK(format_fixed(100000, 3) == "100.000");
}

TEST_CASE("CSV fields are quoted only when they must be") {
  std::string out;
  append_csv_field(out, "plain 文本");
  CHECK(out == "plain 文本");
  out.clear();
  append_csv_field(out, "a,b");
  CHECK(out == "\"a,b\"");
  out.clear();
  append_csv_field(out, "say \"hi\"");
  CHECK(out == "\"say \"\"hi\"\"\"");
  out.clear();
  append_csv_field(out, "two\nlines");
  CHECK(out == "\"two\nlines\"");
}

TEST_CASE("JSON strings escape quotes, backslashes and control characters") {
  std::string out;
  append_json_string(out, "a\"b\\c\nd\x01 中");
  CHECK(out == "\"a\\\"b\\\\c\\nd\\u0001 中\"");
}

TEST_CASE("invalid UTF-8 is found at its first bad byte") {
  CHECK(find_invalid_utf8("ok 中文") == std::string_view::npos);
  CHECK(find_invalid_utf8("ab\xB9\xFA") == 2);     // GB18030 bytes
  CHECK(find_invalid_utf8("\xC0\xAF") == 0);       // overlong '/'
  CHECK(find_invalid_utf8("x\xED\xA0\x80") == 1);  // surrogate
  CHECK(find_invalid_utf8("\xE4\xB8") == 0);       // truncated sequence
}

TEST_CASE("did_you_mean suggests close names only") {
  const std::vector<std::string> names{"severity", "harm", "loss", "scope"};
  CHECK(did_you_mean("harms", names) == "harm");
  CHECK(did_you_mean("severty", names) == "severity");
  CHECK(did_you_mean("zzzzzz", names).empty());
}

TEST_CASE("dates: strict parsing and day arithmetic") {
  CHECK(parse_date("1970-01-01") == 0);
  // 1970-01-01 .. 2026-01-01: 56 years, 14 leap days (1972..2024): 56*365 + 14 = 20454;
  // then Jan..Oct 2026 = 304 days, plus 24: 20454 + 304 + 24 = 20782.
  CHECK(parse_date("2026-11-25") == 20782);
  CHECK(format_date(*parse_date("2026-11-25")) == "2026-11-25");
  CHECK(format_date(*parse_date("2026/3/7")) == "2026-03-07");
  CHECK(*parse_date("2024-03-01") - *parse_date("2024-02-28") == 2);  // leap year
  CHECK(*parse_date("2026-03-01") - *parse_date("2026-02-28") == 1);
  CHECK_FALSE(parse_date("2026-02-30"));
  CHECK_FALSE(parse_date("2026-13-01"));
  CHECK_FALSE(parse_date("2026-1-5"));  // dashes need two digits
  CHECK_FALSE(parse_date("26-01-05"));
  CHECK_FALSE(parse_date("2026-01-05x"));
  CHECK(format_date(*parse_date("2026-11-10") + 7) == "2026-11-17");
  CHECK(format_date(*parse_date("2026-12-28") + 7) == "2027-01-04");
}

TEST_CASE("dates: every day of 1900..2999, read twice, the day after the one before") {
  // Ten-byte dates are remembered per thread (2,048 slots): the second
  // reading of each, and readings after the slots fill up and collide, must
  // give the same day as the first. 1900-01-01 is day -25567 (70 years of
  // 365 days and 17 leap days before 1970: 25550 + 17).
  Day expected = 0;
  std::string text;
  for (int pass = 0; pass < 2; ++pass) {
    expected = -25567;
    for (int y = 1900; y <= 2999; ++y) {
      const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
      for (unsigned m = 1; m <= 12; ++m) {
        static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        const unsigned days = m == 2 && leap ? 29 : kDays[m - 1];
        for (unsigned d = 1; d <= days; ++d, ++expected) {
          text = fmt::format("{:04}-{:02}-{:02}", y, m, d);
          const auto day = parse_date(text);
          if (!day || *day != expected) FAIL(text, " read as ", day ? *day : INT32_MIN, ", not ", expected);
        }
        CHECK_FALSE(parse_date(fmt::format("{:04}-{:02}-{:02}", y, m, days + 1)));  // a day too many
      }
    }
  }
  // 1100 years of 365 days, and 267 leap days: the 275 years divisible by 4
  // less the eight centuries not divisible by 400 (1900, 2100, 2200, 2300,
  // 2500, 2600, 2700, 2900). 401,500 + 267 days after -25567.
  CHECK(expected == -25567 + 401500 + 267);
  CHECK_FALSE(parse_date("3000-01-01"));
  CHECK_FALSE(parse_date("1899-12-31"));
}

TEST_CASE("quoting and UTF-8 checks see every position of long strings") {
  for (size_t at = 0; at < 24; ++at) {
    for (const char special : {',', '"', '\r', '\n'}) {
      std::string s(24, 'x');
      s[at] = special;
      std::string out;
      append_csv_field(out, s);
      CHECK(out.front() == '"');
    }
    std::string bad(24, 'a');
    bad[at] = '\xFF';
    CHECK(find_invalid_utf8(bad) == at);
  }
  std::string out;
  append_csv_field(out, std::string(40, 'y'));
  CHECK(out == std::string(40, 'y'));
}

// Text appended as it is, then made one CSV field: quoted, quotes doubled,
// only when it needs it; what came before `from` is left alone.
TEST_CASE("make_csv_field quotes the tail of a buffer as append_csv_field would") {
  std::string out = "a,b,";
  out += "x: 1 >= 0";
  make_csv_field(out, 4);
  CHECK(out == "a,b,x: 1 >= 0");
  out += ',';
  const size_t from = out.size();
  out += "override w: t == \"新\", u";
  make_csv_field(out, from);
  CHECK(out == "a,b,x: 1 >= 0,\"override w: t == \"\"新\"\", u\"");
  out += ',';
  make_csv_field(out, out.size());  // nothing appended: an empty field
  CHECK(out.back() == ',');
}

// Plain text has no byte below 0x20, comma, quote or backslash: each one is
// seen at every position of a 40-byte string (two 16-byte blocks and a
// tail); DEL, bytes of 0x80 and up, and the rest of ASCII are plain.
TEST_CASE("is_plain_text sees a special byte at every position") {
  CHECK(is_plain_text(""));
  CHECK(is_plain_text("风险 point ~\x7F" + std::string(30, 'q')));
  for (size_t at = 0; at < 40; ++at) {
    for (const char special : {',', '"', '\\', '\0', '\t', '\n', '\x1F'}) {
      std::string s(40, 'x');
      s[at] = special;
      CAPTURE(at);
      CHECK_FALSE(is_plain_text(s));
    }
    std::string fine(40, 'x');
    fine[at] = ' ';  // 0x20: plain
    CHECK(is_plain_text(fine));
  }
}

TEST_CASE("trim removes the six ASCII whitespace characters") {
  CHECK(trim(" \t\n\v\f\r3 \v\f") == "3");
  CHECK(trim("中 文") == "中 文");
  // Whitespace at one end only (the other end's byte is above the space),
  // a single byte, nothing but whitespace, and the bytes just around it:
  // '!' (0x21) and DEL (0x7F) are not whitespace, nor is 0x08 (below tab).
  CHECK(trim(" a") == "a");
  CHECK(trim("a\r") == "a");
  CHECK(trim("\t中") == "中");
  CHECK(trim("x") == "x");
  CHECK(trim(" ") == "");
  CHECK(trim("\n\r") == "");
  CHECK(trim("") == "");
  CHECK(trim("!\x7f") == "!\x7f");
  CHECK(trim("\x08a\x08") == "\x08a\x08");
}

// The SIMD validator must agree with the byte-by-byte scan on every input:
// random strings built from pieces that make every kind of sequence, valid
// and broken (leads without continuations, stray continuations, overlong
// forms, surrogates, values past U+10FFFF, sequences cut at the end),
// at every length around the 32-byte blocks.
TEST_CASE("utf-8: the SIMD validator agrees with the scalar scan") {
  if (valid_utf8_fast("") == -1) {
    MESSAGE("no AVX2 on this machine: the SIMD validator is not used");
    return;
  }
  const std::vector<std::string> pieces = {
      "a",
      "~",
      "\n",
      std::string(1, '\0'),
      "\x7F",  // ASCII
      "\xC2\x80",
      "\xDF\xBF",
      "\xC0\x80",
      "\xC1\xBF",  // 2-byte, overlong
      "\xE0\xA0\x80",
      "\xE0\x9F\xBF",
      "\xE4\xB8\xAD",
      "\xED\x9F\xBF",  // 3-byte, overlong
      "\xED\xA0\x80",
      "\xEF\xBF\xBF",  // surrogate, U+FFFF
      "\xF0\x90\x80\x80",
      "\xF0\x8F\xBF\xBF",
      "\xF4\x8F\xBF\xBF",  // 4-byte, overlong
      "\xF4\x90\x80\x80",
      "\xF5\x80\x80\x80",
      "\xFF",
      "\xFE",  // too large, invalid
      "\x80",
      "\xBF",
      "\xC2",
      "\xE4\xB8",
      "\xF0\x90\x80",
      "\xE4",
      "\xF0",  // stray, cut short
  };
  uint64_t state = 0x9E3779B97F4A7C15ull;
  const auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  int valid = 0, invalid = 0;
  for (int round = 0; round < 200000; ++round) {
    std::string s;
    const size_t target = next() % 100;
    // Mostly valid text with a rare broken piece, so that long valid runs
    // with one error in any position are common.
    const bool clean = next() % 4 == 0;
    while (s.size() < target) {
      size_t k = next() % pieces.size();
      if (next() % 8 != 0) k = next() % 2 ? 11 : 0;  // 中 or 'a'
      if (clean && (k == 7 || k == 8 || k == 10 || k == 13 || k >= 16)) continue;
      s += pieces[k];
    }
    const bool expected = find_invalid_utf8_scalar(s) == std::string_view::npos;
    (expected ? valid : invalid) += 1;
    CAPTURE(s);
    REQUIRE((valid_utf8_fast(s) == 1) == expected);
  }
  // Both kinds occurred often enough to mean something.
  CHECK(valid > 10000);
  CHECK(invalid > 10000);
}

TEST_CASE("split_list: comma-separated items, each trimmed, empty ones kept") {
  CHECK(split_list(" rank, id ,,备注 ") == std::vector<std::string_view>{"rank", "id", "", "备注"});
  CHECK(split_list("") == std::vector<std::string_view>{""});
  CHECK(split_list("a,") == std::vector<std::string_view>{"a", ""});
}

// Scores in units of 10^-precision, written with exactly `precision` decimals.
TEST_CASE("append_fixed and append_uint") {
  const auto fixed = [](int64_t units, int precision) {
    std::string out = "x";  // appended to, not replaced
    append_fixed(out, units, precision);
    return out;
  };
  CHECK(fixed(12345, 2) == "x123.45");
  CHECK(fixed(-5, 2) == "x-0.05");
  CHECK(fixed(7, 0) == "x7");
  CHECK(fixed(0, 3) == "x0.000");
  CHECK(fixed(100000, 6) == "x0.100000");
  CHECK(fixed(INT64_MIN, 6) == "x-9223372036854.775808");
  // Two decimals below 10,000 take a shorter way: each width of the whole
  // part at its edges, and the first values past it (10,000.00 and the
  // negatives) the general way.
  CHECK(fixed(0, 2) == "x0.00");
  CHECK(fixed(999, 2) == "x9.99");
  CHECK(fixed(1000, 2) == "x10.00");
  CHECK(fixed(9999, 2) == "x99.99");
  CHECK(fixed(10000, 2) == "x100.00");
  CHECK(fixed(99999, 2) == "x999.99");
  CHECK(fixed(100000, 2) == "x1000.00");
  CHECK(fixed(999999, 2) == "x9999.99");
  CHECK(fixed(1000000, 2) == "x10000.00");
  CHECK(fixed(-1, 2) == "x-0.01");
  CHECK(fixed(-999999, 2) == "x-9999.99");
  std::string out;
  append_uint(out, 0);
  append_uint(out, UINT64_MAX);
  CHECK(out == "018446744073709551615");
}

// A row buffer grows past its first 4096 bytes and keeps what it held; the
// same appends to a std::string give the same bytes.
TEST_CASE("RowBuffer: appends across growth, resize only shortens") {
  RowBuffer row;
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    const std::string piece = fmt::format("{},", i);  // 2 to 4 bytes: 3890 in all
    row += piece;
    expected += piece;
    row += 'x';
    expected += 'x';
    append_fixed(row, -i, 1);
    append_fixed(expected, -i, 1);
  }
  row.append(std::string_view{});  // empty: nothing, and no copy from a null pointer
  REQUIRE(expected.size() > 4096 * 2);
  CHECK(row.view() == expected);
  row.resize(row.size() + 5);  // does not grow
  CHECK(row.size() == expected.size());
  row.resize(3);
  CHECK(row.view() == "0,x");
  row.clear();
  CHECK(row.empty());
  row += "again";
  CHECK(row.view() == "again");
}

// Pieces of every length up to 70 (copied inline up to 32 bytes, in four
// ways by length) from offsets 7 apart in a text whose bytes repeat only
// every 90, so a byte copied from or to the wrong place shows.
TEST_CASE("RowBuffer: pieces of every length") {
  std::string text;
  for (int i = 0; i < 100; ++i) text += static_cast<char>(' ' + i % 90);
  RowBuffer row;
  std::string expected;
  for (size_t n = 0; n <= 70; ++n) {
    for (size_t at = 0; at + n <= text.size(); at += 7) {
      row.append(text.data() + at, n);
      expected.append(text, at, n);
      row += '|';
      expected += '|';
    }
  }
  CHECK(row.view() == expected);
}

// Checked against a second way of writing the same text: the integer part
// and the zero-padded fraction by fmt. Odd and even numbers of digits, on
// both sides of the point, take different steps (digits go two at a time),
// and each length (counted first, from the bit width) is met at its ends:
// 10^k - 1, 10^k.
TEST_CASE("append_fixed and append_uint: every precision, numbers of every length") {
  std::vector<uint64_t> values = {0, 1, 9, 10, 11, 99, 100, 101, 4806, 12345, 123456789};
  for (uint64_t p = 10; p <= uint64_t{1000000000000000000}; p *= 10) {
    values.push_back(p - 1);
    values.push_back(p);
    values.push_back(p + 7);
  }
  values.push_back(static_cast<uint64_t>(INT64_MAX));
  for (int precision = 0; precision <= 6; ++precision) {
    uint64_t scale = 1;
    for (int i = 0; i < precision; ++i) scale *= 10;
    for (const uint64_t v : values) {
      for (const bool negative : {false, true}) {
        const auto units = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
        const std::string sign = negative && v != 0 ? "-" : "";
        const std::string expected = precision == 0
                                         ? fmt::format("{}{}", sign, v)
                                         : fmt::format("{}{}.{:0{}}", sign, v / scale, v % scale, precision);
        std::string out = "x";  // appended to
        append_fixed(out, units, precision);
        RowBuffer row;
        row += 'x';
        append_fixed(row, units, precision);
        CAPTURE(v);
        CAPTURE(precision);
        CHECK(out == fmt::format("x{}", expected));
        CHECK(row.view() == fmt::format("x{}", expected));
      }
    }
  }
  // append_uint, as fmt writes it, for the same numbers and the largest.
  values.push_back(UINT64_MAX);
  for (const uint64_t v : values) {
    std::string out = "x";
    append_uint(out, v);
    RowBuffer row;
    append_uint(row, v);
    CAPTURE(v);
    CHECK(out == fmt::format("x{}", v));
    CHECK(row.view() == fmt::format("{}", v));
  }
}

// append_date keeps the text of recent days, one per slot of a table of
// 1024: days 1024 apart share a slot and must still each get their own text.
TEST_CASE("append_date: days that share a slot of its cache") {
  const Day d = *parse_date("2026-11-25");
  std::string out;
  for (const Day day : {d, d + 1024, d, d - 2048, d + 1024}) {
    append_date(out, day);
    out += ' ';
  }
  // 2026-11-25 + 1024 days = 2029-09-14; - 2048 days = 2021-04-17.
  CHECK(out == "2026-11-25 2029-09-14 2026-11-25 2021-04-17 2029-09-14 ");
}

// same_bytes compares up to 16 bytes with loads that overlap, by length:
// each length to 40, texts that differ in any one byte, or in length only.
TEST_CASE("same_bytes: every length, a difference at every place") {
  const std::string text = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF";
  for (size_t n = 0; n <= 40; ++n) {
    const std::string a = text.substr(0, n);
    std::string b = a;  // another buffer
    CAPTURE(n);
    CHECK(same_bytes(a, b));
    CHECK_FALSE(same_bytes(a, text.substr(0, n + 1)));
    for (size_t i = 0; i < n; ++i) {
      b[i] = '#';
      CAPTURE(i);
      CHECK_FALSE(same_bytes(a, b));
      b[i] = a[i];
    }
  }
  CHECK(same_bytes({}, ""));
}
