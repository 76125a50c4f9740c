#pragma once
// The wall map (挂图作战): one self-contained HTML page, no network, no
// scripts, no external fonts; charts as inline SVG.
//   header:   rules name and version, as-of date, points, per-grade counts, overdue
//   chart 1:  points by district, stacked by grade (grade colours from the rules)
//   table:    category x grade with counts
//   chart 2:  overdue points by responsible unit, stacked by grade
//   list:     the highest grade's points with reason codes (top_factors),
//             what decided them, and their deadlines
// Laid out for A4 landscape when printed. Every count is also in a
// data-count attribute, so a test can read the rendered DOM.
#include <string>

#include "dates.hpp"
#include "ledger_table.hpp"
#include "ledger_writer.hpp"
#include "rules.hpp"

namespace riskledger {

// At most this many districts and units are drawn; the rest are summed in
// one "others" bar. The highest-grade list shows at most kReportMaxListed rows.
inline constexpr size_t kReportMaxBars = 30;
inline constexpr size_t kReportMaxListed = 500;

// `list` chooses the columns of the highest-grade list, in order (those the
// table has); empty: rank, id, title, category, district, responsible_unit,
// score, top_factors, decided_by, deadline, overdue. The charts always come
// from the table's grade, district, category, responsible_unit and overdue
// columns. Throws InputError when the table has no grade column or an
// unknown grade.
std::string render_html_report(const LedgerTable& table, const Rules& rules, Lang lang, Day as_of,
                               const std::vector<LedgerColumn>& list = {});

}  // namespace riskledger
