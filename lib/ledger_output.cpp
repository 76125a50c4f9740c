#include "ledger_output.hpp"

#include <algorithm>

#include "expression.hpp"
#include "html_report.hpp"
#include "ledger_table.hpp"
#include "text.hpp"
#include "xlsx_ledger.hpp"

namespace riskledger {

void write_ledger_as(std::string_view format, const GradedRun& run, const LoadedInputs& inputs,
                     const Rules& rules, const std::vector<LedgerColumn>& columns, LedgerOptions options,
                     unsigned threads, const std::function<void(std::string_view)>& sink) {
  const auto& chosen = columns.empty() ? default_columns(rules, inputs.extra) : columns;
  if (format == "xlsx") {
    const auto table = ledger_table_from_run(run, inputs, rules, chosen, options, threads);
    write_xlsx_ledger(table, rules, options.lang, options.as_of, sink);
    return;
  }
  if (format == "html") {
    // The default columns, then the chosen ones the default lacks.
    auto all = default_columns(rules, inputs.extra);
    for (const auto& c : columns)
      if (std::none_of(all.begin(), all.end(), [&](const LedgerColumn& a) { return same_column(a, c); }))
        all.push_back(c);
    auto table = ledger_table_from_run(run, inputs, rules, all, options, threads);
    table.source.clear();
    for (const auto& f : inputs.files) table.source += (table.source.empty() ? "" : ", ") + f;
    sink(render_html_report(table, rules, options.lang, options.as_of, columns));
    return;
  }
  options.format = parse_ledger_format(format);
  write_ledger(run, inputs, rules, chosen, options, threads, sink);
}

TextProjection text_needed(std::string_view columns, const std::vector<std::string>& formats,
                           std::string_view group_by, const Rules& rules) {
  if (columns.empty() || !group_by.empty() ||
      std::find(formats.begin(), formats.end(), "html") != formats.end())
    return {};
  auto text = TextProjection::for_decisions(rules);
  const ExtraColumns none;
  for (const auto name : split_list(columns)) {
    LedgerColumn c;
    if (!find_column(name, rules, none, c))
      text.extra.emplace_back(name);
    else if (c.kind == LedgerColumn::Field)
      text.fields[static_cast<size_t>(c.index)] = 1;
  }
  return text;
}

}  // namespace riskledger
