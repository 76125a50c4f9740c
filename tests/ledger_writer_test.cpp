#include "ledger_writer.hpp"

#include <doctest/doctest.h>

#include "error.hpp"
#include "ledger_output.hpp"
#include "test_support.hpp"

using namespace riskledger;

namespace {

// One record: public_order 4/2/3 (sev/lik/urg), 9 people, rising, casualties 0:
// 18.75 + 10 + 5 + 15*(1/3.000434) + 10 + 0 = 48.749277 -> 48.75, B, found 11-20 + 15 = 12-05.
const std::string kCsv =
    "id,title,category,found_on,status,severity,likelihood,urgency,people_involved,trend,casualties,备注\n"
    "W1,\"夜市, 盗窃\",社会治安,2026-11-20,,4,2,3,9,rising,0,note\n";

std::string render(const std::string& columns, LedgerOptions options,
                   const Rules& rules = test::default_rules()) {
  CsvReader reader("t.csv", memory_stream(kCsv));
  const auto map = map_header(reader.header(), rules, "t.csv");
  ExtraColumns extra;
  extra.add_file(map.extra_names);
  RawRows raw;
  reader.read(raw, 10);
  std::vector<Problem> problems;
  const auto batch = build_batch(std::move(raw), map, rules, 0, "t.csv", 0, problems);
  REQUIRE(problems.empty());
  const auto cols = columns.empty() ? default_columns(rules, extra) : parse_columns(columns, rules, extra);
  LedgerWriter writer(rules, extra, cols, options);
  std::string out;
  writer.begin(out);
  writer.row(out, 0, batch, summarize(rules, batch, 0));
  writer.end(out, 1);
  return out;
}

LedgerOptions as_of(LedgerFormat format, Lang lang = Lang::En) {
  LedgerOptions o;
  o.format = format;
  o.lang = lang;
  o.as_of = *parse_date("2026-11-25");
  return o;
}

}  // namespace

TEST_CASE("the default CSV ledger row") {
  CHECK(render("", as_of(LedgerFormat::Csv)) ==
        "rank,id,title,category,subtype,district,township,village,grid,responsible_unit,found_on,status,"
        "score,grade,decided_by,handling,lead,deadline,overdue,top_factors,备注\n"
        "1,W1,\"夜市, 盗窃\",public_order,,,,,,,2026-11-20,open,48.75,B,threshold B: 48.75 >= 45,集中会办,"
        "乡镇(街道)主要领导,2026-12-05,no,severity 18.75; urgency 10.00; trend 10.00,note\n");
}

// decided_by is made in place and quoted only when it may need it: here the
// override's condition holds a comma (W1's title), so the field is quoted.
// top_factors of the same rules have none and are not.
TEST_CASE("decided_by with a comma from the rules text is one CSV field") {
  const auto rules = load_rules(std::string(builtin_rules_text("default")) +
                                    "  - {name: night, when: \"title == '夜市, 盗窃'\", grade: A}\n",
                                "r.yaml");
  CHECK(render("id,grade,decided_by,top_factors", as_of(LedgerFormat::Csv), rules) ==
        "id,grade,decided_by,top_factors\n"
        "W1,A,\"override night: title == '夜市, 盗窃'\",severity 18.75; urgency 10.00; trend 10.00\n");
}

// The grade as B, 级 and its label 较大 (rules/default.yaml).
TEST_CASE("selected columns, in Chinese") {
  CHECK(render("rank,id,category,status,score,grade,overdue,备注", as_of(LedgerFormat::Csv, Lang::Zh)) ==
        "排名,编号,类别,状态,得分,等级,是否逾期,备注\n1,W1,社会治安,未化解,48.75,B级（较大）,否,note\n");
}

TEST_CASE("JSON and JSON Lines: numbers, booleans and nulls") {
  CHECK(render("rank,id,score,overdue,people_involved,opinion_heat", as_of(LedgerFormat::Jsonl)) ==
        "{\"rank\": 1, \"id\": \"W1\", \"score\": 48.75, \"overdue\": false, \"people_involved\": 9, "
        "\"opinion_heat\": null}\n");
  CHECK(render("id,grade", as_of(LedgerFormat::Json)) == "[\n  {\"id\": \"W1\", \"grade\": \"B\"}\n]\n");
}

TEST_CASE("a CSV ledger can start with a byte order mark") {
  auto o = as_of(LedgerFormat::Csv);
  o.bom = true;
  CHECK(render("id", o) == "\xEF\xBB\xBFid\nW1\n");
}

