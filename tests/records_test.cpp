#include <doctest/doctest.h>

#include <array>

#include "dates.hpp"
#include "error.hpp"
#include "test_support.hpp"

using namespace riskledger;

namespace {

// The default rules with district (a String field) required.
Rules rules_with_district_required() {
  std::string text(builtin_rules_text("default"));
  const std::string plain = "district:           {type: string, label: 区县}";
  REQUIRE(text.find(plain) != std::string::npos);
  text.replace(text.find(plain), plain.size(), "district: {type: string, required: true, label: 区县}");
  return load_rules(text, "r.yaml");
}

}  // namespace

TEST_CASE("headers match field names, Chinese labels and aliases") {
  const auto& r = test::default_rules();
  const std::vector<std::string> header{"编号",     "类别",     "Severity", "可能性",
                                        "紧迫程度", "发现日期", "经济损失", "备注"};
  const auto map = map_header(header, r, "t.csv");
  CHECK(map.field_of_column[0] == r.find_field("id"));
  CHECK(map.field_of_column[2] == r.find_field("severity"));
  CHECK(map.field_of_column[6] == r.find_field("economic_loss"));
  REQUIRE(map.extra_names.size() == 1);
  CHECK(map.extra_names[0] == "备注");
}

TEST_CASE("a missing required column names the field and its accepted names") {
  const auto& r = test::default_rules();
  const std::vector<std::string> header{"id", "category", "likelihood", "urgency", "found_on"};
  CHECK_THROWS_WITH_AS(map_header(header, r, "t.csv"),
                       "t.csv:1: missing required column 'severity' (accepted names: severity, 严重程度)",
                       InputError);
}

TEST_CASE("bad values reject the record with every problem") {
  const auto& r = test::default_rules();
  std::vector<Problem> problems;
  const auto b = test::batch_from_csv(
      "id,category,found_on,severity,likelihood,urgency,people_involved\n"
      "A1,public_order,2026-11-01,3,3,3,10\n"
      "A2,public_orderx,2026-02-30,9,abc,3.5,-1\n"
      ",治安,2026-11-01,,3,3,\n"
      "A4,public_order,2026-11-01,3,3\n",
      r, problems);
  CHECK(b.size() == 1);
  CHECK(b.str(r.id_field, 0) == "A1");
  // A2 has six problems, the third row two (id, severity), A4 two (field count, urgency).
  REQUIRE(problems.size() == 10);
  CHECK(problems[0].line == 3);
  CHECK(problems[0].field == "category");
  CHECK(problems[0].value == "public_orderx");
  CHECK(problems[0].reason ==
        "unknown category (expected one of: political_security, public_order, social_conflict, "
        "public_safety, cyber_security)");
  CHECK(problems[1].reason == "not a valid date (expected YYYY-MM-DD)");
  CHECK(problems[2].reason == "out of range (must be from 1 to 5)");
  CHECK(problems[3].reason == "not a number (must be from 1 to 5)");
  CHECK(problems[4].reason == "not a whole number");
  CHECK(problems[5].reason == "out of range (must be at least 0)");
  CHECK(problems[6].line == 4);
  CHECK(problems[6].field == "id");
  CHECK(problems[6].reason == "required value is empty");
  CHECK(problems[7].field == "severity");
  CHECK(problems[8].line == 5);
  CHECK(problems[8].reason == "expected 7 fields, found 5");
  CHECK(problems[9].field == "urgency");
}

TEST_CASE("a record's problems come in field order, text fields and typed ones mixed") {
  // District (a String field) required: it comes after category (an enum)
  // and before found_on (a date) in the rules, so its problem lies between
  // theirs, though text and typed cells are checked in loops of their own.
  const auto rules = rules_with_district_required();
  std::vector<Problem> problems;
  const auto b = test::batch_from_csv(
      "id,district,category,found_on,severity,likelihood,urgency\n"
      "A1,,nope,2026-13-01,3,3,3\n"
      "A2,,public_order,2026-11-01,3,3,3\n"
      "A3,南明区,public_order,2026-11-01,3,3,x\n",
      rules, problems);
  CHECK(b.size() == 0);
  REQUIRE(problems.size() == 5);
  CHECK(problems[0].id == "A1");
  CHECK(problems[0].field == "category");
  CHECK(problems[1].field == "district");
  CHECK(problems[1].reason == "required value is empty");
  CHECK(problems[2].field == "found_on");
  CHECK(problems[2].value == "2026-13-01");
  CHECK(problems[3].id == "A2");
  CHECK(problems[3].field == "district");
  CHECK(problems[4].id == "A3");
  CHECK(problems[4].field == "urgency");
  CHECK(problems[4].reason == "not a number (must be from 1 to 5)");
}

