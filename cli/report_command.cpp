#include "report_command.hpp"

#include <memory>

#include <fmt/format.h>

#include "csv_reader.hpp"
#include "files.hpp"
#include "html_report.hpp"
#include "ledger_table.hpp"
#include "ledger_writer.hpp"

namespace riskledger::cli {

void setup_report(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ReportOptions>();
  auto* sub = app.add_subcommand("report", "Draw the HTML wall map (挂图作战) of a ledger that grade wrote");
  sub->add_option("ledger", options->ledger,
                  "Ledger written by grade: CSV (English or Chinese headers), or .json / .jsonl; '-' reads "
                  "CSV from stdin")
      ->required();
  sub->add_option("-o,--output", options->output, "HTML file to write ('-' for stdout)")
      ->capture_default_str();
  sub->add_option("-r,--rules", options->rules,
                  "Rules the ledger was graded with (grade names, labels and colours)")
      ->capture_default_str();
  sub->add_option("--lang", options->lang, "Page language: en or zh")
      ->check(CLI::IsMember({"en", "zh"}))
      ->capture_default_str();
  sub->add_option("--as-of", options->as_of,
                  "The date the ledger was graded as of, shown in the header (default: today)");
  sub->add_flag("-q,--quiet", options->quiet, "Print nothing on stderr but errors");
  sub->footer(std::string("The page is self-contained (no network, no scripts) and prints on A4 landscape.\n"
                          "Example: riskledger report ledger/ledger.csv -o report.html --lang zh "
                          "--as-of 2026-11-25\n") +
              kExitCodesHelp);
  sub->callback([options, &exit_code] { exit_code = run_report(*options); });
}

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A CSV ledger, or JSON / JSON Lines by the file's extension.
LedgerTable read_report_ledger(const std::string& path, const std::string& name, const Rules& rules) {
  const bool jsonl = ends_with(path, ".jsonl");
  if (!jsonl && !ends_with(path, ".json")) return read_ledger_table(name, open_file_stream(path), rules);
  std::string text;
  auto in = open_file_stream(path);
  char buf[65536];
  for (size_t n; (n = in->read(buf, sizeof buf)) > 0;) text.append(buf, n);
  return read_json_ledger_table(name, text, jsonl, rules);
}

}  // namespace

int run_report(const ReportOptions& options) {
  // 1. The rules give grade names, labels and colours.
  const auto rules = load_rules_reporting(options.rules, options.quiet);
  const Lang lang = parse_lang(options.lang);
  const Day as_of = resolve_as_of(options.as_of);
  // 2. Read the ledger back, its columns matched by English or Chinese header.
  const auto name = options.ledger == "-" ? std::string("<stdin>") : options.ledger;
  const auto table = read_report_ledger(options.ledger, name, rules);
  // 3. Draw the page and write it.
  const auto html = render_html_report(table, rules, lang, as_of);
  if (options.output == "-")
    write_stdout(html);
  else
    write_file_atomic(options.output, html);
  if (!options.quiet)
    fmt::print(stderr, "report: {} points from {} -> {}\n", table.rows, name, options.output);
  return kExitOk;
}

}  // namespace riskledger::cli
