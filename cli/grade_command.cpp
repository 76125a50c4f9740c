#include "grade_command.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "error.hpp"
#include "files.hpp"
#include "history.hpp"
#include "ledger_output.hpp"
#include "ledger_reader.hpp"
#include "ledger_writer.hpp"
#include "manifest.hpp"
#include "messages.hpp"
#include "pipeline.hpp"
#include "progress_display.hpp"
#include "version.hpp"

namespace riskledger::cli {

void setup_grade(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<GradeOptions>();
  auto* sub = app.add_subcommand("grade", "Score, grade and rank records; write the ledger and rejects");
  add_input_options(sub, options->in);
  auto* out_dir = sub->add_option("--out-dir", options->out_dir,
                                  "Directory for ledger.<format>, rejects.csv and manifest.json")
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
      "Comma-separated columns to write, in order (e.g. rank,id,title,category,district,score,grade); "
      "html: the columns of its A list");
  sub->add_option("--lang", options->lang,
                  "Language of headers, labels, grades (A级（重大）), rejects.csv and messages: en or zh")
      ->check(CLI::IsMember({"en", "zh"}))
      ->capture_default_str();
  sub->add_flag("--bom", options->bom, "Start CSV ledgers with a UTF-8 byte order mark (for Excel)");
  sub->add_option("--threads", options->threads,
                  "Worker threads (0: one per core); output is the same for any value")
      ->capture_default_str();
  sub->add_flag("--strict", options->strict, "Write nothing when any record is rejected");
  sub->add_flag("--no-fsync", options->no_fsync,
                "Do not flush outputs to disk before renaming them into place (faster; a machine crash "
                "right after the run may leave them empty; for outputs that are regenerated anyway)");
  sub->add_flag("--no-progress", options->in.no_progress,
                "Show no progress line (shown only on a terminal, for runs over half a second)");
  add_audit_options(sub, options->audit);
  sub->footer(
      std::string(
          "Ledger order: grade (highest first), score descending, id (byte order).\n"
          "Inputs are read in byte order of their paths. --out-dir also gets manifest.json (see verify).\n"
          "Gates exit 4 only after every output is written; a tripped gate wins over rejects (3).\n"
          "Example: riskledger grade examples/sweep.csv --out-dir ledger --as-of 2026-11-25\n"
          "Example: riskledger grade examples/sweep.csv --format xlsx,html --lang zh --out-dir ledger\n") +
      kExitCodesHelp);
  sub->callback([options, &exit_code] { exit_code = run_grade_logged(*options); });
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
    const auto [rss, peak] = resident_mib();
    fmt::print(stderr, "timing: {:<6} {:8.3f} s wall {:8.3f} s cpu {:6} MiB resident {:6} MiB peak\n", name,
               std::chrono::duration<double>(now - last_).count(), cpu - last_cpu_, rss, peak);
    last_ = now;
    last_cpu_ = cpu;
  }

 private:
  static double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }
  // Resident memory now and at its peak so far (VmRSS, VmHWM), in MiB; 0
  // where /proc/self/status cannot be read.
  static std::pair<long, long> resident_mib() {
    std::ifstream status("/proc/self/status");
    long rss = 0, peak = 0;
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("VmRSS:", 0) == 0) rss = std::atol(line.c_str() + 6) / 1024;
      if (line.rfind("VmHWM:", 0) == 0) peak = std::atol(line.c_str() + 6) / 1024;
    }
    return {rss, peak};
  }
  bool on_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  double last_cpu_ = cpu_seconds();
};

// What the manifest records of this run, before the outputs are written.
Manifest start_manifest(const RulesSource& rules_source, const Rules& rules, std::vector<FileDigest> inputs,
                        const GradeOptions& options, Day as_of, const GradedRun& run, uint64_t overdue) {
  Manifest m;
  m.tool_version = kVersion;
  m.rules = {rules_source.path, rules.name, rules.version, rules_source.sha256};
  m.inputs = std::move(inputs);
  m.as_of = format_date(as_of);
  m.options.formats = options.formats;
  m.options.columns = options.columns;
  m.options.lang = options.lang;
  m.options.bom = options.bom;
  m.options.encoding = options.in.encoding;
  m.options.group_by = options.audit.group_by;
  m.counts.read = run.read;
  m.counts.graded = run.graded.size();
  m.counts.rejected = run.rejected;
  m.counts.overdue = overdue;
  for (size_t g = 0; g < rules.grades.size(); ++g)
    m.counts.per_grade.emplace_back(rules.grades[g].name, run.per_grade[g]);
  return m;
}

