#pragma once
// The ledger as an Excel workbook (libxlsxwriter): a "Summary" sheet (rules,
// as-of date, counts by grade, category x grade), "All" with every row, and
// one sheet per grade with that grade's rows. Every data sheet has a frozen
// header row and an autofilter; column widths fit Chinese text (two units a
// CJK character); grade cells are filled with the grade's colour; scores are
// numbers shown with `precision` decimals; dates are Excel dates.
#include <functional>
#include <string>
#include <string_view>

#include "dates.hpp"
#include "ledger_table.hpp"
#include "ledger_writer.hpp"
#include "rules.hpp"

namespace riskledger {

// The most data rows one sheet holds (Excel's 1,048,576 rows less the header).
inline constexpr uint64_t kXlsxMaxRows = 1048575;

// Writes the workbook for `table` (its columns in `lang`) and hands its bytes
// to `sink`. Throws InputError when the ledger has more rows than a sheet
// holds, or the workbook cannot be written.
void write_xlsx_ledger(const LedgerTable& table, const Rules& rules, Lang lang, Day as_of,
                       const std::function<void(std::string_view)>& sink);

// Display width of text in Excel column units: CJK and full-width
// characters count 2, others 1.
size_t display_width(std::string_view text);

}  // namespace riskledger
