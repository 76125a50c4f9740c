// riskledger: grade risk points (风险点) into ranked ledgers (风险台账).
// All logic lives in the library; this file registers the subcommands and
// maps errors to the documented exit codes.
#include <CLI/CLI.hpp>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <fmt/format.h>

#include "common.hpp"
#include "diff_command.hpp"
#include "error.hpp"
#include "explain_command.hpp"
#include "grade_command.hpp"
#include "history_command.hpp"
#include "interrupts.hpp"
#include "report_command.hpp"
#include "rules_command.hpp"
#include "score_command.hpp"
#include "sensitivity_command.hpp"
#include "synth_command.hpp"
#include "validate_command.hpp"
#include "verify_command.hpp"
#include "version.hpp"
#include "weights_command.hpp"

namespace {

using Setup = void (*)(CLI::App&, int&);

// Every subcommand, in the order `--help` lists them.
constexpr Setup kCommands[] = {
    riskledger::cli::setup_validate, riskledger::cli::setup_score,   riskledger::cli::setup_grade,
    riskledger::cli::setup_explain,  riskledger::cli::setup_rules,   riskledger::cli::setup_synth,
    riskledger::cli::setup_report,   riskledger::cli::setup_verify,  riskledger::cli::setup_diff,
    riskledger::cli::setup_history,  riskledger::cli::setup_weights, riskledger::cli::setup_sensitivity,
};

}  // namespace

int main(int argc, char** argv) {
  using namespace riskledger;
#if defined(__GLIBC__)
  // Blocks of 32 MiB and more mapped on their own, smaller ones from the
  // heaps, from the start. Left to itself glibc begins at 128 KiB and raises
  // the limit each time a mapped block is freed, so blocks of one size are
  // mapped early in a run and taken from the heaps later, and the heaps keep
  // what they get: `grade` and `validate` on 1M records peaked 10-24 MB
  // higher that way (docs/performance.md); at 10M the peak is unchanged.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
  CLI::App app{"riskledger: grade risk points into ranked ledgers (风险台账)", "riskledger"};
  app.set_version_flag("--version", std::string("riskledger ") + kVersion);
  app.require_subcommand(1);
  app.footer(
      std::string("Examples:\n"
                  "  riskledger grade examples/sweep.csv --out-dir ledger --as-of 2026-11-25\n"
                  "  riskledger explain NM-2026-0032 examples/sweep.csv --as-of 2026-11-25\n"
                  "  riskledger report ledger/ledger.csv -o report.html --lang zh\n"
                  "Run 'riskledger COMMAND --help' for a command's options; 'man riskledger' for more.\n") +
      cli::kExitCodesHelp);
  int exit_code = cli::kExitOk;
  for (auto setup : kCommands) setup(app, exit_code);
  install_interrupt_cleanup();  // an interrupted run removes its temporary files

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? cli::kExitOk : cli::kExitUsage;
  } catch (const UsageError& e) {
    fmt::print(stderr, "riskledger: {}\n", e.what());
    return cli::kExitUsage;
  } catch (const RulesError& e) {
    for (const auto& p : e.problems()) fmt::print(stderr, "{}\n", p);
    fmt::print(stderr, "riskledger: the rules file has {} problem{}\n", e.problems().size(),
               e.problems().size() == 1 ? "" : "s");
    return cli::kExitFailed;
  } catch (const InputError& e) {
    fmt::print(stderr, "riskledger: {}\n", e.what());
    return cli::kExitFailed;
  } catch (const std::exception& e) {
    fmt::print(stderr, "riskledger: {}\n", e.what());
    return cli::kExitFailed;
  }
  return exit_code;
}
