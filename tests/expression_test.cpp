#include "expression.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "dates.hpp"
#include "text.hpp"

using namespace riskledger;

namespace {

FieldSpec field(std::string name, FieldType type, std::string label = {}) {
  FieldSpec f;
  f.name = std::move(name);
  f.type = type;
  f.label = std::move(label);
  return f;
}

// Field indexes of the test rules.
enum : int { kCasualties, kPeople, kHeat, kCategory, kStatus, kSubtype, kFoundOn, kDueOn };

const std::vector<FieldSpec>& test_fields() {
  static const std::vector<FieldSpec> fields = [] {
    std::vector<FieldSpec> f;
    f.push_back(field("casualties", FieldType::Integer, "伤亡人数"));
    f.push_back(field("people_involved", FieldType::Integer, "涉及人数"));
    f.push_back(field("opinion_heat", FieldType::Number, "舆情热度"));
    f.push_back(field("category", FieldType::Enum, "类别"));
    f.back().values = {{"political_security", "政治安全", {}},
                       {"public_order", "社会治安", {"治安"}},
                       {"social_conflict", "社会矛盾", {}},
                       {"public_safety", "公共安全", {}},
                       {"cyber_security", "网络安全", {}}};
    f.push_back(field("status", FieldType::Enum, "状态"));
    f.back().values = {{"open", "未化解", {}},
                       {"handling", "化解中", {}},
                       {"resolved", "已化解", {}},
                       {"closed", "已销号", {}}};
    f.push_back(field("subtype", FieldType::String, "子类"));
    f.push_back(field("found_on", FieldType::Date, "发现日期"));
    f.back().aliases = {"found_date"};
    f.push_back(field("due_on", FieldType::Date));
    return f;
  }();
  return fields;
}

// Types one cell the way the record builder does: empty is missing.
double typed(const FieldSpec& f, std::string_view cell) {
  if (cell.empty()) return kMissing;
  switch (f.type) {
    case FieldType::Integer:
    case FieldType::Number: return *parse_number(cell);
    case FieldType::Date: return static_cast<double>(*parse_date(cell));
    case FieldType::Enum: return static_cast<double>(f.find_value(cell));
    case FieldType::String: break;
  }
  return kMissing;
}

RecordBatch make_batch(const std::vector<std::vector<std::string>>& rows) {
  const auto& fields = test_fields();
  RecordBatch batch;
  batch.init(fields, 0);
  uint32_t line = 2;
  for (const auto& row : rows) {
    REQUIRE(row.size() == fields.size());
    std::vector<std::string_view> text;
    std::vector<double> values;
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].type == FieldType::String) text.emplace_back(row[i]);
      values.push_back(typed(fields[i], row[i]));
    }
    batch.add(line, line - 2, text, values);
    ++line;
  }
  return batch;
}

// casualties, people_involved, opinion_heat, category, status, subtype, found_on, due_on
const RecordBatch& test_batch() {
  static const RecordBatch batch = make_batch({
      {"3", "50", "80.5", "public_order", "open", "征地拆迁", "2026-01-15", "2026-01-22"},
      {"2", "49", "10", "社会矛盾", "resolved", "道路交通", "2025-12-31", "2025-12-20"},
      {"", "", "", "", "", "", "", ""},
      {"4", "", "0", "political_security", "closed", "Fraud", "2026-02-01", ""},
  });
  return batch;
}

// The result for each row of the test batch, as '1' (true) and '0' (false).
std::string rows(std::string_view text) {
  const auto expr = compile_expression(text, test_fields());
  const auto& batch = test_batch();
  std::string out;
  for (size_t row = 0; row < batch.size(); ++row) out += evaluate(*expr, batch, row) ? '1' : '0';
  return out;
}

// "column: message" of the error compiling `text`, or "no error".
std::string error_of(std::string_view text) {
  try {
    compile_expression(text, test_fields());
  } catch (const ExpressionError& e) {
    return std::to_string(e.column()) + ": " + e.what();
  }
  return "no error";
}

