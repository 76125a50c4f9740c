#include "ledger_writer.hpp"

#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

#include "error.hpp"
#include "grading.hpp"
#include "labels.hpp"
#include "parallel.hpp"
#include "text.hpp"

namespace riskledger {

LedgerFormat parse_ledger_format(std::string_view name) {
  if (name == "csv") return LedgerFormat::Csv;
  if (name == "json") return LedgerFormat::Json;
  if (name == "jsonl") return LedgerFormat::Jsonl;
  if (name == "md") return LedgerFormat::Md;
  if (name == "yaml") return LedgerFormat::Yaml;
  throw UsageError(fmt::format("unknown format '{}' (expected csv, json, jsonl, md or yaml)", name));
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
    case LedgerFormat::Md: return "md";
    case LedgerFormat::Yaml: return "yaml";
  }
  return "csv";
}

namespace {

struct Computed {
  LedgerColumn::Kind kind;
  const char* en;
  const char* zh;
};
constexpr std::array<Computed, 10> kComputed{{
    {LedgerColumn::Rank, "rank", "排名"},
    {LedgerColumn::Score, "score", "得分"},
    {LedgerColumn::Grade, "grade", "等级"},
    {LedgerColumn::DecidedBy, "decided_by", "定级依据"},
    {LedgerColumn::Handling, "handling", "处置方式"},
    {LedgerColumn::Lead, "lead", "牵头层级"},
    {LedgerColumn::Deadline, "deadline", "销号期限"},
    {LedgerColumn::Overdue, "overdue", "是否逾期"},
    {LedgerColumn::TopFactors, "top_factors", "主要因素"},
    {LedgerColumn::SortKey, "sort_key", "排序键"},
}};

// Resolves one column name (English, or the Chinese header --lang zh writes), or returns false.
bool resolve(std::string_view name, const Rules& rules, const ExtraColumns& extra, LedgerColumn& out) {
  for (const auto& c : kComputed) {
    if (name == c.en || name == c.zh) {
      out = {c.kind, -1, c.en};
      return true;
    }
  }
  for (size_t f = 0; f < rules.fields.size(); ++f) {
    const auto& field = rules.fields[f];
    if (name == field.name || (!field.label.empty() && name == field.label)) {
      out = {LedgerColumn::Field, static_cast<int>(f), field.name};
      return true;
    }
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

bool find_column(std::string_view name, const Rules& rules, const ExtraColumns& extra, LedgerColumn& out) {
  return resolve(name, rules, extra, out);
}

std::string column_header(const LedgerColumn& c, const Rules& rules, Lang lang) {
  if (lang == Lang::En) return c.name;
  if (c.kind == LedgerColumn::Field) {
    const auto& f = rules.fields[static_cast<size_t>(c.index)];
    return f.label.empty() ? f.name : f.label;
  }
  for (const auto& k : kComputed)
    if (k.kind == c.kind) return k.zh;
  return c.name;
}

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
  for (const auto name : split_list(list)) {
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
  }
  return columns;
}

LedgerWriter::LedgerWriter(const Rules& rules, const ExtraColumns& extra, std::vector<LedgerColumn> columns,
                           LedgerOptions options)
    : rules_(rules),
      columns_(std::move(columns)),
      options_(options),
      decision_text_(rules, options.lang == Lang::Zh) {
  for (const auto& c : columns_) {
    std::string key;
    append_json_string(key, header_name(c));
    json_keys_.push_back(key + ": ");
  }
  for (const auto& c : columns_) {
    if (c.kind != LedgerColumn::Field) continue;
    const auto type = rules_.fields[static_cast<size_t>(c.index)].type;
    if (type == FieldType::String || type == FieldType::Enum || type == FieldType::Date)
      needs_cells_ = true;
    else
      needs_nums_ = true;
  }
  for (const auto& c : columns_)
    if (c.kind == LedgerColumn::Extra || c.kind == LedgerColumn::SortKey) needs_cells_ = true;
  // For each input file, where each passed-through ledger column is in it.
  for (const auto& file_map : extra.of_file) {
    std::vector<int> local(columns_.size(), -1);
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i].kind != LedgerColumn::Extra) continue;
      const auto it = std::find(file_map.begin(), file_map.end(), columns_[i].index);
      if (it != file_map.end()) local[i] = static_cast<int>(it - file_map.begin());
    }
    extra_local_.push_back(std::move(local));
  }
  const bool zh = options_.lang == Lang::Zh;
  for (size_t g = 0; g < rules_.grades.size(); ++g) {
    const auto& grade = rules_.grades[g];
    auto& t = grade_text_.emplace_back();
    if (zh) {
      std::string name;
      append_grade_zh(name, rules_, g);  // A级（重大）
      text(t[0], name);
    } else {
      text(t[0], grade.name);
    }
    text(t[1], grade.handling);
    text(t[2], grade.lead);
  }
  enum_text_.resize(rules_.fields.size());
  for (size_t f = 0; f < rules_.fields.size(); ++f)
    for (const auto& ev : rules_.fields[f].values)
      text(enum_text_[f].emplace_back(), zh && !ev.label.empty() ? ev.label : ev.code);

  if (options_.format != LedgerFormat::Csv) return;
  const auto field_type = [&](size_t i) {
    const auto& c = columns_[i];
    return c.kind == LedgerColumn::Field ? rules_.fields[static_cast<size_t>(c.index)].type
                                         : FieldType::Integer;
  };
  run_end_.assign(columns_.size(), 0);
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (field_type(i) != FieldType::String) continue;
    size_t end = i + 1;
    for (size_t k = i + 1, enums = 0; k < columns_.size(); ++k) {
      const auto type = field_type(k);
      if (type == FieldType::String) {
        end = k + 1;
        enums = 0;
      } else if (type != FieldType::Enum || ++enums > kRunEnums) {
        break;
      }
    }
    if (end > i + 1) run_end_[i] = end;
  }
  RecordBatch layout;
  layout.init(rules_.fields, 0);
  run_columns_.resize(columns_.size());
  for (size_t i = 0; i < columns_.size(); ++i) {
    const auto f = static_cast<size_t>(columns_[i].index);
    if (field_type(i) == FieldType::String) run_columns_[i].slot = layout.slot_of_field[f];
    if (field_type(i) == FieldType::Enum)
      run_columns_[i] = {-1, static_cast<uint32_t>(layout.header_of_field[f]), static_cast<uint32_t>(f)};
  }
}