TEST_CASE("unknown columns are usage errors with a suggestion") {
  CHECK_THROWS_WITH_AS(render("id,scroe", as_of(LedgerFormat::Csv)),
                       "--columns: unknown column 'scroe' (did you mean 'score'?)", UsageError);
  CHECK_THROWS_WITH_AS(render("id,,grade", as_of(LedgerFormat::Csv)), "--columns: unknown column ''",
                       UsageError);
}

TEST_CASE("rejects.csv has one row per problem") {
  const std::vector<Problem> problems{
      {0, "a.csv", 3, "X1", "severity", "9", "out of range (must be from 1 to 5)", 1},
      {0, "a.csv", 7, "", "", "", "expected 7 fields, found 6", 5},
  };
  CHECK(format_rejects_csv(problems) ==
        "file,line,id,field,value,reason\n"
        "a.csv,3,X1,severity,9,out of range (must be from 1 to 5)\n"
        "a.csv,7,,,,\"expected 7 fields, found 6\"\n");
  CHECK(format_problem(problems[0]) == "a.csv:3: severity='9': out of range (must be from 1 to 5)");
  CHECK(format_problem(problems[1]) == "a.csv:7: expected 7 fields, found 6");
}

TEST_CASE("sort_key sorts as bytes into ledger order") {
  const auto& rules = test::default_rules();
  auto key = [&](int grade, int64_t units, std::string_view id) {
    Graded g;
    g.grade = static_cast<int16_t>(grade);
    g.units = units;
    std::string out;
    append_sort_key(out, rules, g, id);
    return out;
  };
  // Grade 1 (B), 48.75 -> 10000 - 4875 = 05125, then "A1" in hex (41 31).
  CHECK(key(1, 4875, "A1") == "01051254131");
  CHECK(key(0, 100, "Z") < key(1, 9000, "A"));     // grade first
  CHECK(key(1, 5000, "Z") < key(1, 4999, "A"));    // then higher score
  CHECK(key(1, 5000, "A") < key(1, 5000, "A!"));   // then id bytes: a prefix first
  CHECK(key(1, 5000, "A!") < key(1, 5000, "A,"));  // '!' < ','
}

TEST_CASE("Markdown: a table with an escaped cell, right-aligned rank and score") {
  // The title "夜市, 盗窃" has no pipe; a pipe in a value would be written \|.
  CHECK(render("rank,id,title,score,overdue,opinion_heat", as_of(LedgerFormat::Md)) ==
        "| rank | id | title | score | overdue | opinion_heat |\n"
        "| ---: | --- | --- | ---: | --- | --- |\n"
        "| 1 | W1 | 夜市, 盗窃 | 48.75 | no |  |\n");
  CHECK(render("id,category,overdue", as_of(LedgerFormat::Md, Lang::Zh)) ==
        "| 编号 | 类别 | 是否逾期 |\n| --- | --- | --- |\n| W1 | 社会治安 | 否 |\n");
}

TEST_CASE("YAML: a sequence of mappings, strings quoted, empty cells null") {
  CHECK(render("rank,id,score,deadline,overdue,opinion_heat", as_of(LedgerFormat::Yaml)) ==
        "- \"rank\": 1\n  \"id\": \"W1\"\n  \"score\": 48.75\n  \"deadline\": \"2026-12-05\"\n"
        "  \"overdue\": false\n  \"opinion_heat\": null\n");
}

TEST_CASE("an empty ledger in YAML is an empty sequence; in Markdown just the header") {
  const auto& rules = test::default_rules();
  ExtraColumns extra;
  const auto cols = parse_columns("id,grade", rules, extra);
  for (const auto format : {LedgerFormat::Yaml, LedgerFormat::Md}) {
    LedgerWriter writer(rules, extra, cols, as_of(format));
    std::string out;
    writer.begin(out);
    writer.end(out, 0);
    CHECK(out == (format == LedgerFormat::Yaml ? "[]\n" : "| id | grade |\n| --- | --- |\n"));
  }
}

TEST_CASE("--lang zh: decided_by and top_factors in Chinese") {
  // The same record as above: threshold B at 48.75; factors severity 18.75,
  // urgency 10.00, trend 10.00 (labels 严重程度, 紧迫程度, 趋势). opinion and
  // loss are not measured but carry no weight in public_order, so nothing is
  // listed as unmeasured.
  CHECK(render("decided_by,top_factors", as_of(LedgerFormat::Csv, Lang::Zh)) ==
        "定级依据,主要因素\n得分 48.75 ≥ B级线 45,严重程度 18.75；紧迫程度 10.00；趋势 10.00\n");
}

