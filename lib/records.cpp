#include "records.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "dates.hpp"
#include "error.hpp"
#include "memory.hpp"
#include "text.hpp"

namespace riskledger {

namespace {

bool header_matches(const FieldSpec& f, std::string_view name) {
  if (iequals_ascii(f.name, name) || (!f.label.empty() && f.label == name)) return true;
  return std::any_of(f.aliases.begin(), f.aliases.end(),
                     [&](const std::string& a) { return iequals_ascii(a, name); });
}

std::string accepted_names(const FieldSpec& f) {
  std::vector<std::string> names{f.name};
  if (!f.label.empty()) names.push_back(f.label);
  names.insert(names.end(), f.aliases.begin(), f.aliases.end());
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

std::string field_text(const Rules& rules, const RecordBatch& batch, int field, size_t row) {
  const auto& f = rules.fields[static_cast<size_t>(field)];
  if (f.type == FieldType::String) return std::string(batch.str(field, row));
  const double v = batch.num(field, row);
  if (is_missing(v)) return {};
  if (f.type == FieldType::Enum) return f.values[static_cast<size_t>(v)].code;
  if (f.type == FieldType::Date) return format_date(static_cast<Day>(v));
  return fmt::format("{}", v);
}

HeaderMap map_header(const std::vector<std::string>& header, const Rules& rules, const std::string& file) {
  HeaderMap map;
  map.field_of_column.assign(header.size(), -1);
  map.column_of_field.assign(rules.fields.size(), -1);
  for (size_t col = 0; col < header.size(); ++col) {
    const auto name = trim(header[col]);
    for (size_t prev = 0; prev < col; ++prev)
      if (trim(header[prev]) == name)
        throw InputError(fmt::format("{}:1: column '{}' appears twice (columns {} and {})", file, name,
                                     prev + 1, col + 1));
    for (size_t f = 0; f < rules.fields.size(); ++f) {
      if (!header_matches(rules.fields[f], name)) continue;
      if (map.column_of_field[f] >= 0)
        throw InputError(fmt::format("{}:1: columns '{}' and '{}' both map to field '{}'", file,
                                     header[static_cast<size_t>(map.column_of_field[f])], header[col],
                                     rules.fields[f].name));
      map.column_of_field[f] = static_cast<int>(col);
      map.field_of_column[col] = static_cast<int>(f);
      break;
    }
    if (map.field_of_column[col] < 0) map.extra_names.emplace_back(header[col]);
  }
  if (header.empty()) return map;  // an empty file: no records, nothing missing
  for (size_t f = 0; f < rules.fields.size(); ++f) {
    const auto& spec = rules.fields[f];
    if (spec.required && map.column_of_field[f] < 0)
      throw InputError(fmt::format("{}:1: missing required column '{}' (accepted names: {})", file, spec.name,
                                   accepted_names(spec)));
  }
  return map;
}

namespace {

std::string range_text(const FieldSpec& f) {
  if (std::isinf(f.min) && std::isinf(f.max)) return "";
  if (std::isinf(f.max)) return fmt::format(" (must be at least {})", f.min);
  if (std::isinf(f.min)) return fmt::format(" (must be at most {})", f.max);
  return fmt::format(" (must be from {} to {})", f.min, f.max);
}

// std::floor(v) == v for a finite v, without a call: a double of 2^52 or
// more is whole.
bool is_whole(double v) {
  return !(std::fabs(v) < 0x1p52) || v == static_cast<double>(static_cast<int64_t>(v));
}

// Types one cell: its value, or kMissing with `reason` set when the text is
// not a valid value of the field (`reason` is left alone otherwise, so that
// typing costs no string).
double type_value(const FieldSpec& f, std::string_view text, std::string& reason) {
  switch (f.type) {
    case FieldType::String: break;
    case FieldType::Integer:
    case FieldType::Number: {
      double v = 0;
      if (!parse_number(text, v)) {
        reason = fmt::format("not a number{}", range_text(f));
      } else if (f.type == FieldType::Integer && !is_whole(v)) {
        reason = "not a whole number";
      } else if (v < f.min || v > f.max) {
        reason = fmt::format("out of range{}", range_text(f));
      } else {
        return v;
      }
      break;
    }
    case FieldType::Date: {
      if (const auto d = parse_date(text)) return *d;
      reason = "not a valid date (expected YYYY-MM-DD)";
      break;
    }
    case FieldType::Enum: {
      if (const int v = f.find_value(text); v >= 0) return v;
      std::vector<std::string_view> codes;
      for (const auto& ev : f.values) codes.push_back(ev.code);
      reason = fmt::format("unknown {} (expected one of: {})", f.name, fmt::join(codes, ", "));
      break;
    }
  }
  return kMissing;
}

// An enum field's exact spellings (codes, labels, aliases) in a small
// open-addressed table: a cell is found by one hash and one or two compares,
// where find_value walks every spelling of every value. A text not there
// goes on to find_value (ASCII case-insensitive matches, or none), so the
// answer is find_value's: spellings are entered in the order find_value
// tries them, and the first of two equal ones is kept.
class EnumIndex {
 public:
  explicit EnumIndex(const FieldSpec& field) : field_(&field) {
    size_t spellings = 0;
    for (const auto& v : field.values) spellings += 2 + v.aliases.size();
    size_t size = 16;
    while (size < 2 * spellings) size *= 2;
    slots_.resize(size);
    mask_ = size - 1;
    for (size_t i = 0; i < field.values.size(); ++i) {
      const auto& v = field.values[i];
      add(v.code, static_cast<int>(i));
      add(v.label, static_cast<int>(i));
      for (const auto& a : v.aliases) add(a, static_cast<int>(i));
    }
  }
  // The index of the value `text` (not empty) names, or -1.
  int find(std::string_view text) const {
    for (size_t h = hash(text) & mask_;; h = (h + 1) & mask_) {
      const Slot& s = slots_[h];
      if (s.index < 0) return field_->find_value(text);
      if (same_bytes(s.text, text)) return s.index;
    }
  }

 private:
  struct Slot {
    std::string_view text;
    int index = -1;
  };
  // The length and up to 16 bytes (the first and the last 8, or fewer,
  // overlapping), read without going past the text.
  static size_t hash(std::string_view t) {
    const char* p = t.data();
    const size_t n = t.size();
    uint64_t a = 0, b = 0;
    if (n >= 8) {
      a = load8(p);
      b = load8(p + n - 8);
    } else if (n >= 4) {
      uint32_t x, y;
      std::memcpy(&x, p, 4);
      std::memcpy(&y, p + n - 4, 4);
      a = x;
      b = y;
    } else if (n > 0) {
      a = static_cast<unsigned char>(p[0]) |
          static_cast<unsigned>(static_cast<unsigned char>(p[n / 2])) << 8 |
          static_cast<unsigned>(static_cast<unsigned char>(p[n - 1])) << 16;
    }
    const uint64_t mixed = (a * 0x9E3779B97F4A7C15u) ^ ((b + n) * 0xC2B2AE3D27D4EB4Fu);
    return static_cast<size_t>(mixed ^ mixed >> 29);
  }
  void add(std::string_view text, int index) {
    if (text.empty()) return;
    for (size_t h = hash(text) & mask_;; h = (h + 1) & mask_) {
      Slot& s = slots_[h];
      if (s.index < 0) {
        s = Slot{text, index};
        return;
      }
      if (same_bytes(s.text, text)) return;  // the first one stays
    }
  }
  const FieldSpec* field_;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

// A view of a cell's text with its plain flag exact: known from the scan,
// or checked here.
CellRef cell_ref(std::string_view text, bool known_plain) {
  return CellRef{text.data(), static_cast<uint32_t>(text.size()), known_plain || is_plain_text(text)};
}

// An id is written on one line and read by people: control characters (line
// breaks, tabs, escapes) in one are a mistake in the data, not part of the id.
bool has_control_character(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

// A row whose every cell is empty or whitespace, like the `,,,,` rows
// spreadsheets export after the data: not a record.
bool is_blank_row(const RawRows& raw, size_t r) {
  for (size_t c = 0; c < raw.columns; ++c)
    if (!trim(raw.cell(r, c)).empty()) return false;
  return true;
}

}  // namespace

void RecordBatch::init(const std::vector<FieldSpec>& field_specs, size_t extra) {
  slot_of_field.assign(field_specs.size(), -1);
  num_of_field.assign(field_specs.size(), -1);
  string_slots = 0;
  num_width = 0;
  header_of_field.assign(field_specs.size(), -1);
  is_enum_.assign(field_specs.size(), 0);
  header_bytes = 0;
  num_fields_.clear();
  header_values_.clear();
  for (size_t f = 0; f < field_specs.size(); ++f) {
    const auto type = field_specs[f].type;
    if (type == FieldType::String) {
      slot_of_field[f] = static_cast<int>(string_slots++);
    } else {
      num_of_field[f] = static_cast<int>(num_width++);
      num_fields_.push_back(static_cast<uint32_t>(f));
    }
    if (type == FieldType::Enum || type == FieldType::Date) {
      header_of_field[f] = static_cast<int>(header_bytes);
      is_enum_[f] = type == FieldType::Enum;
      header_bytes += type == FieldType::Enum ? 2 : 4;
      header_values_.push_back({static_cast<uint32_t>(num_of_field[f]), type == FieldType::Enum});
    }
  }
  extra_slots = extra;
  set_kept({});
}

void RecordBatch::set_kept(std::span<const uint8_t> kept) {
  kept_.assign(kept.begin(), kept.end());
  kept_slots_.clear();
  for (size_t s = 0; s < slots(); ++s)
    if (this->kept(s)) kept_slots_.push_back(static_cast<uint32_t>(s));
}

// The record's bytes are counted first and written in place: one resize of
// `cells` and of `nums` a record, not one append a field.
void RecordBatch::add(uint32_t line, uint32_t row, const CellRef* text, const double* values) {
  lines.push_back(line);
  rows.push_back(row);
  at.push_back(static_cast<uint32_t>(cells.size()));
  // A cell not kept is empty: one head byte, 1 (length 0, plain). A kept
  // cell's head: its length and plain flag, (size << 1 | plain), 7 bits a
  // byte from the lowest, the top bit set on every byte but the last.
  const size_t n_slots = slots();
  size_t bytes = header_bytes + n_slots;
  for (const uint32_t i : kept_slots_) {
    bytes += text[i].len;
    for (uint64_t h = uint64_t{text[i].len} << 1; h >= 0x80; h >>= 7) ++bytes;
  }
  const size_t from = cells.size();
  cells.resize(from + bytes);
  char* p = cells.data() + from;
  for (const auto& h : header_values_) {
    const double v = values[h.num];
    if (h.is_enum) {
      const auto e = static_cast<uint16_t>(is_missing(v) ? 0 : v + 1);
      std::memcpy(p, &e, 2);
      p += 2;
    } else {
      const auto d = is_missing(v) ? INT32_MIN : static_cast<int32_t>(v);
      std::memcpy(p, &d, 4);
      p += 4;
    }
  }
  size_t next = 0;  // the first slot not written yet
  for (const uint32_t i : kept_slots_) {
    for (; next < i; ++next) *p++ = 1;
    next = i + 1;
    const CellRef c = text[i];
    uint64_t h = uint64_t{c.len} << 1 | (c.plain ? 1u : 0u);
    for (; h >= 0x80; h >>= 7) *p++ = static_cast<char>((h & 0x7F) | 0x80);
    *p++ = static_cast<char>(h);
    if (c.len != 0) std::memcpy(p, c.data, c.len);  // an empty one may be null
    p += c.len;
  }
  for (; next < n_slots; ++next) *p++ = 1;
  nums.insert(nums.end(), values, values + num_width);
}

void RecordBatch::add(uint32_t line, uint32_t row, std::span<const std::string_view> text,
                      std::span<const double> values, std::span<const uint8_t> plain) {
  assert(text.size() == slots() && values.size() == num_of_field.size());
  std::vector<CellRef> refs(text.size());
  for (size_t i = 0; i < text.size(); ++i) refs[i] = cell_ref(text[i], !plain.empty() && plain[i] != 0);
  std::vector<double> typed(num_width);
  for (size_t k = 0; k < num_width; ++k) typed[k] = values[num_fields_[k]];
  add(line, row, refs.data(), typed.data());
}

RecordBatch build_batch(const RawRows& raw, const HeaderMap& map, const Rules& rules, int file,
                        const std::string& file_name, uint64_t first_record, std::vector<Problem>& problems,
                        const BatchStorage& storage) {
  RecordBatch batch;
  batch.file = file;
  batch.first_record = first_record;
  const size_t nfields = rules.fields.size();
  const size_t rows = raw.rows();
  batch.init(rules.fields, map.extra_names.size());
  const auto& kept = storage.kept;
  if (!kept.empty() && kept.size() != batch.slots())
    throw std::logic_error("build_batch: one kept flag per slot is needed");
  batch.set_kept(kept);
  if ((batch.arenas = storage.arenas)) {
    batch.nums = HugeVector<double>(HugePageAllocator<double>(&batch.arenas->nums));
    batch.cells = HugeString(HugePageAllocator<char>(&batch.arenas->cells));
    const HugePageAllocator<uint32_t> index(&batch.arenas->index);
    batch.lines = HugeVector<uint32_t>(index);
    batch.rows = HugeVector<uint32_t>(index);
    batch.at = HugeVector<uint32_t>(index);
  }
  batch.nums.reserve(rows * batch.num_width);
  batch.lines.reserve(rows);
  batch.rows.reserve(rows);
  batch.at.reserve(rows);
  // The cells take about as many bytes as the rows (a length byte in place
  // of each comma; typed fields leave); rows read from a mapped file have
  // their bytes there, not in raw.text.
  const size_t input_bytes = std::max(raw.bytes, raw.text.size());
  batch.cells.reserve(input_bytes + input_bytes / 8);

  // Default values, typed once.
  std::vector<std::string_view> default_text(nfields);
  std::vector<double> default_value(nfields, kMissing);
  for (size_t f = 0; f < nfields; ++f) {
    const auto& spec = rules.fields[f];
    if (!spec.default_value) continue;
    default_text[f] = trim(*spec.default_value);
    std::string unused;  // a default is checked when the rules are read
    default_value[f] = type_value(spec, default_text[f], unused);
  }
  std::vector<CellRef> default_cell(nfields);
  for (size_t f = 0; f < nfields; ++f) default_cell[f] = cell_ref(default_text[f], false);

  // Per slot: known to be plain text (from the scan; a default or a cell
  // the reader did not look at is checked). For a reader that did not look,
  // a row of zeros stands for the scan's flags.
  const bool scan_knows = !raw.plain.empty();
  const std::vector<uint8_t> nothing_known(scan_knows ? 0 : raw.columns, 0);
  std::vector<CellRef> row_cells(batch.slots());
  std::vector<double> row_values(batch.num_width);
  std::vector<size_t> extra_columns;
  for (size_t col = 0; col < raw.columns; ++col)
    if (map.field_of_column[col] < 0) extra_columns.push_back(col);
  // Per rules field, where it is and what an empty cell means, looked up
  // once: the String fields in one list, the typed ones in another, each
  // typed in a loop of its own.
  struct TextPlan {
    ptrdiff_t col;  // its column in the input, -1 for none
    size_t field;
    size_t slot;
    bool has_default;
    bool required;
  };
  struct TypedPlan {
    ptrdiff_t col;  // its column in the input, -1 for none
    size_t field;
    size_t num;                    // its place in a record's values
    const EnumIndex* enum_values;  // an enum field's spellings, else null
    double min, max;               // a number field's range
    bool number;                   // an Integer or Number field
    bool whole;                    // an Integer field
    bool has_default;
    bool required;
  };
  std::vector<EnumIndex> enum_indexes;
  enum_indexes.reserve(nfields);
  std::vector<TextPlan> text_plan;
  std::vector<TypedPlan> typed_plan;
  for (size_t f = 0; f < nfields; ++f) {
    const auto& spec = rules.fields[f];
    const ptrdiff_t col = map.column_of_field[f];
    if (spec.type == FieldType::String) {
      text_plan.push_back({col, f, static_cast<size_t>(batch.slot_of_field[f]),
                           spec.default_value.has_value(), spec.required});
      continue;
    }
    const EnumIndex* values = nullptr;
    if (spec.type == FieldType::Enum && col >= 0) values = &enum_indexes.emplace_back(spec);
    const bool whole = spec.type == FieldType::Integer;
    typed_plan.push_back({col, f, static_cast<size_t>(batch.num_of_field[f]), values, spec.min, spec.max,
                          whole || spec.type == FieldType::Number, whole, spec.default_value.has_value(),
                          spec.required});
  }
  // Room for the views of every row at once, not a resize a record.
  size_t views_end = 0;
  if (storage.views != nullptr) {
    views_end = storage.views->size();
    storage.views->resize(views_end + rows * batch.slots());
  }
  uint64_t blank = 0;
  std::string why;  // why a cell is not a value of its field
  for (size_t r = 0; r < rows; ++r) {
    if (is_blank_row(raw, r)) {
      ++blank;
      continue;
    }
    const size_t first_problem = problems.size();
    const uint32_t line = raw.lines[r];
    const uint64_t record = first_record + r;
    const auto id_col = rules.id_field >= 0 ? map.column_of_field[static_cast<size_t>(rules.id_field)] : -1;
    const std::string_view id = id_col >= 0 ? trim(raw.cell(r, static_cast<size_t>(id_col))) : "";
    auto problem = [&](std::string_view field, std::string_view value, std::string reason) {
      problems.push_back(Problem{file, file_name, line, std::string(id), std::string(field),
                                 std::string(value), std::move(reason), record});
    };
    if (raw.field_counts[r] != raw.columns)
      problem("", "", fmt::format("expected {} fields, found {}", raw.columns, raw.field_counts[r]));
    if (has_control_character(id))
      problem(rules.fields[static_cast<size_t>(rules.id_field)].name, id,
              "an id cannot hold a line break, tab or other control character");

    // The row's cells and buffers through pointers held here: a store
    // through a uint8_t pointer may change any memory, so values read from
    // memory would be read again after each one.
    const Span* cells = raw.cells.data() + r * raw.columns;
    const uint8_t* cell_plain = scan_knows ? raw.plain.data() + r * raw.columns : nothing_known.data();
    double* values = row_values.data();
    // The record's cells: its views, written as its cells are found (a
    // rejected record's are written over by the next), or a row of its own.
    CellRef* texts = storage.views != nullptr ? storage.views->data() + views_end : row_cells.data();
    const auto text_at = [&](ptrdiff_t col) {
      return col >= 0 ? trim(raw.view(cells[col])) : std::string_view{};
    };
    // A cell with a problem (a required one empty, a typed one not a value
    // of its field) stops the quick loops: the record is rejected, and the
    // loop after them names every problem in field order.
    bool rejected = problems.size() != first_problem;
    for (const TextPlan& p : text_plan) {
      const std::string_view text = text_at(p.col);
      if (!text.empty()) {
        texts[p.slot] = cell_ref(text, cell_plain[p.col] != 0);
      } else if (p.has_default) {
        texts[p.slot] = default_cell[p.field];
      } else {
        texts[p.slot] = CellRef{};
        rejected |= p.required;
      }
    }
    for (size_t t = 0; t < typed_plan.size() && !rejected; ++t) {
      const TypedPlan& p = typed_plan[t];
      const std::string_view text = text_at(p.col);
      if (text.empty()) {
        values[p.num] = p.has_default ? default_value[p.field] : kMissing;
        rejected = p.required && !p.has_default;
        continue;
      }
      // The usual cases here, the rest in type_value.
      if (p.enum_values != nullptr) {
        if (const int v = p.enum_values->find(text); v >= 0) {
          values[p.num] = v;
          continue;
        }
      } else if (p.number) {
        // Up to 15 digits and nothing else: a whole number, exact as a double.
        uint64_t digits = 0;
        size_t k = 0;
        for (; k < text.size() && k < 16 && static_cast<unsigned>(text[k] - '0') < 10; ++k)
          digits = digits * 10 + static_cast<unsigned>(text[k] - '0');
        double v = static_cast<double>(digits);
        if (k == text.size() && k <= 15 && v >= p.min && v <= p.max) {
          values[p.num] = v;
          continue;
        }
        if (parse_number(text, v) && (!p.whole || is_whole(v)) && v >= p.min && v <= p.max) {
          values[p.num] = v;
          continue;
        }
      }
      values[p.num] = type_value(rules.fields[p.field], text, why);
      rejected = !why.empty();
      why.clear();
    }
    if (rejected) {
      for (size_t f = 0; f < nfields; ++f) {
        const auto& spec = rules.fields[f];
        const std::string_view text = text_at(map.column_of_field[f]);
        if (text.empty()) {
          if (spec.required && !spec.default_value) problem(spec.name, "", "required value is empty");
        } else if (spec.type != FieldType::String) {
          type_value(spec, text, why);
          if (!why.empty()) problem(spec.name, text, std::exchange(why, {}));
        }
      }
      continue;  // not in the batch
    }

    for (size_t e = 0; e < extra_columns.size(); ++e) {
      const size_t col = extra_columns[e];
      texts[batch.string_slots + e] = cell_ref(raw.view(cells[col]), cell_plain[col] != 0);
    }
    batch.add(line, static_cast<uint32_t>(r), texts, values);
    views_end += storage.views != nullptr ? batch.slots() : 0;
  }
  if (storage.views != nullptr) storage.views->resize(views_end);
  batch.blank_rows = blank;
  release_unused(batch.cells);
  release_unused(batch.nums);
  // The index's three buffers hold one entry per record kept: only the last
  // one's rest (room for the rows rejected) goes back to the arena.
  release_unused(batch.at);
  return batch;
}

}  // namespace riskledger
