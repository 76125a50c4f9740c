#include <memory>

#include <fmt/format.h>

#include "error.hpp"
#include "explain.hpp"
#include "explain_command.hpp"
#include "ledger_writer.hpp"
#include "pipeline.hpp"

namespace riskledger::cli {

void setup_explain(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ExplainOptions>();
  auto* sub = app.add_subcommand("explain", "Show how one risk point got its score and grade");
  sub->add_option("id", options->id, "The risk point's id")->required();
  add_input_options(sub, options->in);
  sub->add_flag("--json", options->json, "Write the explanation as one JSON object");
  sub->footer(
      std::string("Example: riskledger explain NM-2026-0032 examples/sweep.csv --as-of 2026-11-25\n") +
      kExitCodesHelp);
  sub->callback([options, &exit_code] { exit_code = run_explain(*options); });
}

int run_explain(const ExplainOptions& options) {
  // 1. Load the rules and every input (an id is only valid if unique).
  const auto rules = load_rules_reporting(options.in.rules, options.in.quiet);
  const Day as_of = resolve_as_of(options.in.as_of);
  const auto inputs = load_inputs(options.in.inputs, rules, options.in.encoding);
  // 2. A rejected record: say why, exit 3.
  bool rejected = false;
  for (const auto& p : inputs.problems) {
    if (p.id != options.id) continue;
    fmt::print(stderr, "{}\n", format_problem(p));
    rejected = true;
  }
  if (rejected) {
    fmt::print(stderr, "riskledger: record '{}' is rejected, so it has no grade\n", options.id);
    return kExitRejected;
  }
  // 3. Find the record and explain its decision.
  for (const auto& batch : inputs.batches) {
    for (size_t r = 0; r < batch.size(); ++r) {
      if (batch.str(rules.id_field, r) != options.id) continue;
      const auto e = explain_record(rules, batch, r, inputs.files[static_cast<size_t>(batch.file)], as_of);
      fmt::print("{}", options.json ? explanation_json(rules, e) : explanation_text(rules, e));
      return e.decision.score.ok ? kExitOk : kExitRejected;
    }
  }
  throw InputError(fmt::format("no record with id '{}' in the inputs", options.id));
}

}  // namespace riskledger::cli