std::string LedgerWriter::header_name(const LedgerColumn& c) const {
  return column_header(c, rules_, options_.lang);
}

void LedgerWriter::begin(std::string& out) const {
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
    case LedgerFormat::Md:
      // A GitHub-flavoured Markdown table; rank and score right-aligned.
      out += '|';
      for (const auto& c : columns_) {
        out += ' ';
        md_text(out, header_name(c));
        out += " |";
      }
      out += "\n|";
      for (const auto& c : columns_)
        out += c.kind == LedgerColumn::Rank || c.kind == LedgerColumn::Score ? " ---: |" : " --- |";
      out += '\n';
      break;
    case LedgerFormat::Yaml: break;
  }
}

void LedgerWriter::end(std::string& out, uint64_t rows) const {
  if (options_.format == LedgerFormat::Json) out += rows == 0 ? "]\n" : "\n]\n";
  if (options_.format == LedgerFormat::Yaml && rows == 0) out += "[]\n";
}

void LedgerWriter::row(RowBuffer& out, uint64_t index, const RecordBatch& batch, const Graded& g,
                       const CellRef* cells, std::string_view source) const {
  if (options_.format == LedgerFormat::Json)
    out += index == 0 ? "\n  {" : ",\n  {";
  else if (options_.format == LedgerFormat::Jsonl)
    out += '{';
  // The record's text cells, decoded once (they lie together in memory).
  if (cells != nullptr) {
    row_cells_ = cells;
  } else {
    decoded_.resize(batch.slots());
    if (needs_cells_) batch.decode_at(g.at, decoded_.data());
    row_cells_ = decoded_.data();
  }
  source_ = cells != nullptr ? source : std::string_view{};
  render_row(out, batch, g, index + 1);
}

