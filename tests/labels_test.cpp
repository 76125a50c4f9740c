#include "labels.hpp"

#include <doctest/doctest.h>

#include "error.hpp"
#include "test_support.hpp"

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
