#pragma once
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "common.hpp"

namespace riskledger::cli {

struct GradeOptions {
  InputOptions in;
  std::string out_dir = "ledger";
  std::string output;   // -o FILE or '-': one ledger file instead of out_dir
  std::string rejects;  // rejects file (default: OUT_DIR/rejects.csv)
  std::vector<std::string> formats{"csv"};
  std::string columns;
  std::string lang = "en";
  bool bom = false;
  bool strict = false;
  unsigned threads = 0;
};
void setup_grade(CLI::App& app, int& exit_code);
int run_grade(const GradeOptions& options);

}  // namespace riskledger::cli
