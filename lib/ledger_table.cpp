#include "ledger_table.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "error.hpp"
#include "labels.hpp"
#include "text.hpp"

namespace riskledger {

int LedgerTable::find(LedgerColumn::Kind kind, int field) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].kind == kind && (kind != LedgerColumn::Field || columns[i].index == field))
      return static_cast<int>(i);
  return -1;
}

int LedgerTable::find(const LedgerColumn& column) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (same_column(columns[i], column)) return static_cast<int>(i);
  return -1;
}

bool same_column(const LedgerColumn& a, const LedgerColumn& b) {
  if (a.kind != b.kind) return false;
  return (a.kind != LedgerColumn::Field && a.kind != LedgerColumn::Extra) || a.index == b.index;
}

void LedgerTable::each(const std::function<void(const RawRows&, size_t)>& f) const {
  for (const auto& chunk : chunks)
    for (size_t r = 0; r < chunk.rows(); ++r) f(chunk, r);
}

LedgerTable read_ledger_table(const std::string& name, std::unique_ptr<ByteStream> in, const Rules& rules) {
  LedgerTable table;
  table.source = name;
  CsvReader reader(name, std::move(in));
  table.header = reader.header();
  const ExtraColumns none;
  for (const auto& h : table.header) {
    LedgerColumn c;
    if (!find_column(trim(h), rules, none, c)) c = {LedgerColumn::Extra, -1, h};
    table.columns.push_back(c);
  }
  RawRows raw;
  while (reader.read(raw, kChunkRows)) {
    table.rows += raw.rows();
    table.chunks.push_back(std::move(raw));
    raw = RawRows{};
  }
  return table;
}

namespace {

// One JSON object as a row: its values in `table.header` order.
void add_json_row(LedgerTable& table, RawRows& rows, const YAML::Node& object, uint32_t line,
                  const Rules& rules) {
  if (!object.IsMap())
    throw InputError(fmt::format("{}:{}: expected an object (one ledger row)", table.source, line));
  if (table.header.empty()) {
    const ExtraColumns none;
    for (const auto& kv : object) {
      const auto key = kv.first.as<std::string>();
      LedgerColumn c;
      if (!find_column(key, rules, none, c)) c = {LedgerColumn::Extra, -1, key};
      table.header.push_back(key);
      table.columns.push_back(c);
    }
    rows.columns = table.header.size();
  }
  for (const auto& key : table.header) {
    const auto value = object[key];
    const auto off = static_cast<uint32_t>(rows.text.size());
    if (value && value.IsScalar() && value.Tag() != "tag:yaml.org,2002:null" && value.Scalar() != "null")
      rows.text += value.Scalar();
    else if (value && !value.IsNull() && !value.IsScalar())
      throw InputError(fmt::format("{}:{}: {}: expected a plain value", table.source, line, key));
    rows.cells.push_back({off, static_cast<uint32_t>(rows.text.size() - off)});
  }
  rows.lines.push_back(line);
  rows.field_counts.push_back(static_cast<uint32_t>(table.header.size()));
  ++table.rows;
}

}  // namespace

LedgerTable read_json_ledger_table(const std::string& name, std::string_view text, bool lines,
                                   const Rules& rules) {
  LedgerTable table;
  table.source = name;
  RawRows rows;
  try {
    if (lines) {
      uint32_t line = 0;
      for (size_t at = 0; at < text.size();) {
        const auto end = std::min(text.find('\n', at), text.size());
        ++line;
        const auto one = trim(text.substr(at, end - at));
        at = end + 1;
        if (one.empty()) continue;
        add_json_row(table, rows, YAML::Load(std::string(one)), line, rules);
      }
    } else {
      const auto doc = YAML::Load(std::string(text));
      if (!doc.IsSequence()) throw InputError(fmt::format("{}: expected a JSON array of ledger rows", name));
      for (const auto& object : doc)
        add_json_row(table, rows, object, static_cast<uint32_t>(object.Mark().line + 1), rules);
    }
  } catch (const YAML::Exception& e) {
    throw InputError(fmt::format("{}:{}: not valid JSON: {}", name, e.mark.line + 1, e.msg));
  }
  table.chunks.push_back(std::move(rows));
  return table;
}

LedgerTable ledger_table_from_run(const GradedRun& run, const LoadedInputs& inputs, const Rules& rules,
                                  const std::vector<LedgerColumn>& columns, const LedgerOptions& options,
                                  unsigned threads) {
  LedgerOptions csv = options;
  csv.format = LedgerFormat::Csv;
  csv.bom = false;
  std::string bytes;
  write_ledger(run, inputs, rules, columns, csv, threads, [&](std::string_view b) { bytes += b; });
  auto table = read_ledger_table("<ledger>", memory_stream(std::move(bytes)), rules);
  // Passed-through columns keep what the run knows of them.
  table.columns = columns;
  return table;
}

