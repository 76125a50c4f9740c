#include "labels.hpp"

#include <doctest/doctest.h>

#include "error.hpp"
#include "test_support.hpp"
#include "text.hpp"

using namespace riskledger;

TEST_CASE("colour names and #RRGGBB") {
  CHECK(color_hex("red") == "#E53935");
  CHECK(color_hex(" Orange ") == "#FB8C00");
  CHECK(color_hex("#a1b2c3") == "#A1B2C3");
  CHECK(color_hex("#12345") == "");
  CHECK(color_hex("#12345g") == "");
  CHECK(color_hex("crimson") == "");
}

TEST_CASE("grade colours come from the rules, with defaults by position") {
  const auto& rules = test::default_rules();  // A red, B orange, C yellow
  CHECK(grade_color_hex(rules, 0) == "#E53935");
  CHECK(grade_color_hex(rules, 1) == "#FB8C00");
  CHECK(grade_color_hex(rules, 2) == "#FDD835");
}

TEST_CASE("an unknown grade colour is a rules error") {
  std::string yaml(builtin_rules_text("default"));
  const auto at = yaml.find("color: orange");
  REQUIRE(at != std::string::npos);
  yaml.replace(at, 13, "color: teal");
  CHECK_THROWS_AS(load_rules(yaml, "r.yaml"), RulesError);
  try {
    load_rules(yaml, "r.yaml");
  } catch (const RulesError& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.problems()[0].find("grades[1].color: unknown colour 'teal'") != std::string::npos);
  }
}

TEST_CASE("a grade in Chinese: name, 级 and label") {
  const auto& rules = test::default_rules();  // A 重大, B 较大, C 一般
  CHECK(grade_text_zh(rules, 0) == "A级（重大）");
  CHECK(grade_text_zh(rules, 1) == "B级（较大）");
  CHECK(grade_text_zh(rules, 2) == "C级（一般）");
  const auto matrix = load_rules(builtin_rules_text("matrix"), "matrix.yaml");  // D 低风险
  CHECK(grade_text_zh(matrix, 3) == "D级（低风险）");
  // No label: the name and 级; a name already ending in 级 gets no second one.
  std::string yaml(builtin_rules_text("default"));
  const auto a = yaml.find("{grade: A, min: 70, label: 重大,");
  REQUIRE(a != std::string::npos);
  yaml.replace(a, std::string_view("{grade: A, min: 70, label: 重大,").size(), "{grade: 一级, min: 70,");
  const auto at = yaml.find("grade: A,    reason");  // the override that forces A
  REQUIRE(at != std::string::npos);
  yaml.replace(at, std::string_view("grade: A,").size(), "grade: 一级,");
  const auto renamed = load_rules(yaml, "r.yaml");
  CHECK(grade_text_zh(renamed, 0) == "一级");
  CHECK(grade_of_text(renamed, "一级") == 0);
}

TEST_CASE("a grade cell read back in either language") {
  const auto& rules = test::default_rules();
  CHECK(grade_of_text(rules, "A") == 0);
  CHECK(grade_of_text(rules, "A级（重大）") == 0);
  CHECK(grade_of_text(rules, " B级（较大） ") == 1);
  CHECK(grade_of_text(rules, "C级") == 2);
  CHECK(grade_of_text(rules, "一般") == 2);
  CHECK(grade_of_text(rules, "A级（较大）") == -1);  // name and label of different grades
  CHECK(grade_of_text(rules, "a") == -1);
  CHECK(grade_of_text(rules, "D") == -1);
  CHECK(grade_of_text(rules, "") == -1);
}

// Both languages' texts from their pieces (default rules: indicators
// severity, urgency, likelihood, scope, trend, opinion, harm, loss, in that
// order; grade B from 45; override casualties with reason 重大伤亡).
TEST_CASE("decided_by and top_factors in English and Chinese") {
  const auto& rules = test::default_rules();
  const DecisionText en(rules, false), zh(rules, true);
  const auto text = [](const DecisionText& t, const Graded& g, bool factors) {
    std::string out = "|";  // appended to
    RowBuffer row;
    if (factors) {
      t.top_factors(out, g);
      t.top_factors(row, g);
    } else {
      t.decided_by(out, g);
      t.decided_by(row, g);
    }
    CHECK(row.view() == out.substr(1));
    return out.substr(1);
  };
  Graded g;
  g.grade = 1;
  g.units = 4806;
  g.unmeasured = uint64_t{1} << 5 | uint64_t{1} << 7;  // opinion, loss
  g.factors = 3;
  g.factor_index[0] = 2;  // likelihood 20.00, urgency 10.00, scope 6.81
  g.factor_index[1] = 1;
  g.factor_index[2] = 3;
  g.factor_units[0] = 2000;
  g.factor_units[1] = 1000;
  g.factor_units[2] = 681;
  CHECK(text(en, g, false) == "threshold B: 48.06 >= 45; not measured: opinion, loss");
  CHECK(text(zh, g, false) == "得分 48.06 ≥ B级线 45；未测：舆情热度、经济损失(元)");
  CHECK(text(en, g, true) == "likelihood 20.00; urgency 10.00; scope 6.81");
  CHECK(text(zh, g, true) == "可能性 20.00；紧迫程度 10.00；涉及人数 6.81");
  g.factors = 1;
  CHECK(text(en, g, true) == "likelihood 20.00");
  g.decided_by = 0;
  g.unmeasured = 0;
  CHECK(text(en, g, false) == "override casualties: casualties >= 3");
  CHECK(text(zh, g, false) == "规则 casualties（重大伤亡）：casualties >= 3");

  // An override with no reason: nothing in brackets.
  const auto night = load_rules(
      std::string(builtin_rules_text("default")) + "  - {name: night, when: \"casualties >= 9\", grade: A}\n",
      "r.yaml");
  g.decided_by = 2;
  CHECK(text(DecisionText(night, true), g, false) == "规则 night：casualties >= 9");

  // Matrix rules: the two factors of the product, as whole numbers.
  const auto matrix = load_rules(builtin_rules_text("matrix"), "matrix.yaml");
  Graded m;
  m.factor_units[0] = 4;
  m.factor_units[1] = 5;
  CHECK(text(DecisionText(matrix, false), m, true) == "likelihood 4 x severity 5");
  CHECK(text(DecisionText(matrix, true), m, true) == "可能性 4 × 严重程度 5");
}
