#pragma once
#include <CLI/CLI.hpp>

#include "common.hpp"

namespace riskledger::cli {

struct ScoreOptions {
  InputOptions in;
  std::string format = "csv";
  std::string columns;
  std::string lang = "en";
  bool sort_key = false;
  unsigned threads = 0;
};
void setup_score(CLI::App& app, int& exit_code);
int run_score(const ScoreOptions& options);

}  // namespace riskledger::cli
