#pragma once
#include <CLI/CLI.hpp>

#include <string>

#include "common.hpp"

namespace riskledger::cli {

struct VerifyOptions {
  std::string manifest;
  unsigned threads = 0;
};
void setup_verify(CLI::App& app, int& exit_code);
int run_verify(const VerifyOptions& options);

}  // namespace riskledger::cli
