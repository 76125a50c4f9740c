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
