#include "grouping.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "error.hpp"
#include "labels.hpp"
#include "records.hpp"
#include "text.hpp"

namespace riskledger {

namespace {

// Where a group's value comes from: a rules field, or a passed-through column.
struct GroupField {
  int field = -1;  // rules field
  int extra = -1;  // index into ExtraColumns::names
};

GroupField find_group_field(std::string_view name, const Rules& rules, const ExtraColumns& extra) {
  for (size_t f = 0; f < rules.fields.size(); ++f)
    if (rules.fields[f].name == name || (!rules.fields[f].label.empty() && rules.fields[f].label == name))
      return {static_cast<int>(f), -1};
  for (size_t e = 0; e < extra.names.size(); ++e)
    if (extra.names[e] == name) return {-1, static_cast<int>(e)};
  std::string known;
  for (const auto& f : rules.fields) known += fmt::format("{}{}", known.empty() ? "" : ", ", f.name);
  for (const auto& e : extra.names) known += fmt::format(", {}", e);
  throw UsageError(fmt::format("--group-by: no field or column '{}' (known: {})", name, known));
}

std::string group_value(const GroupField& by, const Rules& rules, const LoadedInputs& inputs,
                        const Graded& g) {
  const auto& batch = inputs.batches[g.batch];
  if (by.field >= 0) return field_text(rules, batch, by.field, g.row);
  const auto& locals = inputs.extra.of_file[static_cast<size_t>(batch.file)];
  for (size_t l = 0; l < locals.size(); ++l)
    if (locals[l] == by.extra) return std::string(batch.extra(l, g.row));
  return "";  // this input has no such column
}

bool is_reserved(std::string_view stem) {
  static constexpr std::string_view kReserved[] = {"index", "rejects", "manifest", "ledger",
                                                   "con",   "prn",     "aux",      "nul"};
  for (auto r : kReserved)
    if (iequals_ascii(stem, r)) return true;
  if (stem.size() == 4 &&
      (iequals_ascii(stem.substr(0, 3), "com") || iequals_ascii(stem.substr(0, 3), "lpt")) &&
      stem[3] >= '1' && stem[3] <= '9')
    return true;
  return false;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

std::string safe_file_stem(std::string_view value) {
  constexpr size_t kMaxBytes = 80;
  std::string out;
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    const bool unsafe =
        u < 0x20 || u == 0x7f || std::string_view("/\\<>:\"|?*").find(c) != std::string_view::npos;
    out += unsafe ? '_' : c;
  }
  const auto first = out.find_first_not_of(" .");
  out =
      first == std::string::npos ? std::string() : out.substr(first, out.find_last_not_of(" .") - first + 1);
  if (out.empty()) out = "_empty";
  if (out.size() > kMaxBytes) {
    size_t cut = kMaxBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    out.resize(cut);
  }
  if (is_reserved(out)) out += '_';
  return out;
}

void assign_file_stems(std::vector<LedgerGroup>& groups) {
  std::set<std::string> taken;  // lowercased stems already given
  for (auto& g : groups) {
    const auto base = safe_file_stem(g.value);
    auto stem = base;
    for (int n = 2; taken.count(lower_ascii(stem)) > 0; ++n) stem = fmt::format("{}~{}", base, n);
    taken.insert(lower_ascii(stem));
    g.file_stem = std::move(stem);
  }
}

std::vector<LedgerGroup> group_ledger(const GradedRun& run, const LoadedInputs& inputs, const Rules& rules,
                                      std::string_view field, Day as_of) {
  const auto by = find_group_field(field, rules, inputs.extra);
  std::map<std::string, size_t> index;  // value -> position in groups (byte order once sorted)
  std::vector<LedgerGroup> groups;
  for (const auto& g : run.graded) {
    auto value = group_value(by, rules, inputs, g);
    auto [it, fresh] = index.try_emplace(std::move(value), groups.size());
    if (fresh) {
      groups.emplace_back();
      groups.back().value = it->first;
      groups.back().part.per_grade.assign(rules.grades.size(), 0);
    }
    auto& group = groups[it->second];
    group.part.graded.push_back(g);  // run.graded is in ledger order, so each part is too
    if (g.grade >= 0) ++group.part.per_grade[static_cast<size_t>(g.grade)];
    if (overdue(g, as_of)) ++group.overdue;
  }
  std::sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a.value < b.value; });
  for (auto& g : groups) g.part.read = g.part.graded.size();
  assign_file_stems(groups);
  return groups;
}

std::string format_index_csv(const std::vector<LedgerGroup>& groups, const Rules& rules,
                             std::string_view field, std::string_view extension, Lang lang) {
  const bool zh = lang == Lang::Zh;
  const FieldSpec* spec = nullptr;  // the rules field grouped by (by name or label), if any
  for (const auto& f : rules.fields)
    if (f.name == field || (!f.label.empty() && f.label == field)) spec = &f;
  std::string out;
  append_csv_field(out,
                   zh && spec != nullptr && !spec->label.empty() ? std::string_view(spec->label) : field);
  out += zh ? ",文件,点数" : ",file,rows";
  for (size_t grade = 0; grade < rules.grades.size(); ++grade) {
    out += ',';
    append_csv_field(out, zh ? grade_text_zh(rules, grade) : rules.grades[grade].name);
  }
  out += zh ? ",逾期\n" : ",overdue\n";
  for (const auto& g : groups) {
    const int v = zh && spec != nullptr && spec->type == FieldType::Enum ? spec->find_value(g.value) : -1;
    const auto& value = v >= 0 && !spec->values[static_cast<size_t>(v)].label.empty()
                            ? spec->values[static_cast<size_t>(v)].label
                            : g.value;
    append_csv_field(out, value);
    out += ',';
    append_csv_field(out, fmt::format("{}.{}", g.file_stem, extension));
    fmt::format_to(std::back_inserter(out), ",{}", g.part.graded.size());
    for (const auto n : g.part.per_grade) fmt::format_to(std::back_inserter(out), ",{}", n);
    fmt::format_to(std::back_inserter(out), ",{}\n", g.overdue);
  }
  return out;
}

}  // namespace riskledger
