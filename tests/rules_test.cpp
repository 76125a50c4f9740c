#include <doctest/doctest.h>

#include <string>

#include "error.hpp"
#include "rules.hpp"
#include "test_support.hpp"

using namespace riskledger;

namespace {

// Loads rules text expected to fail; returns every problem.
std::vector<std::string> problems_of(const std::string& yaml) {
  try {
    load_rules(yaml, "r.yaml");
  } catch (const RulesError& e) {
    return e.problems();
  }
  FAIL("rules loaded without error");
  return {};
}

const char* kMinimal = R"(schema: riskledger/rules/v1
name: t
version: "1"
fields:
  id: {type: string, required: true}
  category: {type: enum, required: true, values: {a: {label: 甲}, b: {}}}
  x: {type: integer, min: 0, max: 10}
indicators:
  xi: {field: x, linear: [0, 10]}
weights:
  a: {xi: 2}
  b: {xi: 1}
grades:
  - {grade: H, min: 50, deadline_days: 1}
  - {grade: L, min: 0, deadline_days: 9}
)";

}  // namespace

TEST_CASE("the default rules load with the design's policy") {
  const auto& r = test::default_rules();
  CHECK(r.name == "default");
  CHECK(r.version == "2026.11");
  CHECK(r.scale == 100);
  CHECK(r.precision == 2);
  REQUIRE(r.indicators.size() == 8);
  CHECK(r.indicators[3].name == "scope");
  CHECK(r.indicators[3].transform == Transform::Log);
  REQUIRE(r.grades.size() == 3);
  CHECK(r.grades[0].name == "A");
  CHECK(r.grades[0].min_units == 7000);  // 70 at precision 2
  CHECK(r.grades[1].min_units == 4500);
  CHECK(r.grades[2].min_units == 0);
  CHECK(r.grades[0].deadline_days == 7);
  CHECK(r.grades[1].deadline_days == 15);
  CHECK(r.grades[2].deadline_days == 30);
  REQUIRE(r.overrides.size() == 2);
  CHECK_FALSE(r.overrides[0].at_least);
  CHECK(r.overrides[1].at_least);
  CHECK(r.warnings.empty());
  // public_safety row: severity .25, urgency .15, likelihood .20, harm .25, loss .15 (sum 1).
  const auto& category = r.fields[static_cast<size_t>(r.category_field)];
  const auto ps = static_cast<size_t>(category.find_value("公共安全"));
  CHECK(category.values[ps].code == "public_safety");
  CHECK(r.weights[ps][0] == doctest::Approx(.25));
  CHECK(r.weights[ps][3] == 0.0);  // scope not weighted for public safety
  CHECK(r.weights[ps][6] == doctest::Approx(.25));
}

TEST_CASE("the built-in matrix rules load") {
  const auto r = load_rules(builtin_rules_text("matrix"), "matrix.yaml");
  CHECK(r.method == Method::Matrix);
  CHECK(r.precision == 0);
  REQUIRE(r.grades.size() == 4);
  CHECK(r.grades[3].name == "D");
  CHECK(r.grades[3].min_units == 1);
}

TEST_CASE("a weight row that does not sum to 1 is normalised with a warning") {
  const auto r = load_rules(kMinimal, "r.yaml");
  // Row a: {xi: 2} -> 2 / 2 = 1.
  CHECK(r.weights[0][0] == 1.0);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0] == "r.yaml:11: weights.a: weights sum to 2, normalised to 1");
}

