#include "score_command.hpp"

#include <malloc.h>

#include <memory>
#include <optional>

#include <fmt/format.h>

#include "files.hpp"
#include "ledger_writer.hpp"
#include "messages.hpp"
#include "progress_display.hpp"
#include "stream.hpp"

namespace riskledger::cli {

void setup_score(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ScoreOptions>();
  auto* sub = app.add_subcommand(
      "score", "Stream scored and graded records to stdout in input order (constant memory)");
  add_input_options(sub, options->in);
  sub->add_option("--format", options->format, "Output format: csv or jsonl")
      ->check(CLI::IsMember({"csv", "jsonl"}))
      ->capture_default_str();
  sub->add_option("--columns", options->columns, "Comma-separated columns to write, in order");
  sub->add_flag(
      "--with-sort-key", options->sort_key,
      "Start each row with sort_key, which sorts (as plain bytes, LC_ALL=C sort) into ledger order");
  sub->add_option("--lang", options->lang, "Header and label language: en or zh")
      ->check(CLI::IsMember({"en", "zh"}))
      ->capture_default_str();
  sub->add_option("--threads", options->threads,
                  "Worker threads (0: one per core); output is the same for any value")
      ->capture_default_str();
  sub->add_flag("--no-progress", options->in.no_progress,
                "Show no progress line (shown only on a terminal, for runs over half a second)");
  sub->footer(
      std::string("A pure per-record map: no ranking and no duplicate-id check (use grade).\n"
                  "Rejected records are reported on stderr as FILE:LINE: FIELD='VALUE': REASON.\n"
                  "Example: riskledger score day.csv --format jsonl --as-of 2026-11-25 > scored.jsonl\n") +
      kExitCodesHelp);
  sub->callback([options, &exit_code] { exit_code = run_score(*options); });
}

int run_score(const ScoreOptions& options) {
  // Every segment allocates and frees buffers of a few MiB. By default
  // glibc hands such memory back to the system at once and the next segment
  // faults it in again, zeroed (a fifth of score's time); keep it instead.
  // Memory stays bounded by the segments in flight.
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 256 << 20);
  // 1. Load the rules and settle the options.
  const auto rules = load_rules_reporting(options.in.rules, options.in.quiet);
  LedgerOptions ledger;
  ledger.format = parse_ledger_format(options.format);
  ledger.lang = parse_lang(options.lang);
  ledger.as_of = resolve_as_of(options.in.as_of);
  // 2. Stream every input through scoring and grading to stdout.
  std::optional<ProgressDisplay> progress(std::in_place, progress_wanted(options.in));
  const auto result = score_stream(
      options.in.inputs, rules, ledger, options.columns, [](std::string_view bytes) { write_stdout(bytes); },
      [&](const Problem& p) { progress->print(problem_line(p, rules, ledger.lang)); }, options.in.encoding,
      options.sort_key, options.threads);
  progress.reset();  // clears the progress line
  // 3. Report the counts.
  if (!options.in.quiet) {
    if (ledger.lang == Lang::Zh)
      fmt::print(stderr, "读取 {} 条，评分 {} 条，剔除 {} 条\n", result.read, result.scored, result.rejected);
    else
      fmt::print(stderr, "read {}, scored {}, rejected {}\n", result.read, result.scored, result.rejected);
  }
  return result.rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace riskledger::cli
