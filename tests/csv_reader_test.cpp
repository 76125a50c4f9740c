#include "csv_reader.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "block_masks.hpp"
#include "error.hpp"
#include "test_support.hpp"
#include "text.hpp"

using namespace riskledger;
using test::Lines;
using test::read_table;
using test::Rows;
using test::Table;

namespace {
bool same_masks(const BlockMasks& a, const BlockMasks& b) {
  return a.comma == b.comma && a.lf == b.lf && a.quote == b.quote && a.odd == b.odd;
}
}  // namespace

TEST_CASE("block masks: each way of finding them gives the same bits") {
  std::array<char, 64> block;
  block.fill('x');
  block[0] = ',';
  block[5] = '"';
  block[6] = '\\';
  block[7] = '\x1F';
  block[8] = ' ';  // plain
  block[63] = '\n';
  // LF is a control byte too: `odd` has bits 6 (backslash), 7 and 63.
  const BlockMasks want{1, uint64_t{1} << 63, uint64_t{1} << 5, uint64_t{1} << 6 | uint64_t{1} << 7 | uint64_t{1} << 63};
  CHECK(same_masks(scalar_block_masks(block.data()), want));
  CHECK(same_masks(block_masks(block.data()), want));
  if (has_wide_block_masks()) CHECK(same_masks(wide_block_masks(block.data()), want));
  // Every byte value at every position, in a block of 'x' and in one of
  // commas.
  int compared = 0;
  for (const char fill : {'x', ','}) {
    for (size_t at = 0; at < 64; ++at) {
      for (int v = 0; v < 256; ++v) {
        block.fill(fill);
        block[at] = static_cast<char>(v);
        const auto reference = scalar_block_masks(block.data());
        if (!same_masks(block_masks(block.data()), reference)) FAIL("SSE2: byte ", v, " at ", at);
        if (has_wide_block_masks() && !same_masks(wide_block_masks(block.data()), reference))
          FAIL("AVX-512: byte ", v, " at ", at);
        ++compared;
      }
    }
  }
  CHECK(compared == 2 * 64 * 256);
  MESSAGE("AVX-512 masks ", has_wide_block_masks() ? "compared" : "not available here");
}

namespace {

Table read_csv(std::string bytes, size_t max_rows = 1000) {
  CsvReader reader("data.csv", memory_stream(std::move(bytes)));
  return read_table(reader, max_rows);
}

// A stream that hands out a few bytes per call (1, 2, ... 7, 1, 2, ...), so
// that every byte of the input falls at a block boundary at some point.
class TrickleStream final : public ByteStream {
 public:
  explicit TrickleStream(std::string bytes) : bytes_(std::move(bytes)) {}
  size_t read(char* dst, size_t n) override {
    step_ = step_ % 7 + 1;
    const size_t got = std::min({n, step_, bytes_.size() - pos_});
    std::copy_n(bytes_.data() + pos_, got, dst);
    pos_ += got;
    return got;
  }