TEST_CASE("Markdown escapes pipes, markup and line breaks in a cell") {
  const auto& rules = test::default_rules();
  const std::string csv =
      "id,title,category,found_on,severity,likelihood,urgency\n"
      "M1,\"a|b <i> & \\\\ c\r\nd\",public_order,2026-11-20,3,3,3\n";
  std::vector<Problem> problems;
  const auto batch = test::batch_from_csv(csv, rules, problems);
  REQUIRE(problems.empty());
  ExtraColumns extra;
  extra.add_file({});
  LedgerWriter writer(rules, extra, parse_columns("id,title", rules, extra), as_of(LedgerFormat::Md));
  std::string out;
  writer.row(out, 0, batch, summarize(rules, batch, 0));
  CHECK(out == "| M1 | a\\|b &lt;i> &amp; \\\\\\\\ c<br>d |\n");
}

TEST_CASE("the text a run needs: the columns named, the id and what the overrides read") {
  const auto& rules = test::default_rules();
  const auto field = [&](const char* name) { return static_cast<size_t>(rules.find_field(name)); };
  const std::vector<std::string> csv{"csv"};
  // The default columns, the html wall map and --group-by need everything.
  CHECK(text_needed("", csv, "", rules).all);
  CHECK(text_needed("id,title", {"csv", "html"}, "", rules).all);
  CHECK(text_needed("id,title", csv, "district", rules).all);
  // A label (区县) names its field; a name that is neither a column nor a
  // field is a passed-through column.
  const auto text = text_needed("rank,title, 区县 ,score,备注", csv, "", rules);
  CHECK_FALSE(text.all);
  CHECK(text.fields[field("id")] == 1);  // always
  CHECK(text.fields[field("title")] == 1);
  CHECK(text.fields[field("district")] == 1);
  CHECK(text.fields[field("township")] == 0);
  CHECK(text.fields[field("responsible_unit")] == 0);
  // The default overrides read casualties and people_involved.
  CHECK(text.fields[field("casualties")] == 1);
  CHECK(text.fields[field("people_involved")] == 1);
  CHECK(text.fields[field("severity")] == 0);
  CHECK(text.extra == std::vector<std::string>{"备注"});
}

namespace {

// The rows of `csv` rendered as score renders them: from the text cells as
// read (views), with the input text as the source of copied runs or without
// one. Read by CsvReader, or from a file by MappedCsv (in a window, as score
// reads: through a buffer).
std::string render_read(const std::string& csv, const std::string& columns, Lang lang, bool mapped,
                        bool with_source) {
  const auto& rules = test::default_rules();
  std::string out;
  const auto render = [&](const std::vector<std::string>& header, const RawRows& raw) {
    const auto map = map_header(header, rules, "t.csv");
    ExtraColumns extra;
    extra.add_file(map.extra_names);
    std::vector<CellRef> views;
    std::vector<Problem> problems;
    const auto batch =
        build_batch(raw, map, rules, 0, "t.csv", 0, problems, BatchStorage{{}, nullptr, &views});
    REQUIRE(problems.empty());
    LedgerWriter writer(rules, extra, parse_columns(columns, rules, extra), as_of(LedgerFormat::Csv, lang));
    for (size_t r = 0; r < batch.size(); ++r)
      writer.row(out, r, batch, summarize(rules, batch, r), views.data() + r * batch.slots(),
                 with_source ? raw.source() : std::string_view{});
  };
  if (mapped) {
    const test::TempFile file(csv);
    const auto reader = MappedCsv::open(file.path);
    REQUIRE(reader);
    reader->read(
        1, [&](size_t, const RawRows& raw) { render(reader->header(), raw); }, size_t{1} << 20, 1);
  } else {
    CsvReader reader("t.csv", memory_stream(csv));
    RawRows raw;
    reader.read(raw, 100);
    render(reader.header(), raw);
  }
  return out;
}

}  // namespace