void LedgerWriter::row(std::string& out, uint64_t index, const RecordBatch& batch, const Graded& g,
                       const CellRef* cells, std::string_view source) const {
  row_.clear();
  row(row_, index, batch, g, cells, source);
  out.append(row_.data(), row_.size());
}

void LedgerWriter::render_row(RowBuffer& out, const RecordBatch& batch, const Graded& g,
                              uint64_t rank) const {
  const auto& grade = grade_text_[static_cast<size_t>(g.grade)];
  const bool zh = options_.lang == Lang::Zh;
  const auto format = options_.format;
  // Typed formats write booleans and quote dates; CSV and Markdown write text.
  const bool typed = format != LedgerFormat::Csv && format != LedgerFormat::Md;
  for (size_t i = 0; i < columns_.size(); ++i) {
    const auto& c = columns_[i];
    switch (format) {
      case LedgerFormat::Csv:
        if (i > 0) out += ',';
        if (!source_.empty() && run_end_[i] != 0) {
          if (const size_t next = copy_run(out, i, batch, g); next > i) {
            i = next - 1;
            continue;
          }
        }
        break;
      case LedgerFormat::Json:
      case LedgerFormat::Jsonl:
        if (i > 0) out += ", ";
        out += json_keys_[i];
        break;
      case LedgerFormat::Md: out += i == 0 ? "| " : " | "; break;
      case LedgerFormat::Yaml:  // a sequence of mappings, one key a line
        out += i == 0 ? "- " : "  ";
        out += json_keys_[i];
        break;
    }
    // Each case appends its value: `text` values go through CSV quoting or
    // JSON escaping; numbers, dates, booleans and codes are written as they are.
    switch (c.kind) {
      case LedgerColumn::Rank: append_uint(out, rank); break;
      case LedgerColumn::Score: append_fixed(out, g.units, rules_.precision); break;
      case LedgerColumn::Grade: out += grade[0]; break;
      case LedgerColumn::DecidedBy:
        generated(out, &DecisionText::decided_by<RowBuffer>, g, decision_text_.decided_by_may_quote(g));
        break;
      case LedgerColumn::Handling: out += grade[1]; break;
      case LedgerColumn::Lead: out += grade[2]; break;
      case LedgerColumn::Deadline:
        if (g.deadline == Graded::kNoDeadline) {
          empty(out);
          break;
        }
        if (typed) out += '"';
        append_date(out, g.deadline);
        if (typed) out += '"';
        break;
      case LedgerColumn::Overdue: {
        const bool late = overdue(g, options_.as_of);
        out += !typed ? (late ? (zh ? "是" : "yes") : (zh ? "否" : "no")) : (late ? "true" : "false");
        break;
      }
      case LedgerColumn::TopFactors:
        generated(out, &DecisionText::top_factors<RowBuffer>, g, decision_text_.top_factors_may_quote());
        break;
      case LedgerColumn::SortKey:
        append_sort_key(
            out, rules_, g,
            row_cells_[static_cast<size_t>(batch.slot_of_field[static_cast<size_t>(rules_.id_field)])]
                .view());
        break;
      case LedgerColumn::Field: field(out, c.index, batch, g); break;
      case LedgerColumn::Extra: {
        const int local = extra_local_[static_cast<size_t>(batch.file)][i];
        if (local < 0)
          empty(out);
        else
          text(out, row_cells_[batch.string_slots + static_cast<size_t>(local)]);
        break;
      }
    }
    if (format == LedgerFormat::Yaml) out += '\n';
  }
  switch (format) {
    case LedgerFormat::Csv: out += '\n'; break;
    case LedgerFormat::Json: out += '}'; break;
    case LedgerFormat::Jsonl: out += "}\n"; break;
    case LedgerFormat::Md: out += " |\n"; break;
    case LedgerFormat::Yaml: break;
  }
}

