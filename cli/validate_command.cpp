#include "validate_command.hpp"

#include <memory>
#include <optional>

#include <fmt/format.h>

#include "ledger_writer.hpp"
#include "pipeline.hpp"
#include "progress_display.hpp"

namespace riskledger::cli {

void setup_validate(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ValidateOptions>();
  auto* sub = app.add_subcommand("validate", "Check records against the rules; write nothing");
  add_input_options(sub, options->in, false);
  sub->add_flag("--no-progress", options->in.no_progress,
                "Show no progress line (shown only on a terminal, for runs over half a second)");
  sub->footer(std::string("Prints every problem as FILE:LINE: FIELD='VALUE': REASON.\n"
                          "Example: riskledger validate examples/sweep.csv --rules rules/default.yaml\n") +
              kExitCodesHelp);
  sub->callback([options, &exit_code] { exit_code = run_validate(*options); });
}

int run_validate(const ValidateOptions& options) {
  // 1. Load the rules.
  const auto rules = load_rules_reporting(options.in.rules, options.in.quiet);
  // 2. Read, type and score every record; collect every problem.
  std::optional<ProgressDisplay> progress(std::in_place, progress_wanted(options.in));
  const auto inputs = load_inputs(options.in.inputs, rules, options.in.encoding);
  const auto run = grade_inputs(inputs, rules);
  progress.reset();
  // 3. Report each problem, then the counts.
  std::string out;
  for (const auto& p : run.problems) out += format_problem(p) + "\n";
  fmt::print("{}", out);
  if (!options.in.quiet)
    fmt::print(stderr, "read {}, valid {}, rejected {}\n", run.read, run.graded.size(), run.rejected);
  return run.rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace riskledger::cli
