#pragma once
// Helpers for unit tests: records from CSV text in memory.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "csv_reader.hpp"
#include "records.hpp"
#include "rules.hpp"

namespace riskledger::test {

inline const Rules& default_rules() {
  static const Rules rules = load_rules(builtin_rules_text("default"), "default.yaml");
  return rules;
}

// Types CSV text into one batch; problems go to `problems`.
inline RecordBatch batch_from_csv(const std::string& csv, const Rules& rules, std::vector<Problem>& problems,
                                  const BatchStorage& storage = {}) {
  CsvReader reader("t.csv", memory_stream(csv));
  const auto map = map_header(reader.header(), rules, "t.csv");
  RawRows raw;
  reader.read(raw, 1000000);
  return build_batch(std::move(raw), map, rules, 0, "t.csv", 0, problems, storage);
}

inline RecordBatch batch_from_csv(const std::string& csv, const Rules& rules = default_rules()) {
  std::vector<Problem> problems;
  return batch_from_csv(csv, rules, problems);
}

// Writes `bytes` to a temporary file and removes it when done.
struct TempFile {
  std::string path;
  explicit TempFile(const std::string& bytes) {
    path = (std::filesystem::temp_directory_path() /
            fmt::format("riskledger-mapped-{}-{}.csv", ::getpid(), reinterpret_cast<uintptr_t>(this)))
               .string();
    std::ofstream(path, std::ios::binary) << bytes;
  }
  ~TempFile() { std::filesystem::remove(path); }
};

using Rows = std::vector<std::vector<std::string>>;
using Lines = std::vector<uint32_t>;

// Everything a reader handed out, gathered over all its chunks.
struct Table {
  std::vector<std::string> header;
  Rows rows;
  Lines lines;
  Lines field_counts;
  size_t chunks = 0;
};

inline Table read_table(RecordSource& source, size_t max_rows = 1000) {
  Table t;
  t.header = source.header();
  RawRows out;
  while (source.read(out, max_rows)) {
    ++t.chunks;
    REQUIRE(out.columns == t.header.size());
    REQUIRE(out.cells.size() == out.rows() * out.columns);
    REQUIRE(out.field_counts.size() == out.rows());
    for (size_t r = 0; r < out.rows(); ++r) {
      std::vector<std::string> row;
      for (size_t c = 0; c < out.columns; ++c) row.emplace_back(out.cell(r, c));
      t.rows.push_back(std::move(row));
      t.lines.push_back(out.lines[r]);
      t.field_counts.push_back(out.field_counts[r]);
    }
  }
  CHECK(out.rows() == 0);
  return t;
}

}  // namespace riskledger::test