std::string repeat(std::string_view s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("expression: comparison operators at, below and above the boundary") {
  // casualties: 3, 2, missing, 4
  CHECK(rows("casualties == 3") == "1000");
  CHECK(rows("casualties != 3") == "0101");
  CHECK(rows("casualties < 3") == "0100");
  CHECK(rows("casualties <= 3") == "1100");
  CHECK(rows("casualties > 3") == "0001");
  CHECK(rows("casualties >= 3") == "1001");
  CHECK(rows("casualties>=3") == "1001");
  // opinion_heat: 80.5, 10, missing, 0
  CHECK(rows("opinion_heat >= 80.5") == "1000");
  CHECK(rows("opinion_heat > 80.4") == "1000");
  CHECK(rows("opinion_heat < 80.5") == "0101");
  CHECK(rows("opinion_heat == 0") == "0001");
  CHECK(rows("opinion_heat <= 1e1") == "0101");
  CHECK(rows("opinion_heat > .5") == "1100");
}

TEST_CASE("expression: negative numbers") {
  CHECK(rows("casualties >= -1") == "1101");
  CHECK(rows("casualties > -0.5") == "1101");
  CHECK(rows("casualties>-1") == "1101");
  CHECK(rows("-1 < casualties") == "1101");
  CHECK(rows("casualties in [-1, 2]") == "0100");
  CHECK(rows("opinion_heat == -0") == "0001");
}

TEST_CASE("expression: a literal on the left mirrors the operator") {
  CHECK(rows("3 <= casualties") == "1001");
  CHECK(rows("3 < casualties") == "0001");
  CHECK(rows("3 > casualties") == "0100");
  CHECK(rows("3 >= casualties") == "1100");
  CHECK(rows("50 == people_involved") == "1000");
  CHECK(rows("50 != people_involved") == "0100");
  CHECK(rows("'public_order' == category") == "1000");
  CHECK(rows("'2026-01-01' <= found_on") == "1001");
}

TEST_CASE("expression: and binds tighter than or; not tighter than both") {
  CHECK(rows("casualties >= 4 or casualties == 3 and people_involved == 49") == "0001");
  CHECK(rows("(casualties >= 4 or casualties == 3) and people_involved == 50") == "1000");
  CHECK(rows("casualties == 3 or casualties == 2 and people_involved == 49") == "1100");
  CHECK(rows("people_involved == 49 and casualties == 2 or casualties == 4") == "0101");
  CHECK(rows("not casualties >= 3 and people_involved == 49") == "0100");
  CHECK(rows("not (casualties >= 3 and people_involved == 50)") == "0111");
  CHECK(rows("not not casualties == 3") == "1000");
  CHECK(rows("((casualties == 3))") == "1000");
  CHECK(rows("casualties == 3 or casualties == 2 or casualties == 4") == "1101");
  CHECK(rows("casualties >= 2 and casualties <= 3 and people_involved >= 0") == "1100");
}

TEST_CASE("expression: in with numbers, enum codes and labels, strings, dates") {
  CHECK(rows("casualties in [2, 4]") == "0101");
  CHECK(rows("casualties in [3]") == "1000");
  CHECK(rows("casualties in []") == "0000");
  CHECK(rows("not casualties in [2, 4]") == "1010");
  CHECK(rows("category in ['political_security', 'social_conflict']") == "0101");
  CHECK(rows("category in ['社会治安', '政治安全']") == "1001");
  CHECK(rows("status in [\"resolved\", 'closed']") == "0101");
  CHECK(rows("subtype in ['道路交通', 'Fraud']") == "0101");
  CHECK(rows("found_on in ['2026-01-15', '2026/2/1']") == "1001");
}

TEST_CASE("expression: enum values by code, label, alias or case") {
  CHECK(rows("category == 'public_order'") == "1000");
  CHECK(rows("category == '社会治安'") == "1000");
  CHECK(rows("category == \"治安\"") == "1000");
  CHECK(rows("category == 'PUBLIC_ORDER'") == "1000");
  CHECK(rows("category == '社会矛盾'") == "0100");
  CHECK(rows("category != 'public_order'") == "0101");
  CHECK(rows("status == 'open' or status == '已销号'") == "1001");
}

TEST_CASE("expression: strings compare bytes exactly") {
  CHECK(rows("subtype == '征地拆迁'") == "1000");
  CHECK(rows("subtype != '征地拆迁'") == "0101");
  CHECK(rows("subtype == 'Fraud'") == "0001");
  CHECK(rows("subtype == 'fraud'") == "0000");
  CHECK(rows("subtype == ''") == "0000");
  CHECK(rows("subtype != ''") == "1101");
}

TEST_CASE("expression: dates") {
  // found_on: 2026-01-15, 2025-12-31, missing, 2026-02-01
  CHECK(rows("found_on >= '2026-01-15'") == "1001");
  CHECK(rows("found_on > '2026-01-15'") == "0001");
  CHECK(rows("found_on < '2026-01-15'") == "0100");
  CHECK(rows("found_on <= '2026-01-15'") == "1100");
  CHECK(rows("found_on == '2026/1/15'") == "1000");
  CHECK(rows("found_on != \"2026-01-15\"") == "0101");
}

TEST_CASE("expression: comparing two fields") {
  CHECK(rows("casualties < people_involved") == "1100");
  CHECK(rows("opinion_heat > casualties") == "1100");
  CHECK(rows("due_on < found_on") == "0100");
  CHECK(rows("due_on >= found_on") == "1000");
}

TEST_CASE("expression: a comparison that reads a missing value is false") {
  // Row 2 has no values at all.
  for (const char* text :
       {"casualties == 3", "casualties != 3", "casualties < 100", "casualties >= -100",
        "casualties in [0, 1, 2, 3, 4]", "category != 'public_order'", "status in ['open']", "subtype != 'x'",
        "subtype in ['x']", "found_on > '1970-01-01'", "found_on != '2026-01-15'",
        "casualties <= people_involved"}) {
    CAPTURE(text);
    CHECK(rows(text)[2] == '0');
    CHECK(rows(std::string("not ") + text)[2] == '1');
    CHECK(rows(std::string("not (") + text + ")")[2] == '1');
  }
  // people_involved is missing in row 3 only.
  CHECK(rows("people_involved >= 0") == "1100");
  CHECK(rows("not people_involved >= 0") == "0011");
  CHECK(rows("casualties >= 4 and people_involved >= 0") == "0000");
  CHECK(rows("casualties >= 4 or people_involved >= 0") == "1101");
}

TEST_CASE("expression: fields_used lists fields in order of first use") {
  const auto expr = compile_expression(
      "status == 'open' and (casualties >= 3 or 3 <= casualties) or found_on > due_on and "
      "status != 'closed'",
      test_fields());
  CHECK(fields_used(*expr) == std::vector<int>{kStatus, kCasualties, kFoundOn, kDueOn});
  CHECK(fields_used(*compile_expression("3 < opinion_heat", test_fields())) == std::vector<int>{kHeat});
  CHECK(fields_used(*compile_expression("subtype in ['a']", test_fields())) == std::vector<int>{kSubtype});
}

TEST_CASE("expression: unknown fields") {
  CHECK(error_of("casualty >= 3") == "1: unknown field 'casualty' (did you mean 'casualties'?)");
  CHECK(error_of("casualties >= 3 and categroy == 'public_order'") ==
        "21: unknown field 'categroy' (did you mean 'category'?)");
  CHECK(error_of("Casualties >= 3") == "1: unknown field 'Casualties' (did you mean 'casualties'?)");
  CHECK(error_of("people > 1") == "1: unknown field 'people' (did you mean 'people_involved'?)");
  CHECK(error_of("categories == 'public_order'") ==
        "1: unknown field 'categories' (did you mean 'category'?)");
  CHECK(error_of("cat == 1") == "1: unknown field 'cat'");
  CHECK(error_of("zzz == 1") == "1: unknown field 'zzz'");
  CHECK(error_of("category == public_order") ==
        "13: unknown field 'public_order' (to compare with a value, quote it: 'public_order')");
  CHECK(error_of("category in [public_order]") ==
        "14: expected a number or quoted string, found 'public_order' (to compare with a value, "
        "quote it: 'public_order')");
  CHECK(error_of("found_date > '2026-01-01'") ==
        "1: unknown field 'found_date' (write the field name: 'found_on')");
  CHECK(error_of("伤亡人数 >= 3") == "1: unknown field '伤亡人数' (write the field name: 'casualties')");
  CHECK(error_of("category == 社会治安") ==
        "13: unknown field '社会治安' (to compare with a value, quote it: '社会治安')");
  CHECK(error_of("casualties >= 3 AND status == 'open'") ==
        "17: unexpected 'AND' (keywords are lowercase: 'and')");
  CHECK(error_of("NOT casualties >= 3") == "1: unknown field 'NOT' (keywords are lowercase: 'not')");
}

TEST_CASE("expression: type mismatches") {
  CHECK(error_of("casualties == '3'") == "15: casualties is a number; cannot compare it with the string '3'");
  CHECK(error_of("'3' == casualties") == "1: casualties is a number; cannot compare it with the string '3'");
  CHECK(error_of("opinion_heat in [1, \"2\"]") ==
        "21: opinion_heat is a number; cannot compare it with the string \"2\"");
  CHECK(error_of("subtype == 3") ==
        "12: subtype is text; cannot compare it with the number 3 (to compare text, quote it: "
        "'3')");
  CHECK(error_of("found_on > 2026") ==
        "12: found_on is a date; cannot compare it with the number 2026 (write dates quoted, as "
        "'YYYY-MM-DD')");
  CHECK(error_of("status == 1") ==
        "11: status is an enum; cannot compare it with the number 1 (quote one of its values: "
        "open, handling, resolved, closed)");
  CHECK(error_of("subtype < 'a'") == "9: cannot use '<' with subtype (text); use ==, != or in");
  CHECK(error_of("category >= 'public_order'") ==
        "10: cannot use '>=' with category (an enum); use ==, != or in");
  CHECK(error_of("category == status") ==
        "10: cannot compare category (an enum) with status (an enum); two fields can be compared "
        "only when both are numbers or both are dates");
  CHECK(error_of("found_on > casualties") ==
        "10: cannot compare found_on (a date) with casualties (a number); two fields can be "
        "compared only when both are numbers or both are dates");
  CHECK(error_of("3 == 4") == "1: 3 == 4 compares two constants");
  CHECK(error_of("'a' != \"b\"") == "1: 'a' != \"b\" compares two constants");
  CHECK(error_of("3 in [3]") == "1: 3 in [...] compares constants; put a field before 'in'");
  CHECK(error_of("(casualties > 1) == 1") ==
        "18: cannot compare the condition (casualties > 1) with a value; '==' needs a field or a "
        "value on each side");
}

TEST_CASE("expression: enum values and dates are checked") {
  CHECK(error_of("category == 'foo'") ==
        "13: 'foo' is not a value of category (values: political_security, public_order, "
        "social_conflict, public_safety, cyber_security)");
  CHECK(error_of("status in ['open', 'gone']") ==
        "20: 'gone' is not a value of status (values: open, handling, resolved, closed)");
  CHECK(error_of("found_on > '2026-02-30'") == "12: '2026-02-30' is not a date (expected YYYY-MM-DD)");
  CHECK(error_of("found_on > 'yesterday'") == "12: 'yesterday' is not a date (expected YYYY-MM-DD)");
}

TEST_CASE("expression: syntax errors") {
  CHECK(error_of("") == "1: empty expression");
  CHECK(error_of("  \t ") == "1: empty expression");
  CHECK(error_of("subtype == '征地拆迁") == "12: unterminated string");
  CHECK(error_of("subtype == \"x' ") == "12: unterminated string");
  CHECK(error_of("casualties >= 3 people_involved") == "17: unexpected 'people_involved'");
  CHECK(error_of("casualties >= 3)") == "16: unexpected ')'");
  CHECK(error_of("(casualties >= 3") == "17: expected ')', found end of expression");
  CHECK(error_of("((casualties >= 3) or (people_involved > 1)") ==
        "44: expected ')', found end of expression");
  CHECK(error_of("(casualties >= 3 people_involved > 1") == "18: expected ')', found 'people_involved'");
  CHECK(error_of("casualties") == "1: expected a comparison after 'casualties'");
  CHECK(error_of("casualties >= 3 and people_involved") ==
        "21: expected a comparison after 'people_involved'");
  CHECK(error_of("3") == "1: expected a comparison after '3'");
  CHECK(error_of("casualties >=") ==
        "14: expected a field, number or quoted string, found end of expression");
  CHECK(error_of("casualties >= and") == "15: expected a field, number or quoted string, found 'and'");
  CHECK(error_of("casualties >= 3 and") ==
        "20: expected a field, number or quoted string, found end of expression");
  CHECK(error_of("casualties = 3") == "12: unexpected '=' (use '==' to compare)");
  CHECK(error_of("casualties >= 3 && x") == "17: unexpected '&' (use 'and')");
  CHECK(error_of("casualties >= 3 || x") == "17: unexpected '|' (use 'or')");
  CHECK(error_of("!casualties") == "1: unexpected '!' (use 'not', or '!=' to compare)");
  CHECK(error_of("casualties >= 3 @") == "17: unexpected character '@'");
  CHECK(error_of("casualties >= 3x") == "15: invalid number '3x'");
  CHECK(error_of("casualties >= 1e999") == "15: invalid number '1e999'");
  CHECK(error_of("casualties >= -x") == "16: expected a number after '-', found 'x'");
  CHECK(error_of("casualties in 3") == "15: expected '[' after 'in', found '3'");
  CHECK(error_of("casualties in [1, 2") == "20: expected ',' or ']', found end of expression");
  CHECK(error_of("casualties in [1,]") == "18: expected a number or quoted string, found ']'");
  CHECK(error_of("subtype == '\xff'") == "13: invalid UTF-8");
}

TEST_CASE("expression: columns count characters, not bytes") {
  CHECK(error_of("subtype == '征地' and casualties > 'x'") ==
        "34: casualties is a number; cannot compare it with the string 'x'");
}

TEST_CASE("expression: nesting and length limits") {
  const std::string deepest = repeat("(", 64) + "casualties >= 3" + repeat(")", 64);
  CHECK(rows(deepest) == "1001");
  CHECK(error_of(repeat("(", 65) + "casualties >= 3" + repeat(")", 65)) ==
        "65: expression nested too deeply (more than 64 levels of parentheses and 'not')");
  CHECK(rows(repeat("not ", 64) + "casualties >= 3") == "1001");
  CHECK(error_of(repeat("not ", 65) + "casualties >= 3") ==
        "257: expression nested too deeply (more than 64 levels of parentheses and 'not')");
  CHECK(error_of(repeat("(not ", 40) + "casualties >= 3" + repeat(")", 40)) ==
        "161: expression nested too deeply (more than 64 levels of parentheses and 'not')");
  // Long chains stay flat: 400 alternatives within the length limit.
  std::string chain = "casualties == 0";
  for (int i = 1; i < 400; ++i) chain += " or casualties == " + std::to_string(i);
  REQUIRE(chain.size() <= 9000);
  CHECK(error_of(chain).find("expression is too long") != std::string::npos);
  std::string shorter = "casualties == 0";
  for (int i = 1; i < 150; ++i) shorter += " or casualties == " + std::to_string(i);
  REQUIRE(shorter.size() <= 4096);
  CHECK(rows(shorter) == "1101");
  const std::string too_long = "subtype == '" + std::string(4090, 'a') + "'";
  CHECK(error_of(too_long) == "1: expression is too long (4103 bytes; the limit is 4096)");
  const std::string longest = "subtype == '" + std::string(4083, 'a') + "'";
  REQUIRE(longest.size() == 4096);
  CHECK(rows(longest) == "0000");
}
