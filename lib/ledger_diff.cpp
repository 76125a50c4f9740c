#include "ledger_diff.hpp"

#include <array>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "text.hpp"

namespace riskledger {

std::string_view to_string(LedgerChange::Kind kind) {
  switch (kind) {
    case LedgerChange::New: return "new";
    case LedgerChange::Escalated: return "escalated";
    case LedgerChange::Downgraded: return "downgraded";
    case LedgerChange::NewlyOverdue: return "newly_overdue";
    case LedgerChange::Closed: return "closed";
    case LedgerChange::Missing: return "missing";
  }
  return "new";
}

LedgerDiff diff_ledgers(const LedgerFile& old_ledger, const LedgerFile& new_ledger, const Rules& rules) {
  LedgerDiff diff;
  diff.old_rows = old_ledger.rows.size();
  diff.new_rows = new_ledger.rows.size();
  diff.migration.assign(rules.grades.size(), std::vector<uint64_t>(rules.grades.size(), 0));
  std::unordered_map<std::string_view, const LedgerRow*> old_by_id, new_by_id;
  for (const auto& r : old_ledger.rows) old_by_id.emplace(r.id, &r);
  for (const auto& r : new_ledger.rows) new_by_id.emplace(r.id, &r);

  std::array<std::vector<LedgerChange>, 6> by_kind;
  for (const auto& now : new_ledger.rows) {
    const auto it = old_by_id.find(now.id);
    if (it == old_by_id.end()) {
      by_kind[LedgerChange::New].push_back({LedgerChange::New, nullptr, &now});
      continue;
    }
    const auto& before = *it->second;
    ++diff.migration[static_cast<size_t>(before.grade)][static_cast<size_t>(now.grade)];
    // Grades are listed highest first: a smaller index is a higher grade.
    if (now.grade < before.grade)
      by_kind[LedgerChange::Escalated].push_back({LedgerChange::Escalated, &before, &now});
    if (now.grade > before.grade)
      by_kind[LedgerChange::Downgraded].push_back({LedgerChange::Downgraded, &before, &now});
    if (now.overdue.value_or(false) && !before.overdue.value_or(false))
      by_kind[LedgerChange::NewlyOverdue].push_back({LedgerChange::NewlyOverdue, &before, &now});
    if (now.closed && !before.closed)
      by_kind[LedgerChange::Closed].push_back({LedgerChange::Closed, &before, &now});
  }
  for (const auto& before : old_ledger.rows)
    if (new_by_id.count(before.id) == 0)
      by_kind[LedgerChange::Missing].push_back({LedgerChange::Missing, &before, nullptr});
  for (auto& kind : by_kind) diff.changes.insert(diff.changes.end(), kind.begin(), kind.end());
  return diff;
}

namespace {

std::string score_text(const LedgerRow* row, const Rules& rules) {
  if (row == nullptr || !row->score) return "";
  return fmt::format("{:.{}f}", *row->score, rules.precision);
}

std::string overdue_text(const LedgerRow* row) {
  if (row == nullptr || !row->overdue) return "";
  return *row->overdue ? "yes" : "no";
}

// Text cells of one change, in format_diff_csv's column order.
std::array<std::string, 11> change_cells(const LedgerChange& c, const Rules& rules) {
  const auto* any = c.new_row != nullptr ? c.new_row : c.old_row;
  return {std::string(to_string(c.kind)),
          any->id,
          any->title,
          c.old_row ? c.old_row->grade_name : "",
          c.new_row ? c.new_row->grade_name : "",
          score_text(c.old_row, rules),
          score_text(c.new_row, rules),
          c.old_row ? c.old_row->status_text : "",
          c.new_row ? c.new_row->status_text : "",
          overdue_text(c.old_row),
          overdue_text(c.new_row)};
}

constexpr std::array<const char*, 11> kColumns{"change",     "id",          "title",      "old_grade",
                                               "new_grade",  "old_score",   "new_score",  "old_status",
                                               "new_status", "old_overdue", "new_overdue"};

// Display width: CJK and other wide characters take two columns.
size_t width(std::string_view s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;
    w += c >= 0xE3 ? 2 : 1;  // U+3000 and above (CJK, full-width forms): two columns
  }
  return w;
}

std::string pad(std::string_view s, size_t w) {
  const auto n = width(s);
  return std::string(s) + std::string(n < w ? w - n : 0, ' ');
}

}  // namespace