// sort_key: text whose plain byte order is ledger order, for sorting scored
// shards with `LC_ALL=C sort` (scale-out). Three parts, none with a byte a
// CSV field would need to quote:
//   grade index, two digits (A = 00 first);
//   scale*10^precision - score units, zero-padded to a fixed width (higher scores first);
//   the id's bytes in hex (two lowercase digits a byte), so any id sorts by its
//   bytes and a shorter id that is a prefix of a longer one sorts first.
template <class Out>
void append_sort_key(Out& out, const Rules& rules, const Graded& g, std::string_view id) {
  const auto top =
      static_cast<uint64_t>(std::llround(rules.scale)) * static_cast<uint64_t>(rules.units_per_point());
  const size_t width = std::to_string(top).size();
  out.push_back(static_cast<char>('0' + g.grade / 10));
  out.push_back(static_cast<char>('0' + g.grade % 10));
  const auto complement = std::to_string(top - static_cast<uint64_t>(g.units));
  for (size_t k = complement.size(); k < width; ++k) out.push_back('0');
  out += complement;
  static constexpr char kHex[] = "0123456789abcdef";
  for (const char c : id) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(kHex[u >> 4]);
    out.push_back(kHex[u & 0xF]);
  }
}
template void append_sort_key(std::string&, const Rules&, const Graded&, std::string_view);
template void append_sort_key(RowBuffer&, const Rules&, const Graded&, std::string_view);

template <class Out>
void LedgerWriter::text(Out& out, std::string_view value) const {
  if (options_.format == LedgerFormat::Csv)
    append_csv_field(out, value);
  else if (options_.format == LedgerFormat::Md)
    md_text(out, value);
  else if (value.empty())
    out += "null";
  else
    append_json_string(out, value);
}

// A cell known to be plain (is_plain_text) is copied without looking at its
// bytes (Markdown escapes more than CSV and JSON, so it always looks).
void LedgerWriter::text(RowBuffer& out, const CellRef& cell) const {
  if (cell.len == 0 && options_.format == LedgerFormat::Csv) return;  // an empty field
  if (!cell.plain || cell.len == 0 || options_.format == LedgerFormat::Md) {
    text(out, cell.view());
  } else if (options_.format == LedgerFormat::Csv) {
    out.append(cell.data, cell.len);
  } else {
    out += '"';
    out.append(cell.data, cell.len);
    out += '"';
  }
}

void LedgerWriter::generated(RowBuffer& out, Render render, const Graded& g, bool may_quote) const {
  if (options_.format == LedgerFormat::Csv) {
    const size_t from = out.size();
    (decision_text_.*render)(out, g);
    if (may_quote) make_csv_field(out, from);
    return;
  }
  scratch_.clear();
  (decision_text_.*render)(scratch_, g);
  text(out, scratch_.view());
}

// Most rows of a CSV input hold their text fields as the ledger writes them
// (plain text, no spaces around), in the same order, and their enum fields
// as codes: then the ledger's columns from a text field to a later one are
// the input's bytes between them, and are copied as they are. The bytes are
// compared, not assumed: every cell must lie in source_ (so every byte read
// does), the first and each next one a comma (and the enum values the ledger
// writes between them, each with its comma) after the one before.
size_t LedgerWriter::copy_run(RowBuffer& out, size_t i, const RecordBatch& batch, const Graded& g) const {
  const auto lo = reinterpret_cast<uintptr_t>(source_.data());
  const size_t size = source_.size();
  const auto inside = [&](const CellRef& c) {
    const uintptr_t off = reinterpret_cast<uintptr_t>(c.data) - lo;  // wraps past size below lo
    return c.plain && off <= size && size - off >= c.len;
  };
  const RunColumn* run = run_columns_.data();
  const CellRef& first = row_cells_[run[i].slot];
  if (!inside(first)) return i;
  const char* const start = first.data;
  const char* at = first.data + first.len;  // the end of what matches
  size_t done = i + 1;
  for (size_t k = i + 1; k < run_end_[i]; done = ++k) {
    // The enum columns before the next text column, then that column.
    const size_t enums = k;
    while (run[k].slot < 0) ++k;
    const CellRef& next = row_cells_[run[k].slot];
    if (!inside(next) || next.data <= at) break;
    // [at, next.data) lies in source_: a comma, then each enum value as the
    // ledger writes it and a comma, and nothing more.
    const char* p = at;
    const char* const stop = next.data;
    bool same = *p++ == ',';
    for (size_t e = enums; e < k && same; ++e) {
      const uint16_t v = batch.enum_in_header(g.at, run[e].header);
      const std::string_view value = v == 0 ? std::string_view{} : enum_text_[run[e].field][v - 1u];
      same = static_cast<size_t>(stop - p) > value.size() && same_bytes({p, value.size()}, value) &&
             p[value.size()] == ',';
      p += value.size() + 1;
    }
    if (!same || p != stop) break;
    at = next.data + next.len;
  }
  out.append(start, static_cast<size_t>(at - start));
  return done;
}

