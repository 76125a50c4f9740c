#pragma once
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "common.hpp"

namespace riskledger::cli {

// What every `weights` method shares: the base rules and the output.
struct WeightsOutputOptions {
  std::string base = "default";
  std::string output;  // empty: report only
  int decimals = 4;
  bool quiet = false;
};

struct AhpOptions {
  std::string judgements;
  WeightsOutputOptions out;
  std::string method = "eigenvector";
  std::string ri = "saaty";
  bool allow_inconsistent = false;
};

struct ObjectiveWeightsOptions {
  bool critic = false;  // false: entropy
  std::vector<std::string> inputs;
  std::string encoding = "utf-8";
  WeightsOutputOptions out;
  double blend = 0;
};

void setup_weights(CLI::App& app, int& exit_code);
int run_weights_ahp(const AhpOptions& options);
int run_weights_objective(const ObjectiveWeightsOptions& options);

}  // namespace riskledger::cli
