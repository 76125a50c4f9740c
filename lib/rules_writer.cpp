#include "rules_writer.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "error.hpp"
#include "text.hpp"

namespace riskledger {

std::string rules_file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const auto builtin = builtin_rules_text(path);
    if (!builtin.empty()) return std::string(builtin);
    throw InputError(fmt::format("cannot open rules file {}", path));
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

// The text split into lines, each keeping its line break.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const auto len = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(0, len));
    text.remove_prefix(len);
  }
  return lines;
}

bool blank_or_comment(std::string_view line) {
  const auto first = line.find_first_not_of(" \t\r\n");
  return first == std::string_view::npos || line[first] == '#';
}

}  // namespace

std::string rules_with_weights(std::string_view base_text, const Rules& base,
                               const std::vector<std::vector<int64_t>>& units, int decimals,
                               const std::vector<std::string>& provenance) {
  if (base.method != Method::Weighted)
    throw UsageError(fmt::format("{}: method matrix has no weights to write", base.source));
  // Where the top-level `weights:` block starts (its key's line) and where the
  // next top-level key starts; comments and blank lines just above the next
  // key belong to that key.
  const auto root = YAML::Load(std::string(base_text));
  int start = -1, next = -1;
  for (const auto& kv : root) {
    const int line = kv.first.Mark().line;
    if (kv.first.as<std::string>() == "weights") {
      start = line;
    } else if (start >= 0 && line > start && (next < 0 || line < next)) {
      next = line;
    }
  }
  if (start < 0) throw UsageError(fmt::format("{}: no `weights:` block to replace", base.source));
  const auto lines = split_lines(base_text);
  auto end = next < 0 ? lines.size() : static_cast<size_t>(next);
  while (end > static_cast<size_t>(start) + 1 && blank_or_comment(lines[end - 1])) --end;

  // The new block: one flow mapping per category, indicators in file order.
  const auto& category = base.fields[static_cast<size_t>(base.category_field)];
  std::string block = "weights:\n";
  for (size_t c = 0; c < units.size(); ++c) {
    block += fmt::format("  {}: {{", category.values[c].code);
    bool first = true;
    for (size_t j = 0; j < units[c].size(); ++j) {
      if (units[c][j] == 0) continue;
      block += first ? "" : ", ";
      block += base.indicators[j].name + ": ";
      append_fixed(block, units[c][j], decimals);
      first = false;
    }
    block += "}\n";
  }

  std::string out;
  for (const auto& p : provenance) out += p.empty() ? "#\n" : "# " + p + "\n";
  if (!provenance.empty()) out += "\n";
  for (size_t i = 0; i < static_cast<size_t>(start); ++i) out += lines[i];
  out += block;
  for (size_t i = end; i < lines.size(); ++i) out += lines[i];
  return out;
}

}  // namespace riskledger
