#pragma once
#include <CLI/CLI.hpp>

#include <string>

#include "common.hpp"

namespace riskledger::cli {

struct ReportOptions {
  std::string ledger;  // a CSV ledger written by grade, or '-' for stdin
  std::string output = "report.html";
  std::string rules = "default";
  std::string lang = "en";
  std::string as_of;
  bool quiet = false;
};
void setup_report(CLI::App& app, int& exit_code);
int run_report(const ReportOptions& options);

}  // namespace riskledger::cli