// The grade each id had in the --baseline ledger, or -1 (no baseline, or not in it).
std::function<int(std::string_view)> read_baseline(const std::string& path, const Rules& rules) {
  if (path.empty()) return [](std::string_view) { return -1; };
  auto table = std::make_shared<std::unordered_map<std::string, int>>();
  for (const auto& row : read_ledger(path, rules).rows) table->emplace(row.id, row.grade);
  return [table](std::string_view id) {
    const auto it = table->find(std::string(id));
    return it == table->end() ? -1 : it->second;
  };
}

}  // namespace

int run_grade_logged(const GradeOptions& options) {
  if (options.audit.log_format != "json") return run_grade(options);
  // With --log-format json even a run that cannot go on ends with one JSON line.
  try {
    return run_grade(options);
  } catch (const UsageError& e) {
    RunLog::failure("grade", kExitUsage, {e.what()});
    return kExitUsage;
  } catch (const RulesError& e) {
    RunLog::failure("grade", kExitFailed, e.problems());
    return kExitFailed;
  } catch (const std::exception& e) {
    RunLog::failure("grade", kExitFailed, {e.what()});
    return kExitFailed;
  }
}

int run_grade(const GradeOptions& options) {
  StepTimer timer;
  const auto& audit = options.audit;
  RunLog log(options.in.quiet, audit.log_format, parse_lang(options.lang));
  // 1. Load the rules (hashing their bytes for the manifest) and settle the options.
  const auto rules_source = read_rules_source(options.in.rules);
  const auto rules = load_rules(rules_source.text, rules_source.source);
  for (const auto& w : rules.warnings) log.warning(w);
  LedgerOptions ledger;
  ledger.lang = parse_lang(options.lang);
  ledger.bom = options.bom;
  ledger.as_of = resolve_as_of(options.in.as_of);
  if (!options.output.empty() && options.formats.size() > 1)
    throw UsageError("-o writes one ledger: give one --format");
  if (!options.output.empty() && !audit.group_by.empty())
    throw UsageError("--group-by writes one ledger per group: use --out-dir, not -o");
  check_gate_options(audit, rules);

  // 2. Read and type every input, in byte order of path, and hash them;
  //    reject bad and duplicate records. The baseline ledger is read first, so
  //    a bad one stops the run before anything is written.
  const auto baseline = read_baseline(audit.baseline, rules);
  const auto paths = reading_order(options.in.inputs);
  // The inputs' hashes are needed for the manifest (--out-dir) and the
  // history only: then they are computed beside the reading.
  const bool need_digests = options.output.empty() || !audit.history.empty();
  auto digests = std::async(need_digests ? std::launch::async : std::launch::deferred,
                            [&] { return digest_inputs(paths); });
  std::optional<ProgressDisplay> progress(std::in_place, progress_wanted(options.in));
  // Only the text the outputs show is kept (all of it for the default columns).
  const auto inputs = load_inputs(paths, rules, options.in.encoding, options.threads,
                                  text_needed(options.columns, options.formats, audit.group_by, rules));
  timer.step("read");
  // The --columns chosen, or none for the default columns.
  const auto columns = options.columns.empty() ? std::vector<LedgerColumn>{}
                                               : parse_columns(options.columns, rules, inputs.extra);
  // 3. Decide every grade.
  auto run = grade_inputs(inputs, rules, options.threads);
  timer.step("grade");
  // 4. Rank: grade, score descending, id.
  rank(run.graded, inputs, rules, options.threads);
  timer.step("rank");
  progress.reset();
  const auto overdue = count_overdue(run, ledger.as_of);

  // 5. With --strict, a rejected record means nothing is written.
  if (options.strict && run.rejected > 0) {
    if (!log.json())
      for (const auto& p : run.problems) fmt::print(stderr, "{}\n", problem_line(p, rules, ledger.lang));
    log.counts(run, rules, overdue);
    if (!log.json()) fmt::print(stderr, "{}\n", strict_line(run.rejected, ledger.lang));
    log.finish(kExitRejected);
    return kExitRejected;
  }

  // 6. Own the output directory (a second run into it waits or stops here),
  //    then write the ledger(s), the rejects and the manifest: all staged
  //    first, then renamed into place together, so a failure leaves the
  //    previous outputs intact.
  OutputSet outputs;
  outputs.set_sync(!options.no_fsync);
  if (options.output.empty()) {
    make_directories(options.out_dir);
    outputs.lock(options.out_dir, audit.lock_wait);
  }
  const auto produce = [&](const GradedRun& part, const std::string& format, const ByteSink& sink) {
    write_ledger_as(format, part, inputs, rules, columns, ledger, options.threads, sink);
  };
  std::string rejects = options.rejects;
  std::vector<FileDigest> manifest_inputs;
  if (!options.output.empty()) {
    const auto& format = options.formats.front();
    if (!rejects.empty()) outputs.add(rejects, format_rejects(run.problems, rules, ledger.lang));
    if (options.output == "-") {
      outputs.commit();
      produce(run, format, [](std::string_view bytes) { write_stdout(bytes); });
    } else {
      outputs.add(options.output, [&](const ByteSink& sink) { produce(run, format, sink); });
      outputs.commit();
    }
    if (rejects.empty()) {
      // No rejects file: the problems go to stderr in the ledger's language
      // (with --log-format json, into the line, in English).
      std::vector<std::string> lines;
      for (const auto& p : run.problems) lines.push_back(format_problem(p));
      if (!log.json())
        for (const auto& p : run.problems) fmt::print(stderr, "{}\n", problem_line(p, rules, ledger.lang));
      log.set_list("problems", lines);
    }
  } else {
    if (rejects.empty()) rejects = (std::filesystem::path(options.out_dir) / "rejects.csv").string();
    manifest_inputs = digests.get();
    write_out_dir(
        outputs, options.out_dir, rejects, options.formats, audit.group_by, run, inputs, rules, ledger,
        start_manifest(rules_source, rules, manifest_inputs, options, ledger.as_of, run, overdue), produce);
    log.set("manifest", (std::filesystem::path(options.out_dir) / "manifest.json").string());
  }
  timer.step("write");
  if (!rejects.empty()) log.set("rejects", rejects);
  if (run.rejected > 0 && log.text() && !rejects.empty())
    fmt::print(stderr, "{}\n", rejects_line(run.rejected, rejects, ledger.lang));

  // 7. Append the run to the history database, in one transaction.
  if (!audit.history.empty()) {
    HistoryRun info{format_date(ledger.as_of),
                    kVersion,
                    rules.name,
                    rules.version,
                    rules_source.sha256,
                    manifest_inputs.empty() ? digests.get() : manifest_inputs,
                    run.read,
                    run.graded.size(),
                    run.rejected,
                    overdue,
                    {}};
    for (size_t g = 0; g < rules.grades.size(); ++g)
      info.per_grade.emplace_back(rules.grades[g].name, run.per_grade[g]);
    log.set("history_run",
            static_cast<uint64_t>(append_history(audit.history, info, run, inputs, rules, ledger.as_of)));
  }

  // 8. Report the counts (read = graded + rejected always holds), then the
  //    gates: exit 4 only now that every output is written. A tripped gate
  //    wins over rejected records (exit 3); the log says both.
  log.counts(run, rules, overdue);
  const auto gates = evaluate_gates(audit, run, inputs, rules, ledger, baseline);
  log.gates(gates);
  const bool tripped = std::any_of(gates.begin(), gates.end(), [](const auto& g) { return g.tripped; });
  const int code = tripped ? kExitGate : run.rejected > 0 ? kExitRejected : kExitOk;
  log.finish(code);
  return code;
}

}  // namespace riskledger::cli