std::string format_diff_csv(const LedgerDiff& diff, const Rules& rules) {
  std::string out;
  for (size_t i = 0; i < kColumns.size(); ++i)
    fmt::format_to(std::back_inserter(out), "{}{}", i ? "," : "", kColumns[i]);
  out += '\n';
  for (const auto& c : diff.changes) {
    const auto cells = change_cells(c, rules);
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i) out += ',';
      append_csv_field(out, cells[i]);
    }
    out += '\n';
  }
  return out;
}

std::string format_diff_jsonl(const LedgerDiff& diff, const Rules&) {
  std::string out;
  for (const auto& c : diff.changes) {
    nlohmann::ordered_json j;
    const auto* any = c.new_row != nullptr ? c.new_row : c.old_row;
    j["change"] = to_string(c.kind);
    j["id"] = any->id;
    j["title"] = any->title;
    const auto side = [&](const char* prefix, const LedgerRow* r) {
      const auto key = [&](const char* name) { return fmt::format("{}_{}", prefix, name); };
      j[key("grade")] = r ? nlohmann::ordered_json(r->grade_name) : nullptr;
      j[key("score")] = r && r->score ? nlohmann::ordered_json(*r->score) : nullptr;
      j[key("status")] = r ? nlohmann::ordered_json(r->status_text) : nullptr;
      j[key("overdue")] = r && r->overdue ? nlohmann::ordered_json(*r->overdue) : nullptr;
    };
    side("old", c.old_row);
    side("new", c.new_row);
    // Keys in the order of the CSV columns.
    nlohmann::ordered_json ordered;
    for (const auto* k : kColumns) ordered[k] = j[k];
    out += ordered.dump() + '\n';
  }
  return out;
}

std::string format_diff_text(const LedgerDiff& diff, const LedgerFile& old_ledger,
                             const LedgerFile& new_ledger, const Rules& rules) {
  std::string out;
  const auto put = [&](const std::string& text) { out += text; };
  put(fmt::format("old: {} ({} points)\nnew: {} ({} points)\n", old_ledger.file, diff.old_rows,
                  new_ledger.file, diff.new_rows));
  static constexpr std::array<const char*, 6> kTitles{"New points",   "Escalated",
                                                      "Downgraded",   "Newly overdue",
                                                      "Closed since", "Missing from the new ledger"};
  for (int k = 0; k < 6; ++k) {
    std::vector<const LedgerChange*> rows;
    for (const auto& c : diff.changes)
      if (c.kind == k) rows.push_back(&c);
    put(fmt::format("\n{}: {}\n", kTitles[static_cast<size_t>(k)], rows.size()));
    if (rows.empty()) continue;
    // id, grade (old -> new), score (old -> new), status, overdue, title
    std::vector<std::array<std::string, 6>> table{{"id", "grade", "score", "status", "overdue", "title"}};
    for (const auto* c : rows) {
      const auto cells = change_cells(*c, rules);
      const auto both = [](const std::string& a, const std::string& b) {
        return a.empty() ? b : b.empty() || a == b ? a : fmt::format("{} -> {}", a, b);
      };
      table.push_back({cells[1], both(cells[3], cells[4]), both(cells[5], cells[6]), both(cells[7], cells[8]),
                       both(cells[9], cells[10]), cells[2]});
    }
    std::array<size_t, 6> w{};
    for (const auto& r : table)
      for (size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], width(r[i]));
    for (const auto& r : table) {
      std::string line = "  ";
      for (size_t i = 0; i + 1 < r.size(); ++i) line += pad(r[i], w[i]) + "  ";
      line += r.back();
      put(line + "\n");
    }
  }
  put("\nGrade migration (points in both ledgers; rows: old grade, columns: new grade):\n");
  std::string header = "       ";
  for (const auto& g : rules.grades) header += fmt::format(" {:>6}", g.name);
  put(header + "\n");
  for (size_t o = 0; o < rules.grades.size(); ++o) {
    std::string line = fmt::format("  {:<5}", rules.grades[o].name);
    for (size_t n = 0; n < rules.grades.size(); ++n) line += fmt::format(" {:>6}", diff.migration[o][n]);
    put(line + "\n");
  }
  return out;
}

}  // namespace riskledger
