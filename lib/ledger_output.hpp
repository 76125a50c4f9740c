#pragma once
// Every ledger format `grade` writes, by name: the text formats through
// write_ledger(), the Excel workbook and the HTML wall map through the
// ledger table (ledger_table.hpp), so each holds the same rows in the same
// order.
#include <array>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger_writer.hpp"
#include "pipeline.hpp"
#include "rules.hpp"

namespace riskledger {

inline constexpr std::array<const char*, 7> kLedgerFormatNames{"csv",  "json", "jsonl", "md",
                                                               "yaml", "xlsx", "html"};

// Writes the ranked run as `format` to `sink`, in `options.lang`. `columns`
// are the columns --columns chose, or empty for the default columns. The
// html wall map draws its charts from the default columns whatever
// `columns` says (it needs grade, district, category, responsible_unit and
// overdue); chosen columns are the columns of its highest-grade list.
// Throws UsageError for an unknown format.
void write_ledger_as(std::string_view format, const GradedRun& run, const LoadedInputs& inputs,
                     const Rules& rules, const std::vector<LedgerColumn>& columns, LedgerOptions options,
                     unsigned threads, const std::function<void(std::string_view)>& sink);

// The text a run needs to write `formats` with the --columns `columns` (a
// comma-separated list; empty for the default columns) and with
// --group-by `group_by`: the id, the String fields the overrides read, and
// the text columns named. Everything when the default columns or the html
// wall map (which draws from the default columns) are written, or with
// --group-by. A name that is no ledger column or rules field is taken for a
// passed-through column (an unknown one is reported when the columns are
// parsed, after the inputs' header is known).
TextProjection text_needed(std::string_view columns, const std::vector<std::string>& formats,
                           std::string_view group_by, const Rules& rules);

}  // namespace riskledger
