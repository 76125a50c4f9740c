#include "grade_command.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "error.hpp"
#include "files.hpp"
#include "ledger_output.hpp"
#include "ledger_writer.hpp"
#include "pipeline.hpp"
#include "progress_display.hpp"

namespace riskledger::cli {

void setup_grade(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<GradeOptions>();
  auto* sub = app.add_subcommand("grade", "Score, grade and rank records; write the ledger and rejects");
  add_input_options(sub, options->in);
  auto* out_dir =
      sub->add_option("--out-dir", options->out_dir, "Directory for ledger.<format> and rejects.csv")
          ->capture_default_str();
  sub->add_option("-o,--output", options->output,
                  "Write one ledger to FILE ('-' for stdout) instead of --out-dir")
      ->excludes(out_dir);
  sub->add_option("--rejects", options->rejects,
                  "Rejects file (default: OUT_DIR/rejects.csv; with -o, problems go to stderr)");
  sub->add_option("--format", options->formats,
                  "Ledger formats: csv, json, jsonl, md, yaml, xlsx, html (comma-separated)")
      ->delimiter(',')
      ->check(CLI::IsMember(std::vector<std::string>(kLedgerFormatNames.begin(), kLedgerFormatNames.end())))
      ->capture_default_str();
  sub->add_option(
      "--columns", options->columns,
      "Comma-separated columns to write, in order (e.g. rank,id,title,category,district,score,grade)");
  sub->add_option("--lang", options->lang, "Header and label language: en or zh")
      ->check(CLI::IsMember({"en", "zh"}))
      ->capture_default_str();
  sub->add_flag("--bom", options->bom, "Start CSV ledgers with a UTF-8 byte order mark (for Excel)");
  sub->add_option("--threads", options->threads,
                  "Worker threads (0: one per core); output is the same for any value")
      ->capture_default_str();
  sub->add_flag("--strict", options->strict, "Write nothing when any record is rejected");
  sub->add_flag("--no-progress", options->in.no_progress,
                "Show no progress line (shown only on a terminal, for runs over half a second)");
  sub->footer(
      std::string(
          "Ledger order: grade (highest first), score descending, id (byte order).\n"
          "Example: riskledger grade examples/sweep.csv --out-dir ledger --as-of 2026-11-25\n"
          "Example: riskledger grade examples/sweep.csv --format xlsx,html --lang zh --out-dir ledger\n") +
      kExitCodesHelp);
  sub->callback([options, &exit_code] { exit_code = run_grade(*options); });
}

namespace {

// RISKLEDGER_TIMINGS=1 prints how long each step took to stderr (for
// profiling; see docs/performance.md).
class StepTimer {
 public:
  StepTimer() : on_(std::getenv("RISKLEDGER_TIMINGS") != nullptr) {}
  void step(const char* name) {
    if (!on_) return;
    const auto now = std::chrono::steady_clock::now();
    const double cpu = cpu_seconds();
    fmt::print(stderr, "timing: {:<6} {:8.3f} s wall {:8.3f} s cpu\n", name,
               std::chrono::duration<double>(now - last_).count(), cpu - last_cpu_);
    last_ = now;
    last_cpu_ = cpu;
  }

 private:
  static double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }
  bool on_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  double last_cpu_ = cpu_seconds();
};

void print_counts(const GradedRun& run, const Rules& rules) {
  std::string grades;
  for (size_t g = 0; g < rules.grades.size(); ++g)
    grades += fmt::format("{}{} {}", g ? ", " : "", rules.grades[g].name, run.per_grade[g]);
  fmt::print(stderr, "read {}, graded {}, rejected {} ({})\n", run.read, run.graded.size(), run.rejected,
             grades);
}

}  // namespace

int run_grade(const GradeOptions& options) {
  StepTimer timer;
  // 1. Load the rules and settle the options.
  const auto rules = load_rules_reporting(options.in.rules, options.in.quiet);
  LedgerOptions ledger;
  ledger.lang = parse_lang(options.lang);
  ledger.bom = options.bom;
  ledger.as_of = resolve_as_of(options.in.as_of);
  if (!options.output.empty() && options.formats.size() > 1)
    throw UsageError("-o writes one ledger: give one --format");

  // 2. Read and type every input; reject bad and duplicate records (with a
  //    progress line on a terminal, until the records are ranked).
  std::optional<ProgressDisplay> progress(std::in_place, progress_wanted(options.in));
  const auto inputs = load_inputs(options.in.inputs, rules, options.in.encoding, options.threads);
  timer.step("read");
  const auto columns = options.columns.empty() ? default_columns(rules, inputs.extra)
                                               : parse_columns(options.columns, rules, inputs.extra);
  // 3. Decide every grade.
  auto run = grade_inputs(inputs, rules, options.threads);
  timer.step("grade");
  // 4. Rank: grade, score descending, id.
  rank(run.graded, inputs, rules, options.threads);
  timer.step("rank");
  progress.reset();

  // 5. With --strict, a rejected record means nothing is written.
  if (options.strict && run.rejected > 0) {
    for (const auto& p : run.problems) fmt::print(stderr, "{}\n", format_problem(p));
    if (!options.in.quiet) print_counts(run, rules);
    fmt::print(stderr, "riskledger: --strict: {} record{} rejected, nothing written\n", run.rejected,
               run.rejected == 1 ? "" : "s");
    return kExitRejected;
  }

  // 6. Write the ledger(s) and the rejects: all staged first, then renamed
  //    into place together, so a failure leaves the previous outputs intact.
  OutputSet outputs;
  std::string rejects = options.rejects;
  if (!options.output.empty()) {
    const auto produce = [&](const std::function<void(std::string_view)>& sink) {
      write_ledger_as(options.formats.front(), run, inputs, rules, columns, ledger, options.threads, sink);
    };
    if (!rejects.empty()) outputs.add(rejects, format_rejects_csv(run.problems));
    if (options.output == "-") {
      outputs.commit();
      produce([](std::string_view bytes) { write_stdout(bytes); });
    } else {
      outputs.add(options.output, produce);
      outputs.commit();
    }
    if (rejects.empty())
      for (const auto& p : run.problems) fmt::print(stderr, "{}\n", format_problem(p));
  } else {
    make_directories(options.out_dir);
    for (const auto& name : options.formats) {
      const auto path = (std::filesystem::path(options.out_dir) / fmt::format("ledger.{}", name)).string();
      outputs.add(path, [&, name](const std::function<void(std::string_view)>& sink) {
        write_ledger_as(name, run, inputs, rules, columns, ledger, options.threads, sink);
      });
    }
    if (rejects.empty()) rejects = (std::filesystem::path(options.out_dir) / "rejects.csv").string();
    outputs.add(rejects, format_rejects_csv(run.problems));
    outputs.commit();
  }
  timer.step("write");
  if (run.rejected > 0 && !options.in.quiet && !rejects.empty())
    fmt::print(stderr, "{} record{} rejected: see {}\n", run.rejected, run.rejected == 1 ? "" : "s", rejects);
  // 7. Report the counts; read = graded + rejected always holds.
  if (!options.in.quiet) print_counts(run, rules);
  return run.rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace riskledger::cli
