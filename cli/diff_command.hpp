#pragma once
#include <CLI/CLI.hpp>

#include <string>

#include "common.hpp"

namespace riskledger::cli {

struct DiffOptions {
  std::string old_ledger, new_ledger;
  std::string rules = "default";
  std::string format = "text";
};
void setup_diff(CLI::App& app, int& exit_code);
int run_diff(const DiffOptions& options);

}  // namespace riskledger::cli