TEST_CASE("defaults fill empty values and values are trimmed") {
  const auto& r = test::default_rules();
  const auto b = test::batch_from_csv(
      "id,category,found_on,status,severity,likelihood,urgency,casualties\n"
      " B1 , 社会治安 ,2026/11/1,, 3 ,3,3,\n");
  REQUIRE(b.size() == 1);
  CHECK(b.str(r.id_field, 0) == "B1");
  CHECK(b.num(r.category_field, 0) == 1);            // public_order
  CHECK(b.num(r.status_field, 0) == 0);              // default open
  CHECK(b.num(r.find_field("casualties"), 0) == 0);  // default 0
  CHECK(field_text(r, b, r.find_field("casualties"), 0) == "0");
  CHECK(field_text(r, b, r.category_field, 0) == "public_order");
  CHECK(format_date(static_cast<Day>(b.num(r.found_on_field, 0))) == "2026-11-01");
}

TEST_CASE("a batch holds only the text cells kept, after every cell is checked") {
  // The default rules with district required: a district that is not kept
  // must still be there.
  const auto rules = rules_with_district_required();
  const std::string csv =
      "id,title,district,category,found_on,severity,likelihood,urgency,备注\n"
      "A1,标题一,南明区,public_order,2026-11-01,3,3,3,r1\n"
      "A2,标题二,,public_order,2026-11-01,3,3,3,r2\n";
  const int district = rules.find_field("district");
  const int title = rules.find_field("title");
  // Slots: the ten String fields in rules order, then the one extra column;
  // keep the id, the title and the extra column, not the district.
  std::vector<uint8_t> kept(11, 0);
  std::vector<Problem> problems;
  const auto all = test::batch_from_csv(csv, rules, problems);
  kept[static_cast<size_t>(all.slot_of_field[static_cast<size_t>(rules.id_field)])] = 1;
  kept[static_cast<size_t>(all.slot_of_field[static_cast<size_t>(title)])] = 1;
  kept[10] = 1;
  problems.clear();
  const auto some = test::batch_from_csv(csv, rules, problems, BatchStorage{kept, nullptr});
  // A2's empty district rejects it though the district is not kept.
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].id == "A2");
  CHECK(problems[0].field == "district");
  CHECK(problems[0].reason == "required value is empty");
  REQUIRE(some.size() == 1);
  CHECK(some.str(rules.id_field, 0) == "A1");
  CHECK(some.str(title, 0) == "标题一");
  CHECK(some.extra(0, 0) == "r1");
  CHECK(some.kept(static_cast<size_t>(some.slot_of_field[static_cast<size_t>(title)])));
  CHECK_FALSE(some.kept(static_cast<size_t>(some.slot_of_field[static_cast<size_t>(district)])));
  CHECK(all.str(district, 0) == "南明区");
  // A1's cells: a header of 10 bytes (category, status, trend: 2 each;
  // found_on: 4), one length byte per slot (11), then the text: with every
  // cell "A1" 2 + "标题一" 9 + "南明区" 9 + "r1" 2 = 22 bytes, 43 in all;
  // without the district 13 bytes, 34 in all.
  CHECK(all.header_bytes == 10);
  CHECK(all.cells.size() == 43);
  CHECK(some.cells.size() == 34);
}

TEST_CASE("a cell that is not kept is stored empty, whatever its text") {
  const auto& rules = test::default_rules();
  RecordBatch b;
  b.init(rules.fields, 1);
  REQUIRE(b.slots() == 11);  // ten String fields and the extra column
  REQUIRE(b.header_bytes == 10);
  std::vector<uint8_t> kept(11, 0);
  kept[3] = kept[10] = 1;
  b.set_kept(kept);
  const std::string long_text(200, 'x');
  std::vector<std::string_view> text(11, "not kept");
  text[3] = "三";
  text[10] = long_text;
  const std::vector<double> values(rules.fields.size(), kMissing);
  b.add(2, 0, text, values);
  b.add(3, 1, text, values);
  // A record: the header (10 bytes), a head byte per cell (11), a second one
  // for the 200-byte cell (200 << 1 | 1 = 401 needs two 7-bit groups), and
  // 3 + 200 bytes of text: 10 + 11 + 1 + 203 = 225.
  CHECK(b.at[1] == 225);
  CHECK(b.cells.size() == 450);
  std::array<CellRef, 11> cells;
  for (const uint32_t at : {b.at[0], b.at[1]}) {
    b.decode_at(at, cells.data());
    for (size_t s = 0; s < cells.size(); ++s) {
      CAPTURE(s);
      CHECK(cells[s].view() == (s == 3 ? "三" : s == 10 ? std::string_view(long_text) : ""));
      CHECK(cells[s].plain);
    }
  }
}

