#include "ledger_writer.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "error.hpp"
#include "grading.hpp"
#include "text.hpp"

namespace riskledger {

LedgerFormat parse_ledger_format(std::string_view name) {
  if (name == "csv") return LedgerFormat::Csv;
  if (name == "json") return LedgerFormat::Json;
  if (name == "jsonl") return LedgerFormat::Jsonl;
  throw UsageError(fmt::format("unknown format '{}' (expected csv, json or jsonl)", name));
}

Lang parse_lang(std::string_view name) {
  if (name == "en") return Lang::En;
  if (name == "zh") return Lang::Zh;
  throw UsageError(fmt::format("unknown language '{}' (expected en or zh)", name));
}

std::string_view extension(LedgerFormat format) {
  switch (format) {
    case LedgerFormat::Csv: return "csv";
    case LedgerFormat::Json: return "json";
    case LedgerFormat::Jsonl: return "jsonl";
  }
  return "csv";
}

namespace {

struct Computed {
  LedgerColumn::Kind kind;
  const char* en;
  const char* zh;
};
constexpr std::array<Computed, 9> kComputed{{
    {LedgerColumn::Rank, "rank", "排名"},
    {LedgerColumn::Score, "score", "得分"},
    {LedgerColumn::Grade, "grade", "等级"},
    {LedgerColumn::DecidedBy, "decided_by", "定级依据"},
    {LedgerColumn::Handling, "handling", "处置方式"},
    {LedgerColumn::Lead, "lead", "牵头层级"},
    {LedgerColumn::Deadline, "deadline", "销号期限"},
    {LedgerColumn::Overdue, "overdue", "是否逾期"},
    {LedgerColumn::TopFactors, "top_factors", "主要因素"},
}};

// Resolves one column name, or returns false.
bool resolve(std::string_view name, const Rules& rules, const ExtraColumns& extra, LedgerColumn& out) {
  for (const auto& c : kComputed) {
    if (name == c.en) {
      out = {c.kind, -1, c.en};
      return true;
    }
  }
  if (const int f = rules.find_field(name); f >= 0) {
    out = {LedgerColumn::Field, f, std::string(name)};
    return true;
  }
  for (size_t e = 0; e < extra.names.size(); ++e) {
    if (extra.names[e] == name) {
      out = {LedgerColumn::Extra, static_cast<int>(e), std::string(name)};
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<LedgerColumn> default_columns(const Rules& rules, const ExtraColumns& extra, bool with_rank) {
  static constexpr std::array<const char*, 20> kOrder{
      "rank",     "id",       "title",    "category", "subtype",
      "district", "township", "village",  "grid",     "responsible_unit",
      "found_on", "status",   "score",    "grade",    "decided_by",
      "handling", "lead",     "deadline", "overdue",  "top_factors"};
  std::vector<LedgerColumn> columns;
  for (const char* name : kOrder) {
    if (!with_rank && std::string_view(name) == "rank") continue;
    LedgerColumn c;
    if (resolve(name, rules, extra, c)) columns.push_back(c);
  }
  for (size_t e = 0; e < extra.names.size(); ++e)
    columns.push_back({LedgerColumn::Extra, static_cast<int>(e), extra.names[e]});
  return columns;
}

std::vector<LedgerColumn> parse_columns(std::string_view list, const Rules& rules,
                                        const ExtraColumns& extra) {
  std::vector<LedgerColumn> columns;
  while (true) {
    const auto comma = list.find(',');
    const auto name = trim(list.substr(0, comma));
    LedgerColumn c;
    if (name.empty() || !resolve(name, rules, extra, c)) {
      std::vector<std::string> known;
      for (const auto& k : kComputed) known.emplace_back(k.en);
      for (const auto& f : rules.fields) known.push_back(f.name);
      known.insert(known.end(), extra.names.begin(), extra.names.end());
      const auto hint = did_you_mean(name, known);
      throw UsageError(hint.empty()
                           ? fmt::format("--columns: unknown column '{}'", name)
                           : fmt::format("--columns: unknown column '{}' (did you mean '{}'?)", name, hint));
    }
    columns.push_back(c);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return columns;
}

LedgerWriter::LedgerWriter(const Rules& rules, const ExtraColumns& extra, std::vector<LedgerColumn> columns,
                           LedgerOptions options)
    : rules_(rules), extra_(extra), columns_(std::move(columns)), options_(options) {}

std::string LedgerWriter::header_name(const LedgerColumn& c) const {
  if (options_.lang == Lang::En) return c.name;
  if (c.kind == LedgerColumn::Field) {
    const auto& f = rules_.fields[static_cast<size_t>(c.index)];
    return f.label.empty() ? f.name : f.label;
  }
  for (const auto& k : kComputed)
    if (k.kind == c.kind) return k.zh;
  return c.name;
}

void LedgerWriter::begin(std::string& out) const {
  rows_written_ = 0;
  switch (options_.format) {
    case LedgerFormat::Csv:
      if (options_.bom) out += "\xEF\xBB\xBF";
      for (size_t i = 0; i < columns_.size(); ++i) {
        if (i > 0) out += ',';
        append_csv_field(out, header_name(columns_[i]));
      }
      out += '\n';
      break;
    case LedgerFormat::Json: out += '['; break;
    case LedgerFormat::Jsonl: break;
  }
}

void LedgerWriter::end(std::string& out) const {
  if (options_.format == LedgerFormat::Json) out += rows_written_ == 0 ? "]\n" : "\n]\n";
}

namespace {

// How a value is written in JSON.
enum class JsonKind { String, Number, Bool };

}  // namespace

void LedgerWriter::row(std::string& out, uint64_t rank, const RecordBatch& batch, size_t r) const {
  std::array<double, 64> points{};
  const auto d = decide(rules_, batch, r, std::span<double>(points.data(), rules_.indicators.size()));
  const auto& grade = rules_.grades[static_cast<size_t>(d.grade)];
  const auto due = deadline(rules_, batch, r, d.grade);
  const bool zh = options_.lang == Lang::Zh;
  const bool csv = options_.format == LedgerFormat::Csv;

  std::string value;
  if (csv) {
  } else if (options_.format == LedgerFormat::Json) {
    out += rows_written_ == 0 ? "\n  {" : ",\n  {";
  } else {
    out += '{';
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    const auto& c = columns_[i];
    value.clear();
    auto kind = JsonKind::String;
    switch (c.kind) {
      case LedgerColumn::Rank:
        value = fmt::format("{}", rank);
        kind = JsonKind::Number;
        break;
      case LedgerColumn::Score:
        value = format_fixed(d.score.units, rules_.precision);
        kind = JsonKind::Number;
        break;
      case LedgerColumn::Grade: value = grade.name; break;
      case LedgerColumn::DecidedBy: value = decided_by_text(rules_, d); break;
      case LedgerColumn::Handling: value = grade.handling; break;
      case LedgerColumn::Lead: value = grade.lead; break;
      case LedgerColumn::Deadline:
        if (due) value = format_date(*due);
        break;
      case LedgerColumn::Overdue: {
        const bool late = overdue(rules_, batch, r, due, options_.as_of);
        value = csv ? (late ? (zh ? "是" : "yes") : (zh ? "否" : "no")) : (late ? "true" : "false");
        kind = JsonKind::Bool;
        break;
      }
      case LedgerColumn::TopFactors:
        value = top_factors_text(rules_, batch, r,
                                 std::span<const double>(points.data(), rules_.indicators.size()));
        break;
      case LedgerColumn::Field: {
        const auto& f = rules_.fields[static_cast<size_t>(c.index)];
        const double v = f.type == FieldType::String ? kMissing : batch.num(c.index, r);
        switch (f.type) {
          case FieldType::String: value = batch.str(c.index, r); break;
          case FieldType::Enum:
            if (!is_missing(v)) {
              const auto& ev = f.values[static_cast<size_t>(v)];
              value = zh && !ev.label.empty() ? ev.label : ev.code;
            }
            break;
          case FieldType::Date:
            if (!is_missing(v)) value = format_date(static_cast<Day>(v));
            break;
          case FieldType::Integer:
          case FieldType::Number:
            if (!is_missing(v)) value = csv ? std::string(batch.str(c.index, r)) : fmt::format("{}", v);
            kind = JsonKind::Number;
            break;
        }
        break;
      }
      case LedgerColumn::Extra: {
        // Find this input's local column for the global extra column.
        const auto& map = extra_.of_file[static_cast<size_t>(batch.file)];
        const auto it = std::find(map.begin(), map.end(), c.index);
        if (it != map.end()) value = batch.view(batch.extra[static_cast<size_t>(it - map.begin())][r]);
        break;
      }
    }
    if (csv) {
      if (i > 0) out += ',';
      append_csv_field(out, value);
      continue;
    }
    if (i > 0) out += ", ";
    append_json_string(out, header_name(c));
    out += ": ";
    if (value.empty() && kind != JsonKind::Bool)
      out += "null";
    else if (kind == JsonKind::String)
      append_json_string(out, value);
    else
      out += value;
  }
  if (csv)
    out += '\n';
  else if (options_.format == LedgerFormat::Json)
    out += '}';
  else
    out += "}\n";
  ++rows_written_;
}

}  // namespace riskledger

namespace riskledger {

std::string format_rejects_csv(const std::vector<Problem>& problems) {
  std::string out = "file,line,id,field,value,reason\n";
  for (const auto& p : problems) {
    append_csv_field(out, p.file);
    out += ',';
    out += std::to_string(p.line);
    out += ',';
    append_csv_field(out, p.id);
    out += ',';
    append_csv_field(out, p.field);
    out += ',';
    append_csv_field(out, p.value);
    out += ',';
    append_csv_field(out, p.reason);
    out += '\n';
  }
  return out;
}

std::string format_problem(const Problem& p) {
  if (p.field.empty()) return fmt::format("{}:{}: {}", p.file, p.line, p.reason);
  return fmt::format("{}:{}: {}='{}': {}", p.file, p.line, p.field, p.value, p.reason);
}

}  // namespace riskledger
