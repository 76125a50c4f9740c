#include "history_command.hpp"

#include <memory>

#include <fmt/format.h>

#include "error.hpp"
#include "history.hpp"

namespace riskledger::cli {

void setup_history(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<HistoryOptions>();
  auto* sub = app.add_subcommand("history", "A risk point's grades across the runs kept by grade --history");
  sub->add_option("id", options->id, "Risk-point id")->required();
  sub->add_option("--db", options->db, "History database written by grade --history FILE.db")->required();
  sub->footer(
      std::string("Runs oldest first (by --as-of, then run id), then what changed between consecutive runs.\n"
                  "Example: riskledger history NM-2026-0032 --db /srv/ledger/history.db\n") +
      kExitCodesHelp);
  sub->callback([options, &exit_code] { exit_code = run_history(*options); });
}

namespace {

// "grade B -> A (escalated); score 48.75 -> 72.40; status open -> handling"
std::string changes(const PointHistory& a, const PointHistory& b, bool seen_before) {
  if (!a.present && !b.present) return "";
  if (!a.present)
    return fmt::format("{}: grade {}, score {}", seen_before ? "in the ledger again" : "first in the ledger",
                       b.grade, b.score);
  if (!b.present) return "not in this run's ledger (closed out of the export, or rejected)";
  std::string out;
  const auto add = [&](std::string part) { out += (out.empty() ? "" : "; ") + part; };
  if (a.grade != b.grade)
    add(fmt::format("grade {} -> {} ({})", a.grade, b.grade,
                    b.grade_rank < a.grade_rank ? "escalated" : "downgraded"));
  if (a.score != b.score) add(fmt::format("score {} -> {}", a.score, b.score));
  if (a.status != b.status) add(fmt::format("status {} -> {}", a.status, b.status));
  if (a.deadline != b.deadline) add(fmt::format("deadline {} -> {}", a.deadline, b.deadline));
  if (a.overdue != b.overdue) add(b.overdue ? "now overdue" : "no longer overdue");
  if (a.decided_by != b.decided_by) add(fmt::format("decided by: {}", b.decided_by));
  if (a.rules_sha256 != b.rules_sha256)
    add(fmt::format("rules changed (version {} -> {})", a.rules_version, b.rules_version));
  return out.empty() ? "no change" : out;
}

}  // namespace

int run_history(const HistoryOptions& options) {
  // 1. Every run, with the point's decision where it has one.
  const auto runs = point_history(options.db, options.id);
  const bool seen = std::any_of(runs.begin(), runs.end(), [](const auto& r) { return r.present; });
  if (!seen)
    throw InputError(fmt::format("{}: no run has a decision for '{}' ({} run{} recorded)", options.db,
                                 options.id, runs.size(), runs.size() == 1 ? "" : "s"));
  // 2. The table, oldest first.
  fmt::print("{}: {} run{} in {}\n", options.id, runs.size(), runs.size() == 1 ? "" : "s", options.db);
  fmt::print("{:>4}  {:<10}  {:>7}  {:<5}  {:<10}  {:<10}  {:<7}  {}\n", "run", "as_of", "score", "grade",
             "status", "deadline", "overdue", "decided_by");
  for (const auto& r : runs) {
    if (r.present)
      fmt::print("{:>4}  {:<10}  {:>7}  {:<5}  {:<10}  {:<10}  {:<7}  {}\n", r.run_id, r.as_of, r.score,
                 r.grade, r.status, r.deadline, r.overdue ? "yes" : "no", r.decided_by);
    else
      fmt::print("{:>4}  {:<10}  {:>7}  (not in this run's ledger)\n", r.run_id, r.as_of, "-");
  }
  // 3. What changed between consecutive runs.
  fmt::print("changes:\n");
  bool seen_before = runs.front().present;
  for (size_t i = 1; i < runs.size(); ++i) {
    const auto text = changes(runs[i - 1], runs[i], seen_before);
    seen_before = seen_before || runs[i].present;
    if (!text.empty())
      fmt::print("  run {} -> {} ({} -> {}): {}\n", runs[i - 1].run_id, runs[i].run_id, runs[i - 1].as_of,
                 runs[i].as_of, text);
  }
  return kExitOk;
}

}  // namespace riskledger::cli
