#include "diff_command.hpp"

#include <memory>

#include <fmt/format.h>

#include "files.hpp"
#include "ledger_diff.hpp"
#include "ledger_reader.hpp"

namespace riskledger::cli {

void setup_diff(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DiffOptions>();
  auto* sub = app.add_subcommand(
      "diff", "What changed between two ledgers: new, escalated, downgraded, newly overdue, closed, missing");
  sub->add_option("old", options->old_ledger,
                  "Earlier ledger (csv, json or jsonl; English or Chinese headers)")
      ->required();
  sub->add_option("new", options->new_ledger, "Later ledger")->required();
  sub->add_option("-r,--rules", options->rules,
                  "Rules whose grades the ledgers use (their order: highest first)")
      ->capture_default_str();
  sub->add_option("--format", options->format, "text (a table for people), csv or jsonl (one row per change)")
      ->check(CLI::IsMember({"text", "csv", "jsonl"}))
      ->capture_default_str();
  sub->footer(
      std::string("Points are matched by id. A point both escalated and newly overdue is listed twice.\n"
                  "Example: riskledger diff ledger-1124/ledger.csv ledger-1125/ledger.csv\n") +
      kExitCodesHelp);
  sub->callback([options, &exit_code] { exit_code = run_diff(*options); });
}

int run_diff(const DiffOptions& options) {
  // 1. The rules say which grade is higher.
  const auto rules = load_rules_file(options.rules);
  // 2. Read both ledgers, in whatever format each is.
  const auto old_ledger = read_ledger(options.old_ledger, rules);
  const auto new_ledger = read_ledger(options.new_ledger, rules);
  // 3. Match by id and classify.
  const auto diff = diff_ledgers(old_ledger, new_ledger, rules);
  // 4. Print.
  if (options.format == "csv")
    write_stdout(format_diff_csv(diff, rules));
  else if (options.format == "jsonl")
    write_stdout(format_diff_jsonl(diff, rules));
  else
    write_stdout(format_diff_text(diff, old_ledger, new_ledger, rules));
  return kExitOk;
}

}  // namespace riskledger::cli
