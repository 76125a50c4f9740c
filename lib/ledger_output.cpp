#include "ledger_output.hpp"

#include "html_report.hpp"
#include "ledger_table.hpp"
#include "xlsx_ledger.hpp"

namespace riskledger {

void write_ledger_as(std::string_view format, const GradedRun& run, const LoadedInputs& inputs,
                     const Rules& rules, const std::vector<LedgerColumn>& columns, LedgerOptions options,
                     unsigned threads, const std::function<void(std::string_view)>& sink) {
  if (format == "xlsx") {
    const auto table = ledger_table_from_run(run, inputs, rules, columns, options, threads);
    write_xlsx_ledger(table, rules, options.lang, options.as_of, sink);
    return;
  }
  if (format == "html") {
    auto table =
        ledger_table_from_run(run, inputs, rules, default_columns(rules, inputs.extra), options, threads);
    table.source.clear();
    for (const auto& f : inputs.files) table.source += (table.source.empty() ? "" : ", ") + f;
    sink(render_html_report(table, rules, options.lang, options.as_of));
    return;
  }
  options.format = parse_ledger_format(format);
  write_ledger(run, inputs, rules, columns, options, threads, sink);
}

}  // namespace riskledger