TEST_CASE("batches built in one arena lie back to back") {
  // Two batches of the same rows from one thread: the second's cells start
  // where the first's end (rounded up to 64 bytes), and so do its values.
  const auto arenas = std::make_shared<BatchArenas>();
  const std::string csv =
      "id,category,found_on,severity,likelihood,urgency\n"
      "A1,public_order,2026-11-01,3,3,3\n";
  std::vector<Problem> problems;
  const auto first = test::batch_from_csv(csv, test::default_rules(), problems, BatchStorage{{}, arenas});
  const auto second = test::batch_from_csv(csv, test::default_rules(), problems, BatchStorage{{}, arenas});
  REQUIRE(problems.empty());
  // 10 header bytes + 10 String fields of one length byte + "A1" = 22 -> 64.
  CHECK(first.cells.size() == 22);
  CHECK(second.cells.data() == first.cells.data() + 64);
  // 11 typed values of 8 bytes = 88 -> 128.
  CHECK(first.nums.size() == 11);
  CHECK(reinterpret_cast<const char*>(second.nums.data()) ==
        reinterpret_cast<const char*>(first.nums.data()) + 128);
  CHECK(second.str(test::default_rules().id_field, 0) == "A1");
}

// An integer field takes any whole number, written with a fraction of zeros
// or an exponent, and of any size (a double of 2^52 or more has no
// fraction); a fraction just below 2^52 is still seen.
TEST_CASE("an integer field takes whole numbers of any size and rejects fractions") {
  const auto& r = test::default_rules();
  std::vector<Problem> problems;
  const auto b = test::batch_from_csv(
      "id,category,found_on,severity,likelihood,urgency,people_involved\n"
      "A1,public_order,2026-11-01,3,3,3,12.0\n"
      "A2,public_order,2026-11-01,3,3,3,1e20\n"
      "A3,public_order,2026-11-01,3,3,3,4503599627370495.5\n"
      "A4,public_order,2026-11-01,3,3,3,9007199254740993\n",
      r, problems);
  REQUIRE(b.size() == 3);
  const int people = r.find_field("people_involved");
  CHECK(b.num(people, 0) == 12.0);
  CHECK(b.num(people, 1) == 1e20);
  CHECK(b.num(people, 2) == 9007199254740992.0);  // 2^53 + 1 reads as 2^53
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].line == 4);  // 2^52 - 0.5
  CHECK(problems[0].reason == "not a whole number");
}

// Enum cells are looked up in a table of every exact spelling (code, label,
// alias), falling back to the case-insensitive search: a field of 300 values
// whose spellings are 2 to 25 bytes long, each spelling found, each in other
// letter case too, and one that is no value rejected.
TEST_CASE("every spelling of an enum value of many is found") {
  std::string text(builtin_rules_text("default"));
  const std::string anchor = "# Indicators map";
  REQUIRE(text.find(anchor) != std::string::npos);
  std::string zone = "  zone:\n    type: enum\n    values:\n";
  for (int i = 0; i < 300; ++i)
    zone += fmt::format("      v{0}: {{label: 区{0}, aliases: [zone-number-{0}-of-many, zn{0:05}x]}}\n", i);
  text.insert(text.find(anchor), zone + "\n");
  const auto rules = load_rules(text, "r.yaml");
  const int field = rules.find_field("zone");
  REQUIRE(field >= 0);
  std::string csv = "id,category,found_on,severity,likelihood,urgency,zone\n";
  std::vector<int> expected;
  for (int i = 0; i < 300; ++i) {
    for (const auto& spelling :
         {fmt::format("v{}", i), fmt::format("区{}", i), fmt::format("zone-number-{}-of-many", i),
          fmt::format("zn{:05}x", i), fmt::format("V{}", i), fmt::format("ZONE-Number-{}-OF-MANY", i),
          fmt::format("ZN{:05}X", i)}) {
      csv += fmt::format("A{},public_order,2026-11-01,3,3,3,{}\n", expected.size(), spelling);
      expected.push_back(i);
    }
  }
  csv += "B1,public_order,2026-11-01,3,3,3,v300\n";
  std::vector<Problem> problems;
  const auto b = test::batch_from_csv(csv, rules, problems);
  REQUIRE(b.size() == expected.size());  // 300 x 7 = 2100 records
  for (size_t r = 0; r < b.size(); ++r) {
    INFO("record ", r);
    CHECK(b.num(field, r) == expected[r]);
  }
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].value == "v300");
  CHECK(problems[0].reason.starts_with("unknown zone (expected one of: v0, v1, v2,"));
}
