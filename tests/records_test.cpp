#include <doctest/doctest.h>

#include "dates.hpp"
#include "error.hpp"
#include "test_support.hpp"

using namespace riskledger;

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
