#pragma once
#include <CLI/CLI.hpp>

#include "common.hpp"

namespace riskledger::cli {

struct ValidateOptions {
  InputOptions in;
};
void setup_validate(CLI::App& app, int& exit_code);
int run_validate(const ValidateOptions& options);

}  // namespace riskledger::cli
