#pragma once
// What `grade` does for auditors and cron jobs, kept apart from the grading
// steps: the manifest, the lock, per-group ledgers, gates, history and the
// machine-readable log line.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "files.hpp"
#include "ledger_writer.hpp"
#include "manifest.hpp"
#include "pipeline.hpp"
#include "rules.hpp"

namespace riskledger::cli {

struct AuditOptions {
  std::string group_by;           // --group-by FIELD: one ledger per value
  std::string fail_on_grade;      // --fail-on-grade G: exit 4 when any point is G or higher
  std::string fail_on_new_grade;  // --fail-on-new-grade G: ... only points not G or higher in --baseline
  std::string baseline;           // --baseline OLD_LEDGER
  int64_t max_overdue = -1;       // --max-overdue N: exit 4 when more than N points are overdue
  std::string log_format = "text";
  std::string history;   // --history FILE.db
  double lock_wait = 0;  // --lock-wait SECONDS
};

void add_audit_options(CLI::App* sub, AuditOptions& options);

// Input paths in the order they are read: byte order, so the order given on
// the command line changes nothing in the outputs.
std::vector<std::string> reading_order(std::vector<std::string> paths);

// Digest of every input ("-", standard input, gets an empty digest).
std::vector<FileDigest> digest_inputs(const std::vector<std::string>& paths);

// Stderr for one run: human lines (unless --quiet), or with --log-format json
// one JSON line at the end.
class RunLog {
 public:
  // `lang`: the language of the human lines (the JSON line is always English).
  RunLog(bool quiet, const std::string& format, Lang lang = Lang::En);
  bool text() const { return text_; }
  bool json() const { return json_; }
  void warning(const std::string& message);
  void set(const std::string& key, const std::string& value);
  void set(const std::string& key, uint64_t value);
  void set_list(const std::string& key, const std::vector<std::string>& values);
  void counts(const GradedRun& run, const Rules& rules, uint64_t overdue);
  struct Gate {
    std::string name, limit;
    uint64_t count = 0;
    bool tripped = false;
    std::string message;
  };
  void gates(const std::vector<Gate>& gates);
  // Prints the JSON line (json mode). Call once, last.
  void finish(int exit_code) const;
  // The JSON line for a run that could not go on.
  static void failure(const std::string& command, int exit_code, const std::vector<std::string>& errors);

 private:
  bool text_, json_;
  Lang lang_;
  std::vector<std::string> warnings_;
  std::vector<std::pair<std::string, std::string>> fields_;  // key, JSON value
};

// The gates, evaluated on the graded run as of `ledger.as_of`, their messages
// in `ledger.lang`. `baseline_grades` maps ids to their grade index in the
// --baseline ledger (read_baseline()).
std::vector<RunLog::Gate> evaluate_gates(const AuditOptions& options, const GradedRun& run,
                                         const LoadedInputs& inputs, const Rules& rules,
                                         const LedgerOptions& ledger,
                                         const std::function<int(std::string_view)>& baseline_grade);

// Checks the gate options against the rules: unknown grade names and
// --fail-on-new-grade without --baseline are usage errors.
void check_gate_options(const AuditOptions& options, const Rules& rules);

// Points overdue as of `as_of`.
uint64_t count_overdue(const GradedRun& run, Day as_of);

// Renders one ledger (the whole run, or a group's part of it) to a sink.
using LedgerProducer =
    std::function<void(const GradedRun& part, const std::string& format, const ByteSink& sink)>;

// Writes the out-dir outputs through `outputs`: one ledger per format (and,
// with --group-by, one per group and format plus index.csv), the rejects and
// manifest.json, each hashed as written, and commits them. The rejects are
// in `ledger.lang`. Returns the manifest.
Manifest write_out_dir(OutputSet& outputs, const std::string& out_dir, const std::string& rejects_path,
                       const std::vector<std::string>& formats, const std::string& group_by,
                       const GradedRun& run, const LoadedInputs& inputs, const Rules& rules,
                       const LedgerOptions& ledger, Manifest manifest, const LedgerProducer& produce);

}  // namespace riskledger::cli
