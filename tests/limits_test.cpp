// Input limits at their exact boundaries (docs/reliability.md): the last
// value allowed reads, the first one past it is refused with its message.
#include <doctest/doctest.h>

#include <functional>
#include <string>

#include <fmt/format.h>

#include "csv_reader.hpp"
#include "error.hpp"
#include "rules.hpp"
#include "test_support.hpp"
#include "yaml_limits.hpp"
#include "yaml_reader.hpp"

using namespace riskledger;

namespace {

// A CSV header of `columns` names (c1, c2, ...) and one row of as many 'x'.
std::string wide_csv(size_t columns) {
  std::string header, row;
  for (size_t i = 1; i <= columns; ++i) {
    header += (i > 1 ? ",c" : "c") + std::to_string(i);
    row += i > 1 ? ",x" : "x";
  }
  return header + "\n" + row + "\n";
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// Nested flow sequences: depth 1 is "[x]".
std::string nested(int depth) {
  return std::string(static_cast<size_t>(depth), '[') + "x" + std::string(static_cast<size_t>(depth), ']');
}

}  // namespace

TEST_CASE("CSV: 1000 columns read, 1001 are refused") {
  CsvReader ok("w.csv", memory_stream(wide_csv(1000)));
  CHECK(ok.header().size() == 1000);
  const auto rows = test::read_table(ok);
  REQUIRE(rows.rows.size() == 1);
  CHECK(rows.rows[0][999] == "x");
  CHECK(error_of([] { CsvReader("w.csv", memory_stream(wide_csv(1001))); }) ==
        "w.csv:1: more than 1000 fields in one row (the limit on columns)");
}

TEST_CASE("CSV: a field of exactly 1 MiB reads, one byte more is refused") {
  const std::string mib(size_t{1} << 20, 'y');
  CsvReader ok("f.csv", memory_stream("a,b\n1," + mib + "\n"));
  CHECK(test::read_table(ok).rows.at(0).at(1).size() == mib.size());
  // Quoted, with a doubled quote: the limit is on the value, "" counting as
  // one byte: 1 MiB of y and one quote is 1048577 bytes.
  CsvReader big("f.csv", memory_stream("a,b\n1,2\n3,\"" + mib + "\"\"\"\n"));
  CHECK(error_of([&] { test::read_table(big); }) ==
        "f.csv:3: field 2 is longer than 1 MiB (the limit; it has 1048577 bytes)");
}

TEST_CASE("CSV: a row past 16 MiB stops the reading at the row's line") {
  // 20 MiB inside one quoted field on line 2: the reader stops with the
  // row's line (not the field's 1 MiB: the row limit is checked first).
  const std::string huge(size_t{20} << 20, 'z');
  CsvReader reader("h.csv", memory_stream("a,b\n1,\"" + huge + "\"\n"));
  CHECK(error_of([&] { test::read_table(reader); }) ==
        "h.csv:2: row is longer than 16 MiB (the limit; a field may hold at most 1 MiB)");
}

TEST_CASE("CSV: NUL bytes and UTF-16 are named as such") {
  CHECK(error_of([] { CsvReader("n.csv", memory_stream(std::string("a,b\n1,x\0y\n", 10))).header(); }) == "");
  CsvReader nul("n.csv", memory_stream(std::string("a,b\n1,x\0y\n", 10)));
  CHECK(error_of([&] { test::read_table(nul); }) ==
        "n.csv:2: NUL byte (0x00) at column 4; text has none: is the file UTF-16, or not text at all?");
  CHECK(error_of([] {
          CsvReader("u.csv", memory_stream(std::string("\xFF\xFE"
                                                       "a\0,\0b\0",
                                                       8)));
        }) ==
        "u.csv:1: the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8 (in Excel: "
        "CSV UTF-8)");
}

TEST_CASE("YAML: 32 levels of nesting pass, 33 do not") {
  CHECK_NOTHROW(check_yaml_limits(nested(32)));
  try {
    check_yaml_limits(nested(33));
    FAIL("no error");
  } catch (const YamlLimitError& e) {
    CHECK(std::string(e.what()) == "more than 32 levels of nesting (the limit)");
    CHECK(e.line() == 1);
    CHECK(e.column() == 33);  // the 33rd '['
  }
}

TEST_CASE("YAML: aliases are counted, and so is what they stand for") {
  // 1000 aliases of a scalar pass; the 1001st is refused.
  std::string doc = "a: &s x\nb: [";
  for (int i = 0; i < 1000; ++i) doc += i ? ", *s" : "*s";
  CHECK_NOTHROW(check_yaml_limits(doc + "]"));
  CHECK(error_of([&] { check_yaml_limits(doc + ", *s]"); }) == "more than 1000 aliases (the limit)");

  // Three levels of ten: l1 holds 10 scalars (11 nodes), l2 ten l1s (111),
  // l3 ten l2s: 10 * 111 = 1110 nodes through aliases, fine. Seven levels:
  // 10 * 111111 = 1,111,110 > 100,000: refused at the first alias that
  // crosses the limit.
  std::string bomb = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 6; ++i)
    bomb += fmt::format("l{}: &l{} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]\n",
                        i, i, fmt::arg("p", i - 1));
  CHECK(error_of([&] { check_yaml_limits(bomb); }) == "aliases stand for more than 100000 nodes (the limit)");
}

TEST_CASE("YAML: a cycle and a second document are refused") {
  CHECK(error_of([] { check_yaml_limits("a: &a [1, *a]"); }) ==
        "an alias inside the node it refers to (a cycle)");
  CHECK(error_of([] { check_yaml_limits("a: 1\n---\nb: 2\n"); }) ==
        "a second YAML document (everything must be in one document)");
  CHECK_NOTHROW(check_yaml_limits("---\na: 1\n"));
}

TEST_CASE("rules: the YAML limits apply, with file, line and column") {
  try {
    load_rules("schema: " + nested(40), "r.yaml");
    FAIL("no error");
  } catch (const RulesError& e) {
    REQUIRE(e.problems().size() == 1);
    // The top mapping is level 1, so the 32nd '[' (column 9 + 31 = 40) is level 33.
    CHECK(e.problems()[0] == "r.yaml:1:40: more than 32 levels of nesting (the limit)");
  }
}
