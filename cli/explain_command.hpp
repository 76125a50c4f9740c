#pragma once
#include <CLI/CLI.hpp>

#include "common.hpp"

namespace riskledger::cli {

struct ExplainOptions {
  std::string id;
  InputOptions in;
  bool json = false;
};
void setup_explain(CLI::App& app, int& exit_code);
int run_explain(const ExplainOptions& options);

}  // namespace riskledger::cli
