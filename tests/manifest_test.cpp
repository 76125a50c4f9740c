#include "manifest.hpp"

#include <doctest/doctest.h>

#include <filesystem>

#include "error.hpp"

using namespace riskledger;

TEST_CASE("a manifest survives JSON and back, and gives the same bytes twice") {
  Manifest m;
  m.tool_version = "0.1.0";
  m.rules = {"rules/pilot.yaml", "pilot", "2026.11", std::string(64, 'a')};
  m.inputs = {{"b.csv", 12, std::string(64, 'b')}, {"南明区.csv", 34, std::string(64, 'c')}};
  m.as_of = "2026-11-25";
  m.options.formats = {"csv", "jsonl"};
  m.options.lang = "zh";
  m.options.bom = true;
  m.options.group_by = "district";
  m.counts = {46, 40, 6, 3, {{"A", 5}, {"B", 15}, {"C", 20}}};
  m.outputs = {{"南明区.csv", "group", "csv", "南明区", 7, 900, std::string(64, 'd')},
               {"rejects.csv", "rejects", "csv", "", 6, 300, std::string(64, 'e')}};
  const auto text = manifest_json(m);
  CHECK(text == manifest_json(parse_manifest(text, "m.json")));
  const auto back = parse_manifest(text, "m.json");
  CHECK(back.inputs[1].path == "南明区.csv");
  CHECK(back.counts.per_grade[2] == std::pair<std::string, uint64_t>{"C", 20});  // order kept: A, B, C
  CHECK(back.outputs[0].group == "南明区");
  CHECK(back.options.bom);
}

TEST_CASE("parse_manifest names the file and the key it cannot use") {
  CHECK_THROWS_WITH_AS(parse_manifest("{", "m.json"), doctest::Contains("m.json: not valid JSON"),
                       InputError);
  CHECK_THROWS_WITH_AS(parse_manifest("{}", "m.json"), "m.json: schema: missing (not a riskledger manifest?)",
                       InputError);
  CHECK_THROWS_WITH_AS(
      parse_manifest(R"({"schema": "riskledger/manifest/v9"})", "m.json"),
      "m.json: schema 'riskledger/manifest/v9' is not 'riskledger/manifest/v1' (made by another "
      "version?)",
      InputError);
}

TEST_CASE("relative_to: inside the directory or as given") {
  CHECK(relative_to("out/ledger.csv", "out") == "ledger.csv");
  CHECK(relative_to("out/sub/x.csv", "out/") == "sub/x.csv");
  CHECK(relative_to("/elsewhere/rejects.csv", "/srv/out") == "/elsewhere/rejects.csv");
  CHECK(relative_to("elsewhere/rejects.csv", "out") ==
        (std::filesystem::current_path() / "elsewhere/rejects.csv").generic_string());
}
