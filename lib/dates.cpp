#include "dates.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "text.hpp"

namespace riskledger {

// Howard Hinnant's days_from_civil / civil_from_days (public domain):
// exact for the proleptic Gregorian calendar.
Day days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

CivilDate civil_from_days(Day z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

namespace {
unsigned days_in_month(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Reads 1..max_digits decimal digits at s[pos]; advances pos.
bool read_digits(std::string_view s, size_t& pos, size_t min_digits, size_t max_digits, unsigned& out) {
  size_t n = 0;
  out = 0;
  while (pos < s.size() && n < max_digits && s[pos] >= '0' && s[pos] <= '9') {
    out = out * 10 + static_cast<unsigned>(s[pos] - '0');
    ++pos;
    ++n;
  }
  return n >= min_digits;
}
}  // namespace

namespace {
std::optional<Day> read_date(std::string_view s) {
  size_t pos = 0;
  unsigned y = 0, m = 0, d = 0;
  if (!read_digits(s, pos, 4, 4, y)) return std::nullopt;
  if (pos >= s.size() || (s[pos] != '-' && s[pos] != '/')) return std::nullopt;
  const char sep = s[pos++];
  const size_t min_digits = sep == '-' ? 2 : 1;
  if (!read_digits(s, pos, min_digits, 2, m)) return std::nullopt;
  if (pos >= s.size() || s[pos++] != sep) return std::nullopt;
  if (!read_digits(s, pos, min_digits, 2, d)) return std::nullopt;
  if (pos != s.size()) return std::nullopt;
  const int year = static_cast<int>(y);
  if (year < 1900 || year > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(year, m))
    return std::nullopt;
  return days_from_civil(year, m, d);
}
}  // namespace

std::optional<Day> parse_date(std::string_view s) {
  if (s.size() != 10) return read_date(s);
  // Records carry the same few hundred dates over and over: each thread
  // keeps the days of the ten-byte texts it read last, one per slot of a
  // small table (only valid dates).
  struct Known {
    char text[10] = {};
    bool set = false;
    Day day = 0;
  };
  thread_local std::array<Known, 2048> known;
  uint16_t tail;
  std::memcpy(&tail, s.data() + 8, 2);
  auto& slot = known[((load8(s.data()) ^ tail) * 0x9E3779B97F4A7C15u) >> 53];
  if (slot.set && std::memcmp(slot.text, s.data(), sizeof slot.text) == 0) return slot.day;
  const auto day = read_date(s);
  if (day) {
    std::memcpy(slot.text, s.data(), sizeof slot.text);
    slot.set = true;
    slot.day = *day;
  }
  return day;
}

std::string format_date(Day d) {
  std::string out;
  append_date(out, d);
  return out;
}

template <class Out>
void append_date(Out& out, Day d) {
  // A ledger writes the same few hundred days over and over (found_on and
  // deadlines): each thread keeps the text of the days it wrote last, one
  // per slot of a small table.
  struct Cached {
    int64_t day = INT64_MIN;  // no Day: an empty slot
    char text[10];
  };
  thread_local std::array<Cached, 1024> cache;
  auto& slot = cache[static_cast<uint32_t>(d) % cache.size()];
  if (slot.day != d) {
    const auto c = civil_from_days(d);
    const auto y = static_cast<unsigned>(c.year);  // 1900..2999 plus deadline days
    const char text[10] = {static_cast<char>('0' + y / 1000 % 10),
                           static_cast<char>('0' + y / 100 % 10),
                           static_cast<char>('0' + y / 10 % 10),
                           static_cast<char>('0' + y % 10),
                           '-',
                           static_cast<char>('0' + c.month / 10),
                           static_cast<char>('0' + c.month % 10),
                           '-',
                           static_cast<char>('0' + c.day / 10),
                           static_cast<char>('0' + c.day % 10)};
    std::memcpy(slot.text, text, sizeof text);
    slot.day = d;
  }
  out.append(slot.text, sizeof slot.text);
}
template void append_date(std::string&, Day);
template void append_date(RowBuffer&, Day);

}  // namespace riskledger
