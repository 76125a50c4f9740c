#pragma once
#include <CLI/CLI.hpp>

#include <string>

#include "common.hpp"

namespace riskledger::cli {

struct HistoryOptions {
  std::string id;
  std::string db;
};
void setup_history(CLI::App& app, int& exit_code);
int run_history(const HistoryOptions& options);

}  // namespace riskledger::cli
