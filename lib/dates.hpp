#pragma once
// Calendar dates as day numbers (days since 1970-01-01), proleptic Gregorian.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace riskledger {

using Day = int32_t;

Day days_from_civil(int year, unsigned month, unsigned day);
struct CivilDate {
  int year;
  unsigned month;
  unsigned day;
};
CivilDate civil_from_days(Day d);

// Accepts YYYY-MM-DD and YYYY/M/D (month and day with one or two digits, as
// Excel writes them). Rejects impossible dates such as 2026-02-30 and years
// outside 1900..2999.
std::optional<Day> parse_date(std::string_view s);

// Always YYYY-MM-DD.
std::string format_date(Day d);
template <class Out>
void append_date(Out& out, Day d);  // Out: std::string or RowBuffer

}  // namespace riskledger
