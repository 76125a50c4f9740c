#pragma once
#include <CLI/CLI.hpp>

#include <string>

#include "common.hpp"

namespace riskledger::cli {

struct SensitivityCommandOptions {
  InputOptions in;
  size_t samples = 1000;
  double spread = 0.1;
  uint64_t seed = 1;
  size_t top = 10;
  std::string output;  // per-record CSV; '-' for stdout
  unsigned threads = 0;
};

void setup_sensitivity(CLI::App& app, int& exit_code);
int run_sensitivity(const SensitivityCommandOptions& options);

}  // namespace riskledger::cli
