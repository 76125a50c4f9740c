// Fuzzes the rules loader: any text gives valid rules or a RulesError listing
// problems, never a crash or a hang. Rules that load are used to grade one
// record, so whatever the loader accepts, grading can work with.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "error.hpp"
#include "fuzz_support.hpp"
#include "rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace riskledger;
  Rules rules;
  try {
    rules = load_rules(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
  } catch (const RulesError& e) {
    if (e.problems().empty()) __builtin_trap();
    return 0;
  }
  if (rules.grades.empty()) __builtin_trap();
  // One record with every field empty: typed, then decided.
  std::string header;
  for (const auto& f : rules.fields) header += (header.empty() ? "" : ",") + f.name;
  std::string row(rules.fields.empty() ? 0 : rules.fields.size() - 1, ',');
  try {
    CsvReader reader("fuzz.csv", memory_stream(header + "\n" + row + "x\n"));
    const auto map = map_header(reader.header(), rules, "fuzz.csv");
    RawRows raw;
    reader.read(raw, 10);
    std::vector<Problem> problems;
    const auto batch = build_batch(std::move(raw), map, rules, 0, "fuzz.csv", 0, problems);
    std::vector<double> points(rules.indicators.size());
    for (size_t r = 0; r < batch.size(); ++r) (void)decide(rules, batch, r, points);
  } catch (const InputError&) {
  }
  return 0;
}