void LedgerWriter::empty(RowBuffer& out) const {
  if (options_.format != LedgerFormat::Csv && options_.format != LedgerFormat::Md) out += "null";
}

// A Markdown table cell: `|` escaped, line breaks as <br>, and `\`, `<`, `&`
// escaped so a title cannot turn into markup.
template <class Out>
void LedgerWriter::md_text(Out& out, std::string_view value) {
  for (size_t i = 0; i < value.size(); ++i) {
    const char ch = value[i];
    switch (ch) {
      case '|': out += "\\|"; break;
      case '\\': out += "\\\\"; break;
      case '<': out += "&lt;"; break;
      case '&': out += "&amp;"; break;
      case '\r':
        if (i + 1 < value.size() && value[i + 1] == '\n') break;
        out += "<br>";
        break;
      case '\n': out += "<br>"; break;
      default: out += ch;
    }
  }
}

// A rules field: strings as written; enums as code (or Chinese label with
// --lang zh); dates as YYYY-MM-DD; numbers in their shortest exact form (so
// "4.0", "+4" and "4" are all written 4, in CSV and JSON alike).
void LedgerWriter::field(RowBuffer& out, int index, const RecordBatch& batch, const Graded& g) const {
  const auto& f = rules_.fields[static_cast<size_t>(index)];
  if (f.type == FieldType::String) {
    text(out, row_cells_[static_cast<size_t>(batch.slot_of_field[static_cast<size_t>(index)])]);
    return;
  }
  // Enums and dates from the record's header, next to its cells; numbers
  // from their column.
  const double v = batch.header_of_field[static_cast<size_t>(index)] >= 0 ? batch.header_value(index, g.at)
                                                                          : batch.num(index, g.row);
  if (is_missing(v)) {
    empty(out);
    return;
  }
  const bool typed = options_.format != LedgerFormat::Csv && options_.format != LedgerFormat::Md;
  switch (f.type) {
    case FieldType::Enum: out += enum_text_[static_cast<size_t>(index)][static_cast<size_t>(v)]; break;
    case FieldType::Date:
      if (typed) out += '"';
      append_date(out, static_cast<Day>(v));
      if (typed) out += '"';
      break;
    default: {          // numbers: the shortest text that reads back as the same value
      char number[32];  // the longest double, -1.7976931348623157e+308, is 24
      out.append(number, static_cast<size_t>(fmt::format_to(number, "{}", v) - number));
      break;
    }
  }
}

}  // namespace riskledger