TEST_CASE("every rules problem is reported with file:line:col and key path") {
  std::string yaml = kMinimal;
  yaml.replace(yaml.find("  a: {xi: 2}"), 12, "  a: {xj: 2}");
  yaml.replace(yaml.find("  b: {xi: 1}"), 12, "  b: {xi: -1}");
  yaml += "overrides:\n  - {name: o, when: \"y >= 3\", grade: E}\n";
  yaml += "weigths: {}\n";
  const auto p = problems_of(yaml);
  // Line 11 is `  a: {xj: 2}`, line 12 `  b: {xi: -1}`, line 17 the override, 18 the typo.
  REQUIRE(p.size() == 5);
  CHECK(p[0] == "r.yaml:18:1: weigths: unknown key 'weigths' (did you mean 'weights'?)");
  CHECK(p[1] == "r.yaml:11:7: weights.a.xj: unknown indicator 'xj' (did you mean 'xi'?)");
  CHECK(p[2] == "r.yaml:12:11: weights.b.xi: weights cannot be negative, got -1");
  CHECK(p[3] == "r.yaml:17:38: overrides[0].grade: unknown grade 'E' (grades: H, L)");
  CHECK(p[4] == "r.yaml:17:22: overrides[0].when: unknown field 'y' (did you mean 'x'?) (in \"y >= 3\")");
}

TEST_CASE("grades must be listed highest first and reach the lowest score") {
  std::string yaml = kMinimal;
  yaml.replace(yaml.find("min: 0, deadline_days: 9"), 6, "min: 60");
  const auto p = problems_of(yaml);
  REQUIRE(p.size() == 2);
  CHECK(p[0] ==
        "r.yaml:15:21: grades[1].min: grades must be listed highest first: min 60 is not below H's 50");
  CHECK(p[1] ==
        "r.yaml:15:21: grades[1].min: the lowest grade must start at 0 so that every score gets a grade");
}

TEST_CASE("a threshold finer than the precision is refused") {
  std::string yaml = kMinimal;
  yaml.replace(yaml.find("min: 50"), 7, "min: 50.005");
  const auto p = problems_of(yaml);
  REQUIRE(p.size() == 1);
  CHECK(p[0] == "r.yaml:14:21: grades[0].min: 50.005 has more decimals than precision 2 allows");
}

TEST_CASE("indicators must name known fields of a fitting type") {
  std::string yaml = kMinimal;
  yaml.replace(yaml.find("xi: {field: x, linear: [0, 10]}"), 31, "xi: {field: xx, linear: [0, 10]}");
  auto p = problems_of(yaml);
  REQUIRE(p.size() == 1);
  CHECK(p[0] == "r.yaml:9:15: indicators.xi.field: unknown field 'xx' (did you mean 'x'?)");

  yaml = kMinimal;
  yaml.replace(yaml.find("linear: [0, 10]"), 15, "map: {a: 1}");
  p = problems_of(yaml);
  REQUIRE(p.size() == 1);
  CHECK(p[0] == "r.yaml:9:15: indicators.xi.field: 'x' is a integer field; map needs an enum field");
}

TEST_CASE("a YAML syntax error names its position") {
  const auto p = problems_of("schema: [unclosed\n");
  REQUIRE(p.size() == 1);
  CHECK(p[0].rfind("r.yaml:2:1: YAML syntax error:", 0) == 0);
}

TEST_CASE("duplicate keys are errors, not silently dropped") {
  std::string yaml = kMinimal;
  yaml.replace(yaml.find("  b: {xi: 1}"), 12, "  b: {xi: 1, xi: 2}");
  yaml.replace(yaml.find("values: {a: {label: 甲}, b: {}}"), 32,
               "values: {a: {label: 甲}, b: {aliases: [甲]}}");
  const auto p = problems_of(yaml);
  REQUIRE(p.size() == 2);
  // Line 6: `  category: {type: enum, required: true, values: {a: {label: 甲}, b: {aliases: [甲]}}}`.
  CHECK(p[0].find("fields.category.values.b: '甲' is already a code, label or alias of another value") !=
        std::string::npos);
  // Line 12: `  b: {xi: 1, xi: 2}`: the second `xi` starts at column 14.
  CHECK(p[1] == "r.yaml:12:14: weights.b.xi: duplicate key");
}

TEST_CASE("matrix scores are cells of the 5 x 5 grid") {
  std::string yaml(builtin_rules_text("matrix"));
  yaml.replace(yaml.find("scale: 25"), 9, "scale: 100");
  const auto p = problems_of(yaml);
  REQUIRE(p.size() == 1);
  CHECK(p[0].find("scale: method matrix scores run from 1 to 25: scale must be 25 (or left out)") !=
        std::string::npos);
}
