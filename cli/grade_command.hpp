#pragma once
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "audit.hpp"
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
  bool no_fsync = false;  // --no-fsync
  unsigned threads = 0;
  AuditOptions audit;  // manifest, lock, --group-by, gates, history, --log-format
};
void setup_grade(CLI::App& app, int& exit_code);
int run_grade(const GradeOptions& options);
// run_grade, but with --log-format json a run that cannot go on also ends
// with one JSON line on stderr (and its exit code) instead of throwing.
int run_grade_logged(const GradeOptions& options);

}  // namespace riskledger::cli
