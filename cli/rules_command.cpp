#include "rules_command.hpp"

#include <memory>

#include <fmt/format.h>

#include "common.hpp"
#include "rules.hpp"

namespace riskledger::cli {

void setup_rules(CLI::App& app, int& exit_code) {
  auto* rules = app.add_subcommand("rules", "Work with rules files");
  rules->require_subcommand(1);
  rules->footer("Example: riskledger rules check rules/default.yaml");
  auto options = std::make_shared<RulesCheckOptions>();
  auto* check = rules->add_subcommand("check", "Lint a rules file and print a summary of it");
  check->add_option("rules", options->path, "Rules file, or 'default' / 'matrix' for the built-in sets")
      ->required();
  check->footer(std::string("Every problem is reported as FILE:LINE:COL: KEY.PATH: MESSAGE.\n"
                            "Example: riskledger rules check rules/default.yaml\n") +
                kExitCodesHelp);
  check->callback([options, &exit_code] { exit_code = run_rules_check(*options); });
}

int run_rules_check(const RulesCheckOptions& options) {
  const auto rules = load_rules_file(options.path);  // throws RulesError: exit 1
  fmt::print("{}", rules_summary(rules));
  return kExitOk;
}

}  // namespace riskledger::cli
