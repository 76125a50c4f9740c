#include "ledger_table.hpp"

#include <doctest/doctest.h>

#include "error.hpp"
#include "html_report.hpp"
#include "test_support.hpp"
#include "xlsx_ledger.hpp"

using namespace riskledger;

namespace {

// Five rows as `grade --lang zh` writes them (with one column the rules do
// not know, 备注), and one in English codes, which a ledger never mixes but
// the reader accepts.
const std::string kLedger =
    "排名,编号,类别,区县,责任单位,等级,是否逾期,备注\n"
    "1,P1,社会矛盾,南明区,甲局,A,是,x\n"
    "2,P2,public_order,南明区,乙局,A,否,\n"
    "3,P3,社会矛盾,云岩区,甲局,B,是,\n"
    "4,P4,公共安全,,甲局,C,是,\n"
    "5,P5,社会矛盾,云岩区,丙所,C,否,\n";

LedgerTable table(const std::string& csv) {
  return read_ledger_table("l.csv", memory_stream(csv), test::default_rules());
}

}  // namespace

TEST_CASE("a ledger read back: columns matched by Chinese header") {
  const auto t = table(kLedger);
  CHECK(t.rows == 5);
  CHECK(t.find(LedgerColumn::Rank) == 0);
  CHECK(t.find(LedgerColumn::Grade) == 5);
  CHECK(t.find(LedgerColumn::Overdue) == 6);
  CHECK(t.find(LedgerColumn::Field, test::default_rules().category_field) == 2);
  CHECK(t.columns[7].kind == LedgerColumn::Extra);
}

TEST_CASE("counts by grade, district, category and overdue unit") {
  const auto c = count_ledger(table(kLedger), test::default_rules(), Lang::Zh);
  CHECK(c.rows == 5);
  CHECK(c.per_grade == std::vector<uint64_t>{2, 1, 2});
  CHECK(c.overdue == 3);  // P1, P3, P4
  // Districts: 南明区 2 (A A), 云岩区 2 (B C), blank 1 (C); ties by name in
  // byte order: 云 (E4 BA 91) before 南 (E5 8D 97), then （未填） (EF BC 88).
  REQUIRE(c.districts.size() == 3);
  CHECK(c.districts[0].name == "云岩区");
  CHECK(c.districts[0].per_grade == std::vector<uint64_t>{0, 1, 1});
  CHECK(c.districts[1].name == "南明区");
  CHECK(c.districts[1].per_grade == std::vector<uint64_t>{2, 0, 0});
  CHECK(c.districts[2].name == "（未填）");
  // Categories in rules order: political_security, public_order,
  // social_conflict (P1 A, P3 B, P5 C), public_safety (P4 C), cyber_security.
  REQUIRE(c.categories.size() == 5);
  CHECK(c.categories[1].name == "社会治安");
  CHECK(c.categories[1].per_grade == std::vector<uint64_t>{1, 0, 0});
  CHECK(c.categories[2].per_grade == std::vector<uint64_t>{1, 1, 1});
  CHECK(c.categories[3].total == 1);
  // Overdue by unit: 甲局 has all three (A, B, C).
  REQUIRE(c.overdue_units.size() == 1);
  CHECK(c.overdue_units[0].name == "甲局");
  CHECK(c.overdue_units[0].per_grade == std::vector<uint64_t>{1, 1, 1});
}

TEST_CASE("a ledger without a grade column, or with an unknown grade, is an error") {
  CHECK_THROWS_WITH_AS(count_ledger(table("id,score\nP1,3\n"), test::default_rules(), Lang::En),
                       "l.csv: the ledger has no grade column", InputError);
  CHECK_THROWS_WITH_AS(count_ledger(table("id,grade\nP1,A\nP2,E\n"), test::default_rules(), Lang::En),
                       "l.csv:3: grade='E': not a grade of the rules default (expected A, B, C)", InputError);
}

TEST_CASE("the wall map holds the counts in data attributes") {
  const auto html =
      render_html_report(table(kLedger), test::default_rules(), Lang::Zh, *parse_date("2026-11-25"));
  CHECK(html.find("<div class=\"kpi\" id=\"count-points\" data-count=\"5\">") != std::string::npos);
  CHECK(html.find("id=\"count-overdue\" data-count=\"3\"") != std::string::npos);
  CHECK(html.find("<g class=\"bar\" data-name=\"南明区\" data-count=\"2\">") != std::string::npos);
  // The A list: P1 and P2 only, in ledger order.
  const auto p1 = html.find("<td class=\"c-id\">P1</td>"), p2 = html.find("<td class=\"c-id\">P2</td>");
  CHECK(p1 != std::string::npos);
  CHECK(p2 > p1);
  CHECK(html.find("<td class=\"c-id\">P3</td>") == std::string::npos);
  // Self-contained: no scripts, no links to anything.
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
}

TEST_CASE("display width counts CJK characters twice") {
  CHECK(display_width("abc") == 3);
  CHECK(display_width("南明区") == 6);
  CHECK(display_width("第3网格") == 7);
  CHECK(display_width("（未填）") == 8);
}
