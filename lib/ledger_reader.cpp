#include "ledger_reader.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "csv_reader.hpp"
#include "error.hpp"
#include "files.hpp"
#include "labels.hpp"
#include "ledger_writer.hpp"
#include "pipeline.hpp"

namespace riskledger {

namespace {

// A ledger as header names and rows of text cells: what every format reader
// produces. Cells missing from a row (a JSON object without the key) are "".
struct Cells {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<uint32_t> lines;
};

// The text of a JSON value as a CSV ledger would hold it: strings as they
// are, null as "", booleans and numbers as JSON writes them.
std::string json_cell(const nlohmann::ordered_json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

void add_json_object(Cells& cells, const nlohmann::ordered_json& object, uint32_t line,
                     const std::string& path) {
  if (!object.is_object())
    throw InputError(fmt::format("{}:{}: expected a JSON object per ledger row", path, line));
  std::vector<std::string> row(cells.header.size());
  for (const auto& [key, value] : object.items()) {
    size_t col = 0;
    while (col < cells.header.size() && cells.header[col] != key) ++col;
    if (col == cells.header.size()) {
      cells.header.push_back(key);
      for (auto& r : cells.rows) r.emplace_back();
      row.emplace_back();
    }
    row[col] = json_cell(value);
  }
  cells.rows.push_back(std::move(row));
  cells.lines.push_back(line);
}

Cells read_csv_cells(const std::string& path) {
  CsvReader reader(path, open_file_stream(path));
  Cells cells;
  cells.header = reader.header();
  RawRows raw;
  while (reader.read(raw, kChunkRows)) {
    for (size_t r = 0; r < raw.rows(); ++r) {
      if (raw.field_counts[r] != raw.columns)
        throw InputError(fmt::format("{}:{}: expected {} fields, found {}", path, raw.lines[r], raw.columns,
                                     raw.field_counts[r]));
      std::vector<std::string> row;
      for (size_t c = 0; c < raw.columns; ++c) row.emplace_back(raw.cell(r, c));
      cells.rows.push_back(std::move(row));
      cells.lines.push_back(raw.lines[r]);
    }
  }
  return cells;
}

// A JSON ledger: an array of objects; each row's line is where its object starts.
Cells read_json_cells(const std::string& path) {
  const auto text = read_file(path);
  nlohmann::ordered_json doc;
  try {
    doc = nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(fmt::format("{}: not valid JSON: {}", path, e.what()));
  }
  if (!doc.is_array()) throw InputError(fmt::format("{}: expected a JSON array of ledger rows", path));
  Cells cells;
  // Rows are written one object per line after the opening '[' line.
  uint32_t line = 2;
  for (const auto& object : doc) add_json_object(cells, object, line++, path);
  return cells;
}

Cells read_jsonl_cells(const std::string& path) {
  const auto text = read_file(path);
  Cells cells;
  uint32_t line = 0;
  std::string_view rest = text;
  while (!rest.empty()) {
    ++line;
    const auto end = rest.find('\n');
    const auto one = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (one.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    nlohmann::ordered_json object;
    try {
      object = nlohmann::ordered_json::parse(one);
    } catch (const nlohmann::json::parse_error& e) {
      throw InputError(fmt::format("{}:{}: not valid JSON: {}", path, line, e.what()));
    }
    add_json_object(cells, object, line, path);
  }
  return cells;
}

// Every readable format: to read another, add its reader here.
struct FormatReader {
  std::string_view extension;
  Cells (*read)(const std::string& path);
};
constexpr FormatReader kReaders[] = {
    {"csv", read_csv_cells},
    {"json", read_json_cells},
    {"jsonl", read_jsonl_cells},
};

const FormatReader& reader_for(const std::string& path) {
  auto ext = std::filesystem::path(path).extension().string();
  if (!ext.empty()) ext.erase(0, 1);
  for (const auto& r : kReaders)
    if (r.extension == ext) return r;
  // Another extension: look at the first byte that is not white space.
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  char c = 0;
  while (in.get(c) && (c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
  }
  const std::string_view guess = c == '[' ? "json" : c == '{' ? "jsonl" : "csv";
  for (const auto& r : kReaders)
    if (r.extension == guess) return r;
  return kReaders[0];
}

// "overdue" cells: yes/no (CSV), 是/否 (--lang zh), true/false (JSON).
std::optional<bool> parse_overdue(std::string_view text) {
  if (text == "yes" || text == "是" || text == "true") return true;
  if (text == "no" || text == "否" || text == "false") return false;
  return std::nullopt;
}

}  // namespace

std::string readable_ledger_formats() {
  std::string out;
  for (const auto& r : kReaders) out += fmt::format("{}{}", out.empty() ? "" : ", ", r.extension);
  return out;
}

LedgerFile read_ledger(const std::string& path, const Rules& rules) {
  const auto cells = reader_for(path).read(path);
  // Which column holds what: names as the ledger writer writes them, in
  // English or Chinese (parse_columns knows both).
  enum Role { kOther, kId, kTitle, kDistrict, kGrade, kScore, kStatus, kOverdue, kDeadline };
  std::vector<Role> roles;
  for (const auto& name : cells.header) {
    Role role = kOther;
    if (name.find(',') == std::string::npos) {
      try {
        const auto c = parse_columns(name, rules, ExtraColumns{}).front();
        const auto field =
            c.kind == LedgerColumn::Field ? rules.fields[static_cast<size_t>(c.index)].name : "";
        role = c.kind == LedgerColumn::Grade                                    ? kGrade
               : c.kind == LedgerColumn::Score                                  ? kScore
               : c.kind == LedgerColumn::Overdue                                ? kOverdue
               : c.kind == LedgerColumn::Deadline                               ? kDeadline
               : c.index == rules.id_field && c.kind == LedgerColumn::Field     ? kId
               : c.index == rules.status_field && c.kind == LedgerColumn::Field ? kStatus
               : field == "title"                                               ? kTitle
               : field == "district"                                            ? kDistrict
                                                                                : kOther;
      } catch (const UsageError&) {
      }
    }
    roles.push_back(role);
  }
  LedgerFile table;
  table.file = path;
  const auto has = [&](Role r) { return std::find(roles.begin(), roles.end(), r) != roles.end(); };
  if (!has(kId) || !has(kGrade))
    throw InputError(fmt::format("{}: not a ledger: it needs an id and a grade column (found: {})", path,
                                 fmt::join(cells.header, ", ")));
  table.has_score = has(kScore);
  table.has_status = has(kStatus);
  table.has_overdue = has(kOverdue);
  const FieldSpec* status =
      rules.status_field >= 0 ? &rules.fields[static_cast<size_t>(rules.status_field)] : nullptr;
  std::unordered_set<std::string> seen;
  for (size_t r = 0; r < cells.rows.size(); ++r) {
    LedgerRow row;
    row.line = cells.lines[r];
    for (size_t c = 0; c < roles.size(); ++c) {
      const auto& v = cells.rows[r][c];
      switch (roles[c]) {
        case kId: row.id = v; break;
        case kTitle: row.title = v; break;
        case kDistrict: row.district = v; break;
        case kGrade: row.grade_name = v; break;
        case kStatus: row.status_text = v; break;
        case kDeadline: row.deadline = v; break;
        case kOverdue: row.overdue = parse_overdue(v); break;
        case kScore:
          if (!v.empty()) {
            double d = 0;
            const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
            if (ec != std::errc() || end != v.data() + v.size())
              throw InputError(fmt::format("{}:{}: score='{}': not a number", path, row.line, v));
            row.score = d;
          }
          break;
        case kOther: break;
      }
    }
    row.grade = grade_of_text(rules, row.grade_name);  // A, or A级（重大） from --lang zh
    if (row.grade < 0)
      throw InputError(fmt::format("{}:{}: grade='{}': not a grade of the rules {} ({})", path, row.line,
                                   row.grade_name, rules.name, rules.source));
    if (!seen.insert(row.id).second)
      throw InputError(fmt::format("{}:{}: id='{}': appears twice in the ledger", path, row.line, row.id));
    if (status != nullptr) {
      const int v = status->find_value(row.status_text);
      row.closed = v >= 0 && status->values[static_cast<size_t>(v)].closes();
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace riskledger