int grade_of_cell(const Rules& rules, std::string_view cell) {
  return grade_of_text(rules, cell);
}

bool overdue_of_cell(std::string_view cell) {
  const auto t = trim(cell);
  return iequals_ascii(t, "yes") || iequals_ascii(t, "true") || t == "是";
}

int enum_of_cell(const Rules& rules, int field, std::string_view cell) {
  if (field < 0) return -1;
  return rules.fields[static_cast<size_t>(field)].find_value(trim(cell));
}

namespace {

using Group = LedgerCounts::Group;

// Groups in order of most points first, ties by name in byte order.
std::vector<Group> by_total(std::map<std::string, Group>&& groups) {
  std::vector<Group> out;
  for (auto& [name, g] : groups) out.push_back(std::move(g));
  std::stable_sort(out.begin(), out.end(), [](const Group& a, const Group& b) { return a.total > b.total; });
  return out;
}

}  // namespace

LedgerCounts count_ledger(const LedgerTable& table, const Rules& rules, Lang lang) {
  const size_t grades = rules.grades.size();
  const int grade_col = table.find(LedgerColumn::Grade);
  if (grade_col < 0) throw InputError(fmt::format("{}: the ledger has no grade column", table.source));
  const auto field_col = [&](const char* name) {
    const int f = rules.find_field(name);
    return f < 0 ? -1 : table.find(LedgerColumn::Field, f);
  };
  const int district_col = field_col("district");
  const int category_col =
      rules.category_field < 0 ? -1 : table.find(LedgerColumn::Field, rules.category_field);
  const int unit_col = field_col("responsible_unit");
  const int overdue_col = table.find(LedgerColumn::Overdue);
  const std::string blank = lang == Lang::Zh ? "（未填）" : "(blank)";

  LedgerCounts counts;
  counts.per_grade.assign(grades, 0);
  counts.has_district = district_col >= 0;
  counts.has_category = category_col >= 0;
  counts.has_overdue = overdue_col >= 0;
  counts.has_unit = unit_col >= 0;
  std::map<std::string, Group> districts, units;
  // Categories: the rules' values first, in rules order.
  std::vector<Group> categories;
  if (category_col >= 0)
    for (const auto& v : rules.fields[static_cast<size_t>(rules.category_field)].values)
      categories.push_back(
          {lang == Lang::Zh && !v.label.empty() ? v.label : v.code, std::vector<uint64_t>(grades, 0), 0});
  const size_t known_categories = categories.size();

  const auto add = [&](std::map<std::string, Group>& groups, std::string_view name, size_t g) {
    auto key = name.empty() ? blank : std::string(name);
    auto& group = groups[key];
    if (group.per_grade.empty()) {
      group.name = key;
      group.per_grade.assign(grades, 0);
    }
    ++group.per_grade[g];
    ++group.total;
  };
  table.each([&](const RawRows& chunk, size_t r) {
    const auto cell = [&](int col) { return trim(chunk.cell(r, static_cast<size_t>(col))); };
    const int g = grade_of_cell(rules, cell(grade_col));
    if (g < 0)
      throw InputError(fmt::format("{}:{}: grade='{}': not a grade of the rules {} (expected {})",
                                   table.source, chunk.lines[r], cell(grade_col), rules.name, [&] {
                                     std::string names;
                                     for (const auto& gr : rules.grades)
                                       names += (names.empty() ? "" : ", ") + gr.name;
                                     return names;
                                   }()));
    const auto gi = static_cast<size_t>(g);
    ++counts.rows;
    ++counts.per_grade[gi];
    if (district_col >= 0) add(districts, cell(district_col), gi);
    if (category_col >= 0) {
      const int v = enum_of_cell(rules, rules.category_field, cell(category_col));
      size_t at = static_cast<size_t>(v);
      if (v < 0) {
        const auto name = cell(category_col).empty() ? blank : std::string(cell(category_col));
        at = known_categories;
        while (at < categories.size() && categories[at].name != name) ++at;
        if (at == categories.size()) categories.push_back({name, std::vector<uint64_t>(grades, 0), 0});
      }
      ++categories[at].per_grade[gi];
      ++categories[at].total;
    }
    if (overdue_col >= 0 && overdue_of_cell(cell(overdue_col))) {
      ++counts.overdue;
      if (unit_col >= 0) add(units, cell(unit_col), gi);
    }
  });
  counts.districts = by_total(std::move(districts));
  counts.overdue_units = by_total(std::move(units));
  counts.categories = std::move(categories);
  return counts;
}

}  // namespace riskledger