namespace riskledger {

namespace {
// Keeps a value the compiler would find unused, and so the loads it came from.
inline void keep(unsigned v) {
  asm volatile("" : : "r"(v));
}
}  // namespace

// Rows are rendered in ledger order in blocks, on every thread, into a ring
// of buffers that a thread of its own hands to `sink` in order: no thread
// waits for the others between blocks, and memory stays bounded by the ring.
// A block is rendered once the buffer it goes into has been written out.
// Ledger order visits records in no particular order of memory: a block's
// rows are taken a group at a time, first touching each row's record (a
// short loop whose cache misses all overlap), then rendering them from cache.
void write_ledger(const GradedRun& run, const LoadedInputs& inputs, const Rules& rules,
                  const std::vector<LedgerColumn>& columns, const LedgerOptions& options, unsigned threads,
                  const std::function<void(std::string_view)>& sink) {
  const size_t n = run.graded.size();
  constexpr size_t kBlockRows = 4096;
  constexpr size_t kGroup = 64;  // rows touched, then rendered
  const size_t blocks = (n + kBlockRows - 1) / kBlockRows;
  const size_t renderers = std::max<size_t>(1, std::min<size_t>(resolve_threads(threads), blocks));
  const size_t ring = 4 * renderers;

  const LedgerWriter head(rules, inputs.extra, columns, options);
  std::string edge;
  head.begin(edge);
  sink(edge);

  // Each buffer on cache lines of its own: a renderer appends to its buffer
  // (the buffer's size changes with every field), and two buffers sharing a
  // line would make the renderers take that line from each other all the
  // while (false sharing; it doubled the CPU time of two renderers).
  struct alignas(64) Buffer {
    RowBuffer bytes;
  };
  std::vector<Buffer> outs(ring);
  std::vector<size_t> ready(ring, SIZE_MAX);  // the block each buffer holds, once rendered
  size_t written = 0;                         // blocks handed to the sink
  bool failed = false;
  std::mutex mutex;
  std::condition_variable changed;
  std::exception_ptr write_error;
  const auto fail = [&] {
    {
      const std::lock_guard lock(mutex);
      failed = true;
    }
    changed.notify_all();
  };
  std::thread writer([&] {
    try {
      for (size_t b = 0; b < blocks; ++b) {
        auto& out = outs[b % ring].bytes;
        {
          std::unique_lock lock(mutex);
          changed.wait(lock, [&] { return failed || ready[b % ring] == b; });
          if (failed) return;
        }
        sink(out.view());
        {
          const std::lock_guard lock(mutex);
          written = b + 1;
        }
        changed.notify_all();
      }
    } catch (...) {
      write_error = std::current_exception();
      fail();
    }
  });
  std::atomic<size_t> next{0};
  try {
    parallel_for(renderers, threads, [&](size_t) {
      const LedgerWriter row_writer(rules, inputs.extra, columns, options);
      try {
        for (size_t b; (b = next.fetch_add(1)) < blocks;) {
          {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return failed || written + ring > b; });
            if (failed) return;
          }
          auto& out = outs[b % ring].bytes;
          out.clear();
          const size_t from = b * kBlockRows, to = std::min(n, from + kBlockRows);
          for (size_t group = from; group < to; group += kGroup) {
            const size_t end = std::min(to, group + kGroup);
            unsigned touched = 0;
            for (size_t i = group; i < end; ++i) {
              const auto& g = run.graded[i];
              touched += row_writer.touch(inputs.batches[g.batch], g);
            }
            keep(touched);
            for (size_t i = group; i < end; ++i) {
              const auto& g = run.graded[i];
              row_writer.row(out, i, inputs.batches[g.batch], g);
            }
          }
          {
            const std::lock_guard lock(mutex);
            ready[b % ring] = b;
          }
          changed.notify_all();
        }
      } catch (...) {
        fail();
        throw;
      }
    });
  } catch (...) {
    writer.join();
    throw;
  }
  writer.join();
  if (write_error) std::rethrow_exception(write_error);
  edge.clear();
  head.end(edge, n);
  sink(edge);
}

// A record's cells (and header) lie together: their first cache line is
// read and the next three prefetched; typed number fields are in an array
// of their own. A load, not a prefetch alone: on the project's machine
// prefetches ahead of the row being rendered left most misses in place
// (docs/performance.md), while the loads of a group overlap.
unsigned LedgerWriter::touch(const RecordBatch& batch, const Graded& g) const {
  unsigned v = 0;
  if (needs_cells_) {
    const char* p = batch.data_at(g.at);
    v += static_cast<unsigned char>(*p);
    for (int line = 1; line < 4; ++line) __builtin_prefetch(p + 64 * line);
  }
  if (needs_nums_) v += *batch.nums_at(g.row) > 0 ? 1u : 0u;
  return v;
}

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