 private:
  std::string bytes_;
  size_t pos_ = 0;
  size_t step_ = 0;
};

std::string error_of(const std::string& bytes) {
  try {
    CsvReader reader("data.csv", memory_stream(bytes));
    read_table(reader);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("csv: header, cells, lines and field counts") {
  const Table t = read_csv("id,title,severity\nR1,Fire exit blocked,4\nR2, Unpaid wages ,5\n");
  CHECK(t.header == std::vector<std::string>{"id", "title", "severity"});
  CHECK(t.rows == Rows{{"R1", "Fire exit blocked", "4"}, {"R2", " Unpaid wages ", "5"}});
  CHECK(t.lines == Lines{2, 3});
  CHECK(t.field_counts == Lines{3, 3});
}

TEST_CASE("csv: quoted fields keep commas; doubled quotes are unescaped after the row bytes") {
  const std::string rows = "R1,\"Road, east gate\"\nR2,\"He said \"\"stop\"\"\"\nR3,\"\"\n";
  CsvReader reader("data.csv", memory_stream("id,title\n" + rows));
  RawRows out;
  REQUIRE(reader.read(out, 10));
  REQUIRE(out.rows() == 3);
  CHECK(out.cell(0, 1) == "Road, east gate");
  CHECK(out.cell(1, 1) == "He said \"stop\"");
  CHECK(out.cell(2, 1) == "");
  // The chunk's text is the rows' bytes, then the one value that needed unescaping.
  CHECK(out.text == rows + "He said \"stop\"");
  CHECK(out.cells[1 * 2 + 1].off == rows.size());
  CHECK(out.cells[0 * 2 + 1].off == 4);  // "Road, east gate" points into the row bytes
  CHECK(out.field_counts == Lines{2, 2, 2});
  CHECK_FALSE(reader.read(out, 10));
}

TEST_CASE("csv: quoted header names are unquoted") {
  const Table t = read_csv("\"id\",\"风险 \"\"名称\"\"\",\"a,b\"\nR1,x,y\n");
  CHECK(t.header == std::vector<std::string>{"id", "风险 \"名称\"", "a,b"});
}

TEST_CASE("csv: line breaks inside quotes are data and count as lines") {
  const Table t = read_csv(
      "id,note\n"
      "R1,\"line one\nline two\"\n"
      "R2,\"a\r\nb\r\nc\"\r\n"
      "R3,x\n");
  CHECK(t.rows == Rows{{"R1", "line one\nline two"}, {"R2", "a\r\nb\r\nc"}, {"R3", "x"}});
  CHECK(t.lines == Lines{2, 4, 7});
}

TEST_CASE("csv: a UTF-8 byte order mark is stripped") {
  const Table t = read_csv("\xEF\xBB\xBFid,名称\nR1,燃气泄漏\n");
  CHECK(t.header == std::vector<std::string>{"id", "名称"});
  CHECK(t.rows == Rows{{"R1", "燃气泄漏"}});
  CHECK(t.lines == Lines{2});
}

TEST_CASE("csv: CRLF line ends are not part of the last field") {
  const Table t = read_csv("id,name\r\nR1,x\r\nR2,\"q\"\r\nR3,\r\n");
  CHECK(t.header == std::vector<std::string>{"id", "name"});
  CHECK(t.rows == Rows{{"R1", "x"}, {"R2", "q"}, {"R3", ""}});
  CHECK(t.lines == Lines{2, 3, 4});
  CHECK(t.field_counts == Lines{2, 2, 2});
}

TEST_CASE("csv: a missing final newline is fine") {
  CHECK(read_csv("id,name\nR1,x").rows == Rows{{"R1", "x"}});
  CHECK(read_csv("id,name\nR1,\"x\"").rows == Rows{{"R1", "x"}});
  CHECK(read_csv("id,name\r\nR1,x\r").rows == Rows{{"R1", "x"}});
  CHECK(read_csv("id,name\nR1,").rows == Rows{{"R1", ""}});
}

TEST_CASE("csv: empty lines are skipped, and line numbers stay right") {
  const Table t = read_csv("\nid,name\n\nR1,x\r\n\r\n\nR2,y\n\n");
  CHECK(t.header == std::vector<std::string>{"id", "name"});
  CHECK(t.rows == Rows{{"R1", "x"}, {"R2", "y"}});
  CHECK(t.lines == Lines{4, 7});
}

TEST_CASE("csv: a line holding only blanks or an empty quoted field is a row") {
  const Table t = read_csv("id\n\"\"\n \n");
  CHECK(t.rows == Rows{{""}, {" "}});
  CHECK(t.lines == Lines{2, 3});
  CHECK(t.field_counts == Lines{1, 1});
}

TEST_CASE("csv: short rows are padded and long rows cut, field_counts tells") {
  const Table t = read_csv("id,a,b\nR1,x\nR2,a,b,c,d\nR3\nR4,,\n");
  CHECK(t.rows == Rows{{"R1", "x", ""}, {"R2", "a", "b"}, {"R3", "", ""}, {"R4", "", ""}});
  CHECK(t.field_counts == Lines{2, 5, 1, 3});
}

TEST_CASE("csv: a quote inside an unquoted field is data; spaces after a closing quote are dropped") {
  const Table t = read_csv("id,a,b\nR1,ab\"c,\"ab\"  \nR2,x \"y\",\"p\"\"q\"\t,z\n");
  CHECK(t.rows == Rows{{"R1", "ab\"c", "ab"}, {"R2", "x \"y\"", "p\"q"}});
  CHECK(t.lines == Lines{2, 3});
}

TEST_CASE("csv: text after a closing quote is an error naming where the quote opened") {
  // A stray quote on line 3 pairs with the quote on line 5; the `q` after it shows the mistake.
  CHECK(error_of("id,title\nR1,ok\nR2,\"never closed\nR3,ok\nR4,\"quoted\"\nR5,ok\n") ==
        "data.csv:5: text after the closing quote of a quoted field (the quote opened on line 3 and "
        "closed on line 5); a quote inside a quoted field must be doubled (\"\")");
  CHECK(error_of("id,title\nR1,\"ab\"c\n") ==
        "data.csv:2: text after the closing quote of a quoted field (the quote opened on line 2); "
        "a quote inside a quoted field must be doubled (\"\")");
}

TEST_CASE("csv: empty input, header only, BOM only") {
  for (const std::string bytes : {"", "\xEF\xBB\xBF", "\n\r\n\n"}) {
    CsvReader reader("data.csv", memory_stream(bytes));
    CHECK(reader.header().empty());
    RawRows out;
    CHECK_FALSE(reader.read(out, 10));
    CHECK(out.rows() == 0);
  }
  CsvReader reader("data.csv", memory_stream("id,name\n"));
  CHECK(reader.header() == std::vector<std::string>{"id", "name"});
  RawRows out;
  CHECK_FALSE(reader.read(out, 10));
  CHECK(out.columns == 2);
}

TEST_CASE("csv: rows come in chunks of max_rows") {
  CsvReader reader("data.csv", memory_stream("id\nA\nB\n\nC\nD\nE\n"));
  RawRows out;
  REQUIRE(reader.read(out, 2));
  CHECK(out.text == "A\nB\n");
  CHECK(out.lines == Lines{2, 3});
  REQUIRE(reader.read(out, 2));
  CHECK(out.cell(0, 0) == "C");
  CHECK(out.cell(1, 0) == "D");
  CHECK(out.lines == Lines{5, 6});
  REQUIRE(reader.read(out, 2));
  CHECK(out.rows() == 1);
  CHECK(out.cell(0, 0) == "E");
  CHECK(out.lines == Lines{7});
  CHECK_FALSE(reader.read(out, 2));
  CHECK(out.rows() == 0);
}

TEST_CASE("csv: an unterminated quote names the line where it opened") {
  CHECK(error_of("id,note\nR1,ok\nR2,\"never\nclosed,\nR3,x\n") ==
        "data.csv:3: unterminated quoted field (the quote opened on line 3 and was never closed)");
  // The row starts on line 2; its second field opens on line 3.
  CHECK(error_of("id,a,b\n\"x\ny\",\"open\n") ==
        "data.csv:3: unterminated quoted field (the quote opened on line 3 and was never closed)");
  // In the header, the constructor throws.
  CHECK(error_of("\"id,name\nR1,x\n") ==
        "data.csv:1: unterminated quoted field (the quote opened on line 1 and was never closed)");
}

TEST_CASE("csv: invalid UTF-8 names line, column and byte, and suggests gb18030") {
  CHECK(error_of("id,名称\nR1,ok\nR2,ab\xB9\n") ==
        "data.csv:3: invalid UTF-8 (byte 0xB9 at column 6); if the file was exported from Excel "
        "on Chinese Windows, read it with --encoding gb18030");
  // Columns count characters: "R3,风险" is 5 characters. A bad byte on the
  // second line of a quoted field is reported on that line.
  CHECK(error_of("id,note\nR3,\"风险\n风险\xE9\"\n") ==
        "data.csv:3: invalid UTF-8 (byte 0xE9 at column 3); if the file was exported from Excel "
        "on Chinese Windows, read it with --encoding gb18030");
  // "名称" in GB18030 (C3FB B3C6), in the header.
  CHECK(error_of("id,\xC3\xFB\xB3\xC6\nR1,x\n") ==
        "data.csv:1: invalid UTF-8 (byte 0xC3 at column 4); if the file was exported from Excel "
        "on Chinese Windows, read it with --encoding gb18030");
}

TEST_CASE("csv: cannot open a missing file") {
  try {
    open_file_stream("/nonexistent/sweep.csv");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "cannot open /nonexistent/sweep.csv: No such file or directory");
  }
}

TEST_CASE("csv: reading a few bytes at a time gives the same rows") {
  const std::string bytes =
      "\xEF\xBB\xBF\"编号\",名称,note\r\n"
      "R1,\"燃气, 泄漏\",\"a \"\"b\"\"\r\nc\"\r\n"
      "\r\n"
      "R2,老旧小区,\"\"\"\"\r\n"
      "R3,\"xy\" ,\r\n"
      "R4,单行\r";
  CsvReader whole("data.csv", memory_stream(bytes));
  const Table expected = read_table(whole, 2);
  CHECK(expected.header == std::vector<std::string>{"编号", "名称", "note"});
  CHECK(expected.rows == Rows{{"R1", "燃气, 泄漏", "a \"b\"\r\nc"},
                              {"R2", "老旧小区", "\""},
                              {"R3", "xy", ""},
                              {"R4", "单行", ""}});
  CHECK(expected.lines == Lines{2, 5, 6, 7});
  CHECK(expected.field_counts == Lines{3, 3, 3, 2});

  CsvReader trickled("data.csv", std::make_unique<TrickleStream>(bytes));
  const Table t = read_table(trickled, 2);
  CHECK(t.header == expected.header);
  CHECK(t.rows == expected.rows);
  CHECK(t.lines == expected.lines);
  CHECK(t.field_counts == expected.field_counts);
}

TEST_CASE("csv: errors are the same when read a few bytes at a time") {
  const auto trickled_error = [](const std::string& bytes) -> std::string {
    try {
      CsvReader reader("data.csv", std::make_unique<TrickleStream>(bytes));
      read_table(reader);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  };
  for (const std::string bytes : {"id,a\nR1,\"x\n\ny\nR2,z\n", "id,a\nR1,风险\nR2,\"风\xE9\x99\"\n"}) {
    CHECK(trickled_error(bytes) == error_of(bytes));
  }
}

TEST_CASE("csv: 200k rows straddle 4 MiB blocks; each chunk holds just its rows' bytes") {
  // Rows of one length, mostly 3-byte characters, so that block boundaries
  // fall inside characters too.
  const auto row = [](size_t i) { return fmt::format("R{:06},风险点{:06},名称名称,{}\n", i, i, i % 5 + 1); };
  constexpr size_t kRows = 200'000;
  std::string bytes = "id,title,note,severity\n";
  for (size_t i = 0; i < kRows; ++i) bytes += row(i);
  REQUIRE(bytes.size() > (size_t{4} << 20));

  CsvReader reader("data.csv", memory_stream(std::move(bytes)));
  RawRows out;
  size_t rows = 0;
  size_t chunks = 0;
  while (reader.read(out, 1000)) {
    ++chunks;
    REQUIRE(out.rows() == 1000);
    REQUIRE(out.text.size() == 1000 * row(0).size());
    for (size_t r = 0; r < out.rows(); ++r, ++rows) {
      REQUIRE(out.lines[r] == rows + 2);
      REQUIRE(out.cell(r, 1) == fmt::format("风险点{:06}", rows));
    }
  }
  CHECK(chunks == 200);
  CHECK(rows == kRows);
}

TEST_CASE("csv: 200k two-line quoted rows straddle 4 MiB blocks") {
  constexpr size_t kRows = 200'000;
  std::string bytes = "id,note,severity\n";
  for (size_t i = 0; i < kRows; ++i) {
    bytes += fmt::format("R{},\"line {}\nnext \"\"q\"\", 风险\",{}\n", i, i, i % 5 + 1);
  }
  REQUIRE(bytes.size() > (size_t{4} << 20));

  const Table t = read_csv(std::move(bytes), 1000);
  CHECK(t.chunks == 200);
  REQUIRE(t.rows.size() == kRows);
  for (size_t i = 0; i < kRows; ++i) {
    REQUIRE(t.rows[i] == std::vector<std::string>{fmt::format("R{}", i),
                                                  fmt::format("line {}\nnext \"q\", 风险", i),
                                                  fmt::format("{}", i % 5 + 1)});
    REQUIRE(t.lines[i] == 2 + 2 * i);
  }
  CHECK(t.rows.back()[0] == "R199999");
  CHECK(t.lines.back() == 400'000);
}

namespace {

using test::TempFile;

// What MappedCsv hands out with segments of `segment_bytes`, in order, or
// the error message. With a window, the rows are taken as done() hands each
// segment on, which must be once each, in order.
std::string mapped_table(const std::string& path, size_t segment_bytes, unsigned threads, size_t window,
                         Table& t) {
  try {
    auto csv = MappedCsv::open(path);
    REQUIRE(csv != nullptr);
    t.header = csv->header();
    std::vector<Table> parts(csv->segments(segment_bytes));
    size_t done = 0;
    const size_t n = csv->read(
        threads,
        [&](size_t k, const RawRows& out) {
          // A cell the scan says is plain text is plain text.
          CHECK((out.plain.empty() || out.plain.size() == out.cells.size()));
          for (size_t i = 0; i < out.plain.size(); ++i)
            if (out.plain[i] != 0) CHECK(is_plain_text(out.view(out.cells[i])));
          Table part;
          for (size_t r = 0; r < out.rows(); ++r) {
            std::vector<std::string> row;
            for (size_t c = 0; c < out.columns; ++c) row.emplace_back(out.cell(r, c));
            part.rows.push_back(row);
            part.lines.push_back(out.lines[r]);
            part.field_counts.push_back(out.field_counts[r]);
          }
          parts[k] = part;
        },
        segment_bytes, window,
        [&](size_t k) {
          CHECK(k == done);
          ++done;
          const auto& p = parts[k];
          t.rows.insert(t.rows.end(), p.rows.begin(), p.rows.end());
          t.lines.insert(t.lines.end(), p.lines.begin(), p.lines.end());
          t.field_counts.insert(t.field_counts.end(), p.field_counts.begin(), p.field_counts.end());
        });
    REQUIRE(n == parts.size());
    CHECK(done == n);
    if (window > 0) return "";
    t.rows.clear();
    t.lines.clear();
    t.field_counts.clear();
    for (const auto& p : parts) {
      t.rows.insert(t.rows.end(), p.rows.begin(), p.rows.end());
      t.lines.insert(t.lines.end(), p.lines.begin(), p.lines.end());
      t.field_counts.insert(t.field_counts.end(), p.field_counts.begin(), p.field_counts.end());
    }
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string streamed_table(const std::string& bytes, Table& t) {
  try {
    CsvReader reader("x", memory_stream(bytes));
    t = read_table(reader);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Reads the file at `path`, which holds `bytes`, with MappedCsv and checks
// that it gives what CsvReader gives: the same rows, lines and field counts,
// or the same first error (messages name the file; the streaming reader read
// "x").
void check_like_streamed(const std::string& bytes, const std::string& path, size_t segment, unsigned threads,
                         size_t window) {
  Table expected;
  const auto expected_error = streamed_table(bytes, expected);
  Table t;
  auto error = mapped_table(path, segment, threads, window, t);
  if (const auto at = error.find(path); at != std::string::npos)
    error = error.substr(0, at) + "x" + error.substr(at + path.size());
  CHECK(error == expected_error);
  if (!expected_error.empty()) return;
  CHECK(t.header == expected.header);
  CHECK(t.rows == expected.rows);
  CHECK(t.lines == expected.lines);
  CHECK(t.field_counts == expected.field_counts);
}

}  // namespace

// The segments start at a guessed line end; a guess inside a quoted field
// that spans lines is found and the segment read again. Every segment size
// from one byte up must give exactly what the streaming reader gives, read
// all at once or a window of segments at a time.
TEST_CASE("mapped csv: every segment size gives the streaming reader's rows and errors") {
  const std::vector<std::string> inputs = {
      "\xEF\xBB\xBF\"编号\",名称,note\r\n"
      "R1,\"燃气, 泄漏\",\"a \"\"b\"\"\r\nc\"\r\n"
      "\r\n"
      "R2,老旧小区,\"\"\"\"\r\n"
      "R3,\"xy\" ,\r\n"
      "R4,单行\r",
      "\n\nid,a\nR1,\"x\n\nR9,fake\n\ny\"\n,\nR2,z\n\n\nR3,\"\n\"\n",
      "id,a\nR1,\"x\n\ny\nR2,z\n",                  // unterminated quote
      "id,a\nR1,风险\nR2,\"风\xE9\x99\"\nR3,ok\n",  // invalid UTF-8
      "id,a\nR1,\"ab\"c\nR2,\"q\nR3,d\n",           // text after a closing quote
      "id,a\nR1,x\n",
      "id,a",
  };
  for (const auto& bytes : inputs) {
    const TempFile file(bytes);
    for (size_t segment = 1; segment <= bytes.size() + 1; ++segment) {
      for (const auto& run : {std::pair{1u, size_t{0}}, std::pair{2u, size_t{0}}, std::pair{1u, size_t{1}},
                              std::pair{2u, size_t{3}}}) {
        const unsigned threads = run.first;
        const size_t window = run.second;
        CAPTURE(bytes);
        CAPTURE(segment);
        CAPTURE(window);
        check_like_streamed(bytes, file.path, segment, threads, window);
      }
    }
  }
}

TEST_CASE("mapped csv: not for standard input or a missing file") {
  CHECK(MappedCsv::open("-") == nullptr);
  CHECK(MappedCsv::open("/nonexistent/riskledger.csv") == nullptr);
}

// Rows without quotes are scanned 64 bytes at a time; the rest, and anything
// unusual, the way CsvReader scans. These inputs sit on the edges between the
// two: CRLF and blank lines, fields across 64-byte blocks, a CR on a block's
// last byte, short and long rows, the column limit.
TEST_CASE("mapped csv: rows without quotes, at the edges of the fast scan") {
  const std::string wide(70, 'w');  // a field longer than one block
  // Row 2 ends in CRLF; line 3 is blank (CRLF); row 4 is short; row 5 has a
  // field over a block boundary and one field too many; row 6 has its CR as
  // byte 63 of the block that starts with it, and the LF as the next
  // block's first byte.
  const std::string cr_at_63 = "R6," + std::string(59, 'c') + "\r\n";
  const std::string bytes = "id,a,b\nR1,x,y\r\n\r\nR2,z\nR3," + wide + ",风险,extra\n" + cr_at_63 + "R7,,\n";
  const TempFile file(bytes);
  for (const size_t segment : {size_t{1}, size_t{9}, size_t{64}, bytes.size()}) {
    CAPTURE(segment);
    Table t;
    CHECK(mapped_table(file.path, segment, 1, 0, t) == "");
    const std::vector<std::vector<std::string>> rows = {{"R1", "x", "y"},
                                                        {"R2", "z", ""},
                                                        {"R3", wide, "风险"},
                                                        {"R6", std::string(59, 'c'), ""},
                                                        {"R7", "", ""}};
    CHECK(t.rows == rows);
    CHECK(t.lines == std::vector<uint32_t>{2, 4, 5, 6, 7});
    CHECK(t.field_counts == std::vector<uint32_t>{3, 2, 4, 2, 3});
  }
  // 1000 fields are allowed, 1001 are not: the same message as CsvReader's.
  const std::string commas999(999, ','), commas1000(1000, ',');
  for (const auto& row : {commas999, commas1000}) {
    const std::string input = "id\nR1" + row + "\n";
    const TempFile f(input);
    check_like_streamed(input, f.path, input.size(), 1, 0);
    Table t;
    const auto error = mapped_table(f.path, input.size(), 1, 0, t);
    if (row.size() == 999)
      CHECK(t.field_counts == std::vector<uint32_t>{1000});
    else
      CHECK(error.find("more than 1000 fields in one row") != std::string::npos);
  }
}

// Random inputs built from the bytes that matter to the scan, each read whole
// by CsvReader and in segments by MappedCsv: the same rows, lines and field
// counts, or the same first error.
TEST_CASE("mapped csv: random inputs give the streaming reader's rows and errors") {
  const std::vector<std::string> pieces = {"a",
                                           "bc",
                                           ",",
                                           ",",
                                           "\n",
                                           "\n",
                                           "\r\n",
                                           "\r",
                                           "\"",
                                           "\"\"",
                                           "风险",
                                           "\xE9",
                                           std::string(1, '\0'),
                                           " ",
                                           "\t",
                                           std::string(40, 'x'),
                                           std::string(63, 'y'),
                                           "\\"};
  uint64_t state = 12345;
  const auto next = [&] {  // a 64-bit LCG: the same inputs on every machine
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  for (int input = 0; input < 300; ++input) {
    std::string bytes = "id,a,b\n";
    // Mostly clean rows, so that errors do not always come first.
    const bool clean = input % 3 != 0;
    for (int k = 0, n = static_cast<int>(next() % 60); k < n; ++k) {
      const auto& p = pieces[next() % pieces.size()];
      if (clean && (p == "\"" || p == "\"\"" || p == "\xE9" || p[0] == '\0' || p == "\r")) continue;
      bytes += p;
    }
    const TempFile file(bytes);
    for (const size_t segment : {size_t{5}, size_t{64}, size_t{100}, bytes.size() + 1}) {
      CAPTURE(bytes);
      CAPTURE(segment);
      check_like_streamed(bytes, file.path, segment, 2, 3);
    }
  }
}

// The scan marks the cells it saw to be plain text (no byte below 0x20, no
// backslash, quote or comma), so that they are not checked again; the rest
// are checked. A CR before the LF is not part of the last cell.
TEST_CASE("mapped csv: which cells the scan knows to be plain text") {
  const std::string bytes =
      "id,a,b\nR1,x y,风险\r\nR2,a\tb,c\\d\nR3,\"q\",z\nR4," + std::string(70, 'w') + "\x01,\n";
  const TempFile file(bytes);
  auto csv = MappedCsv::open(file.path);
  REQUIRE(csv != nullptr);
  std::vector<uint8_t> plain;
  csv->read(1, [&](size_t, const RawRows& out) { plain = out.plain; });
  // R1: all plain. R2: a tab, a backslash. R3 has a quote: scanned the old
  // way, nothing known. R4: a control byte after a block boundary; the empty
  // last cell is plain.
  CHECK(plain == std::vector<uint8_t>{1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 1});
}

namespace {
// The resident pages of this process's mapping of `path`, in KiB (its Rss
// in /proc/self/smaps), or -1 where there is no such mapping or no smaps.
long mapped_resident_kib(const std::string& path) {
  std::ifstream smaps("/proc/self/smaps");
  bool in_it = false;
  for (std::string line; std::getline(smaps, line);) {
    // A mapping's first line is "start-end perms offset dev inode path";
    // its fields ("Rss:    123 kB") follow.
    if (line.find('-') < line.find(' ') && line.find(':') > line.find(' '))
      in_it = line.ends_with(" " + path);
    if (in_it && line.starts_with("Rss:")) return std::stol(line.substr(4));
  }
  return -1;
}
}  // namespace

// A segment's mapped pages go back once `each` is done with its rows (they
// point into them), so a file read whole through the map, every cell of it
// looked at, keeps few of them resident: 4 KiB in a run here, up to 8 MiB in
// others (pages mapped around a fault near a segment's edge after the next
// segment is done). Keeping every page is what must not happen: a 32 MiB
// file read in 1 MiB segments may keep less than half of it.
TEST_CASE("mapped csv: pages of a segment read from the map go back after each is done") {
  std::string bytes = "id,a,b\n";
  for (int i = 0; bytes.size() < (size_t{32} << 20); ++i)
    bytes += fmt::format("R{},{},风险点{}\n", i, i * 7, i);
  const TempFile file(bytes);
  const auto csv = MappedCsv::open(file.path);
  REQUIRE(csv);
  const auto path = std::filesystem::canonical(file.path).string();
  if (mapped_resident_kib(path) < 0) {
    MESSAGE("no mapping of the file in /proc/self/smaps: not checked");
    return;
  }
  uint64_t sum = 0;
  csv->read(
      2,
      [&](size_t, const RawRows& raw) {
        for (size_t r = 0; r < raw.rows(); ++r)
          for (size_t c = 0; c < raw.columns; ++c)
            for (const char ch : raw.cell(r, c)) sum += static_cast<unsigned char>(ch);
      },
      size_t{1} << 20);
  CHECK(sum > 0);
  CHECK(mapped_resident_kib(path) < 16 * 1024);
}
