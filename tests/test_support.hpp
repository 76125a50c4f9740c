#pragma once
// Helpers for unit tests: records from CSV text in memory.
#include <string>
#include <vector>

#include "csv_reader.hpp"
#include "records.hpp"
#include "rules.hpp"

namespace riskledger::test {

inline const Rules& default_rules() {
  static const Rules rules = load_rules(builtin_rules_text("default"), "default.yaml");
  return rules;
}

// Types CSV text into one batch; problems go to `problems`.
inline RecordBatch batch_from_csv(const std::string& csv, const Rules& rules,
                                  std::vector<Problem>& problems) {
  CsvReader reader("t.csv", memory_stream(csv));
  const auto map = map_header(reader.header(), rules, "t.csv");
  RawRows raw;
  reader.read(raw, 1000000);
  return build_batch(std::move(raw), map, rules, 0, "t.csv", 0, problems);
}

inline RecordBatch batch_from_csv(const std::string& csv, const Rules& rules = default_rules()) {
  std::vector<Problem> problems;
  return batch_from_csv(csv, rules, problems);
}

}  // namespace riskledger::test
