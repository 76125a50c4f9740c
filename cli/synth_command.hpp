#pragma once
#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

#include "common.hpp"

namespace riskledger::cli {

struct SynthCommandOptions {
  uint64_t count = 0;
  uint64_t seed = 0;
  double bad_rate = 0;
  std::string rules;   // empty: the default schema, no rules file read
  std::string output;  // empty or '-': stdout
  bool quiet = false;
};
void setup_synth(CLI::App& app, int& exit_code);
int run_synth(const SynthCommandOptions& options);

}  // namespace riskledger::cli
