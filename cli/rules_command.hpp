#pragma once
#include <CLI/CLI.hpp>

#include <string>

namespace riskledger::cli {

struct RulesCheckOptions {
  std::string path;
};
void setup_rules(CLI::App& app, int& exit_code);
int run_rules_check(const RulesCheckOptions& options);

}  // namespace riskledger::cli