// score copies a run of a row's columns from the input when the bytes there
// are what the ledger writes (LedgerWriter::copy_run). A row that is not
// like that must come out as it would have without copying: rendered with
// the input as the source and without it, through both readers, the rows
// are the same. P2's 社会治安 has as many bytes as public_order; P4's
// spaces are trimmed; P5's quotes go; P6's comma is quoted; P7 and P8 have
// an empty text and an empty enum value in a run; P9's trend is in capitals.
TEST_CASE("columns copied from the input are the text the ledger writes") {
  const std::string csv =
      "id,title,category,subtype,trend,district,found_on,severity,likelihood,urgency\n"
      "P1,盗窃线索,public_order,电信诈骗,rising,白云区,2026-11-20,4,2,3\n"
      "P2,盗窃线索,社会治安,电信诈骗,rising,白云区,2026-11-20,4,2,3\n"
      "P3,盗窃线索,PUBLIC_ORDER,电信诈骗,rising,白云区,2026-11-20,4,2,3\n"
      "P4, 盗窃线索 ,public_order,电信诈骗,rising,白云区,2026-11-20,4,2,3\n"
      "P5,\"盗窃线索\",public_order,电信诈骗,rising,白云区,2026-11-20,4,2,3\n"
      "P6,\"夜市, 盗窃\",public_order,电信诈骗,rising,白云区,2026-11-20,4,2,3\n"
      "P7,盗窃线索,public_order,,rising,白云区,2026-11-20,4,2,3\n"
      "P8,盗窃线索,public_order,电信诈骗,,白云区,2026-11-20,4,2,3\n"
      "P9,盗窃线索,public_order,电信诈骗,RISING,白云区,2026-11-20,4,2,3\n";
  const std::string en =
      "P1,盗窃线索,public_order,电信诈骗,rising,白云区\n"
      "P2,盗窃线索,public_order,电信诈骗,rising,白云区\n"
      "P3,盗窃线索,public_order,电信诈骗,rising,白云区\n"
      "P4,盗窃线索,public_order,电信诈骗,rising,白云区\n"
      "P5,盗窃线索,public_order,电信诈骗,rising,白云区\n"
      "P6,\"夜市, 盗窃\",public_order,电信诈骗,rising,白云区\n"
      "P7,盗窃线索,public_order,,rising,白云区\n"
      "P8,盗窃线索,public_order,电信诈骗,,白云区\n"
      "P9,盗窃线索,public_order,电信诈骗,rising,白云区\n";
  // In Chinese the enum values are their labels: P2's copies, P1's does not.
  const std::string zh =
      "P1,盗窃线索,社会治安,电信诈骗,上升,白云区\n"
      "P2,盗窃线索,社会治安,电信诈骗,上升,白云区\n"
      "P3,盗窃线索,社会治安,电信诈骗,上升,白云区\n"
      "P4,盗窃线索,社会治安,电信诈骗,上升,白云区\n"
      "P5,盗窃线索,社会治安,电信诈骗,上升,白云区\n"
      "P6,\"夜市, 盗窃\",社会治安,电信诈骗,上升,白云区\n"
      "P7,盗窃线索,社会治安,,上升,白云区\n"
      "P8,盗窃线索,社会治安,电信诈骗,,白云区\n"
      "P9,盗窃线索,社会治安,电信诈骗,上升,白云区\n";
  const std::string columns = "id,title,category,subtype,trend,district";
  for (const bool mapped : {false, true}) {
    for (const bool with_source : {false, true}) {
      CAPTURE(mapped);
      CAPTURE(with_source);
      CHECK(render_read(csv, columns, Lang::En, mapped, with_source) == en);
      CHECK(render_read(csv, columns, Lang::Zh, mapped, with_source) == zh);
      // Columns in another order than the input's are not copied together.
      CHECK(render_read(csv.substr(0, csv.find("P2")), "district,subtype,title,id", Lang::En, mapped,
                        with_source) == "白云区,电信诈骗,盗窃线索,P1\n");
    }
  }
}

// The copy compares every byte between two cells: a source in which the id
// and the title are one byte apart, but not a comma, is not copied from.
TEST_CASE("a run is copied from the source only with a comma between its cells") {
  const auto& rules = test::default_rules();
  const auto batch = test::batch_from_csv(kCsv);
  ExtraColumns extra;
  extra.add_file({"备注"});
  const LedgerWriter writer(rules, extra, parse_columns("id,title", rules, extra), as_of(LedgerFormat::Csv));
  const auto slot = [&](const char* name) {
    return static_cast<size_t>(batch.slot_of_field[static_cast<size_t>(rules.find_field(name))]);
  };
  for (const std::string source : {"P1,盗窃线索", "P1;盗窃线索", "P1盗窃线索"}) {
    CAPTURE(source);
    std::vector<CellRef> views(batch.slots());
    views[slot("id")] = {source.data(), 2, true};
    const size_t title = source.size() - 12;  // 盗窃线索: four characters of three bytes
    views[slot("title")] = {source.data() + title, 12, true};
    std::string out;
    writer.row(out, 0, batch, summarize(rules, batch, 0), views.data(), source);
    CHECK(out == "P1,盗窃线索\n");
  }
}
