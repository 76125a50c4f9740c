#include "yaml_reader.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "error.hpp"
#include "test_support.hpp"

using namespace riskledger;
using test::Lines;
using test::read_table;
using test::Rows;
using test::Table;

namespace {

Table read_yaml(const std::string& text, size_t max_rows = 1000) {
  YamlReader reader("people.yaml", memory_stream(text));
  return read_table(reader, max_rows);
}

std::string error_of(const std::string& text) {
  try {
    read_yaml(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("yaml: a sequence of mappings") {
  const Table t = read_yaml(
      "- id: R1\n"
      "  title: 燃气泄漏\n"
      "  severity: 4\n"
      "# a comment\n"
      "- id: R2\n"
      "  title: Unpaid wages\n"
      "  severity: 5\n");
  CHECK(t.header == std::vector<std::string>{"id", "title", "severity"});
  CHECK(t.rows == Rows{{"R1", "燃气泄漏", "4"}, {"R2", "Unpaid wages", "5"}});
  CHECK(t.lines == Lines{1, 5});
  CHECK(t.field_counts == Lines{3, 3});
}

TEST_CASE("yaml: a mapping with a records: key") {
  const Table t = read_yaml(
      "version: 1\n"
      "records:\n"
      "  - {id: R1, severity: 2}\n"
      "  - id: R2\n"
      "    severity: 3\n");
  CHECK(t.header == std::vector<std::string>{"id", "severity"});
  CHECK(t.rows == Rows{{"R1", "2"}, {"R2", "3"}});
  CHECK(t.lines == Lines{3, 4});
}

TEST_CASE("yaml: the header is the union of keys in order of first appearance") {
  const Table t = read_yaml(
      "- {id: R1, title: a}\n"
      "- {severity: 3, id: R2}\n"
      "- {trend: rising, title: c, id: R3}\n");
  CHECK(t.header == std::vector<std::string>{"id", "title", "severity", "trend"});
  CHECK(t.rows == Rows{{"R1", "a", "", ""}, {"R2", "", "3", ""}, {"R3", "c", "", "rising"}});
  CHECK(t.field_counts == Lines{4, 4, 4});
}

TEST_CASE("yaml: nulls and missing keys are empty cells; quoted nulls are text") {
  const Table t = read_yaml(
      "- id: R1\n"
      "  a: ~\n"
      "  b: null\n"
      "  c:\n"
      "  d: \"~\"\n"
      "  e: 'null'\n"
      "- id: R2\n"
      "  f: 1.50\n");
  CHECK(t.header == std::vector<std::string>{"id", "a", "b", "c", "d", "e", "f"});
  CHECK(t.rows == Rows{{"R1", "", "", "", "~", "null", ""}, {"R2", "", "", "", "", "", "1.50"}});
  CHECK(t.lines == Lines{1, 7});
}

TEST_CASE("yaml: empty documents and sequences have no rows") {
  for (const std::string text : {"", "# nothing yet\n", "[]\n", "records:\n", "records: []\n"}) {
    YamlReader reader("people.yaml", memory_stream(text));
    CHECK(reader.header().empty());
    RawRows out;
    CHECK_FALSE(reader.read(out, 10));
    CHECK(out.rows() == 0);
  }
}

TEST_CASE("yaml: rows come in chunks of max_rows") {
  const Table t = read_yaml("- {id: A}\n- {id: B}\n- {id: C}\n- {id: D}\n- {id: E}\n", 2);
  CHECK(t.chunks == 3);
  CHECK(t.rows == Rows{{"A"}, {"B"}, {"C"}, {"D"}, {"E"}});
  CHECK(t.lines == Lines{1, 2, 3, 4, 5});
}

TEST_CASE("yaml: a document of the wrong shape names file and line") {
  CHECK(error_of("# records\n\njust text\n") ==
        "people.yaml:3: expected a sequence of records or a mapping with a 'records:' key");
  CHECK(error_of("id: R1\ntitle: x\n") ==
        "people.yaml:1: expected a sequence of records or a mapping with a 'records:' key");
  CHECK(error_of("version: 1\nrecords: R1\n") == "people.yaml:2: 'records:' must hold a sequence of records");
}

TEST_CASE("yaml: a record that is not a mapping names its line") {
  CHECK(error_of("- id: R1\n- R2\n") == "people.yaml:2: expected a record (a mapping of field: value)");
  CHECK(error_of("- id: R1\n-\n  - R2\n") == "people.yaml:3: expected a record (a mapping of field: value)");
}

TEST_CASE("yaml: a list or mapping as a value is an error") {
  CHECK(error_of("- id: R1\n  tags: [a, b]\n") == "people.yaml:2: field 'tags': expected a single value");
  CHECK(error_of("- id: R1\n- id: R2\n  place:\n    district: 东城区\n") ==
        "people.yaml:4: field 'place': expected a single value");
}

TEST_CASE("yaml: a key given twice in one record is an error") {
  CHECK(error_of("- id: R1\n  id: R2\n") == "people.yaml:2: field 'id' appears twice in one record");
}

TEST_CASE("yaml: syntax errors give file, line and column") {
  CHECK(error_of("records:\n  - id: R1\n    bad: : x\n") ==
        "people.yaml:3:10: YAML syntax error: illegal map value");
  CHECK(error_of("- id: R1\n  title: [unclosed\n- id: R2\n") ==
        "people.yaml:3:5: YAML syntax error: end of sequence flow not found");
}

TEST_CASE("yaml: invalid UTF-8 names line and column and suggests gb18030") {
  CHECK(error_of("- id: R1\n  title: \xC3\xFB\xB3\xC6\n") ==
        "people.yaml:2: invalid UTF-8 (byte 0xC3 at column 10); if the file was exported from "
        "Excel on Chinese Windows, read it with --encoding gb18030");
}

TEST_CASE("yaml: the same records give the same cells as CSV") {
  YamlReader yaml("people.yaml", memory_stream("\xEF\xBB\xBF"
                                               "- id: R1\n"
                                               "  title: \"Road, east gate\"\n"
                                               "  severity: 4\n"
                                               "- id: R2\n"
                                               "  title: 他说\"停\"\n"
                                               "  severity: \" 5 \"\n"
                                               "- id: R3\n"
                                               "  title: |-\n"
                                               "    two\n"
                                               "    lines\n"));
  CsvReader csv("people.csv", memory_stream("id,title,severity\n"
                                            "R1,\"Road, east gate\",4\n"
                                            "R2,\"他说\"\"停\"\"\", 5 \n"
                                            "R3,\"two\nlines\",\n"));
  const Table y = read_table(yaml, 2);
  const Table c = read_table(csv, 2);
  CHECK(y.header == c.header);
  CHECK(y.rows == c.rows);
  CHECK(y.rows[1][1] == "他说\"停\"");
  CHECK(y.rows[2][1] == "two\nlines");
}

TEST_CASE("open_source: picks the reader by extension") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "riskledger_yaml_reader_test";
  fs::create_directories(dir);
  const auto write = [&](const char* file, const char* text) {
    std::ofstream(dir / file, std::ios::binary) << text;
    return (dir / file).string();
  };
  const std::string yml = write("points.YML", "- {id: R1, 名称: 燃气}\n");
  const std::string yaml = write("points.yaml", "records:\n  - {id: R2}\n");
  const std::string csv = write("points.csv", "id,名称\nR3,燃气\n");
  const std::string txt = write("points.txt", "- {id: R4}\n");

  const auto source = open_source(yml);
  CHECK(dynamic_cast<YamlReader*>(source.get()) != nullptr);
  CHECK(source->name() == yml);
  CHECK(read_table(*source).rows == Rows{{"R1", "燃气"}});
  CHECK(dynamic_cast<YamlReader*>(open_source(yaml).get()) != nullptr);

  const auto csv_source = open_source(csv);
  CHECK(dynamic_cast<CsvReader*>(csv_source.get()) != nullptr);
  CHECK(read_table(*csv_source).rows == Rows{{"R3", "燃气"}});
  // Anything that is not .yaml/.yml is CSV: this "CSV" has one column.
  const auto txt_source = open_source(txt);
  CHECK(dynamic_cast<CsvReader*>(txt_source.get()) != nullptr);
  CHECK(txt_source->header() == std::vector<std::string>{"- {id: R4}"});

  fs::remove_all(dir);
  CHECK_THROWS_WITH_AS(open_source(yml), ("cannot open " + yml + ": No such file or directory").c_str(),
                       InputError);
}
