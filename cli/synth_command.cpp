#include "synth_command.hpp"

#include <memory>

#include <fmt/format.h>

#include "error.hpp"
#include "files.hpp"
#include "synth.hpp"

namespace riskledger::cli {

void setup_synth(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<SynthCommandOptions>();
  auto* sub = app.add_subcommand("synth", "Write realistic synthetic records (CSV) for demos and benchmarks");
  sub->add_option("-n,--count", options->count, "Number of records to write")
      ->required()
      ->check(kWholeNumber);
  sub->add_option("-s,--seed", options->seed, "Random seed: the same seed gives the same bytes")
      ->required()
      ->check(kWholeNumber);
  sub->add_option("-r,--rules", options->rules,
                  "Rules file the records are meant for: must declare every default-schema field "
                  "(only the default schema is generated)");
  sub->add_option("-o,--output", options->output, "Write to FILE (atomically) instead of stdout ('-')");
  sub->add_option("--bad-rate", options->bad_rate,
                  "Share of records, 0 to 1, given one problem that grade rejects (bad value, "
                  "empty required field)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  sub->add_flag("-q,--quiet", options->quiet, "Print nothing on stderr but errors");
  sub->footer(
      std::string("Columns: the default schema in English names, plus a pass-through `remark`.\n"
                  "Ids are R2026-<9-digit number>; found_on dates run from 2026-01-01 to 2026-11-25.\n"
                  "Example: riskledger synth --count 1000000 --seed 7 -o sweep.csv\n"
                  "         riskledger synth -n 1000 -s 1 --bad-rate 0.01 | riskledger grade - -o - "
                  "--as-of 2026-11-25\n") +
      kExitCodesHelp);
  sub->callback([options, &exit_code] { exit_code = run_synth(*options); });
}

int run_synth(const SynthCommandOptions& options) {
  // 1. With --rules, check that the rules can read the generated schema.
  if (!options.rules.empty()) {
    const auto rules = load_rules_reporting(options.rules, options.quiet);
    const auto missing = synth_missing_fields(rules);
    if (!missing.empty())
      throw InputError(
          fmt::format("{}: rules lack default-schema field{} {}; synth writes only the "
                      "default schema",
                      rules.source, missing.size() == 1 ? "" : "s", fmt::join(missing, ", ")));
  }
  // 2. Generate, streaming to stdout or to a temporary file renamed into place.
  SynthOptions synth_options;
  synth_options.count = options.count;
  synth_options.seed = options.seed;
  synth_options.bad_rate = options.bad_rate;
  const bool to_stdout = options.output.empty() || options.output == "-";
  const auto stats = to_stdout ? synth(synth_options, [](std::string_view bytes) { write_stdout(bytes); })
                               : synth_to_file(synth_options, options.output);
  // 3. Report the counts.
  if (!options.quiet)
    fmt::print(stderr, "wrote {} record{}, {} with an injected problem\n", stats.records,
               stats.records == 1 ? "" : "s", stats.injected);
  return kExitOk;
}

}  // namespace riskledger::cli
