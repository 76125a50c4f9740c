#pragma once
// Options and helpers shared by the subcommands.
#include <CLI/CLI.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "dates.hpp"
#include "records.hpp"
#include "rules.hpp"

namespace riskledger::cli {

// Documented, stable exit codes (see docs/exit-codes.md).
enum ExitCode : int {
  kExitOk = 0,        // success
  kExitFailed = 1,    // could not run: unreadable file, invalid rules, missing column
  kExitUsage = 2,     // usage error
  kExitRejected = 3,  // some records were rejected
  kExitGate = 4,      // a gate tripped (reserved)
  kExitVerify = 5,    // verify mismatch (reserved)
};

inline constexpr const char* kExitCodesHelp =
    "Exit codes: 0 success; 1 could not run (unreadable file, invalid rules, missing column);\n"
    "2 usage error; 3 some records were rejected; 4 a gate tripped; 5 verify mismatch.";

// Inputs and rules, as every record-reading command takes them.
struct InputOptions {
  std::vector<std::string> inputs;
  std::string rules = "default";
  std::string as_of;  // YYYY-MM-DD; empty means today
  std::string encoding = "utf-8";
  bool quiet = false;
  bool no_progress = false;
};

void add_input_options(CLI::App* sub, InputOptions& options, bool with_as_of = true);

// A whole number of digits only that fits 64 bits: CLI11 alone would wrap -3
// into an unsigned seed and let an overflowing number through.
extern const CLI::Validator kWholeNumber;

// Loads the rules and prints their warnings to stderr (unless quiet).
Rules load_rules_reporting(const std::string& path, bool quiet);

// load_rules_reporting() for commands that work on weights: a matrix rule set
// has none, a UsageError "OPTION PATH: method matrix has no weightsWHY".
Rules load_weighted_rules(std::string_view option, const std::string& path, bool quiet, std::string_view why);

// `--as-of` or today's local date. The only place the clock is read.
Day resolve_as_of(const std::string& text);

}  // namespace riskledger::cli
