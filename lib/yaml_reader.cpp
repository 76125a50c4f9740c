#include "yaml_reader.hpp"

#include "encoding.hpp"
#include "text.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <limits>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "error.hpp"
#include "yaml_limits.hpp"

namespace riskledger {

namespace {

// A YAML document is parsed whole, and yaml-cpp takes many times the size of
// the text in memory: YAML inputs are limited to this size (use CSV beyond).
constexpr size_t kMaxYamlBytes = size_t{64} << 20;
// As for CSV: the union of the records' keys.
constexpr size_t kMaxColumns = 1000;

std::string read_all(ByteStream& in, const std::string& name) {
  constexpr size_t kBlockSize = size_t{1} << 20;
  std::string bytes;
  for (;;) {
    const size_t old = bytes.size();
    if (old > kMaxYamlBytes)
      throw InputError(
          fmt::format("{}: YAML input larger than 64 MiB (the limit; use CSV for larger inputs)", name));
    bytes.resize(old + kBlockSize);
    const size_t got = in.read(bytes.data() + old, kBlockSize);
    bytes.resize(old + got);
    if (got == 0) return bytes;
  }
}

// 1-based line of a node, for messages.
int line_of(const YAML::Node& node) {
  return node.Mark().line + 1;
}

[[noreturn]] void fail(const std::string& name, const YAML::Node& node, std::string_view what) {
  throw InputError(fmt::format("{}:{}: {}", name, line_of(node), what));
}

// Parses the document, turning yaml-cpp's errors into
// `file:line:col: YAML syntax error: ...`.
YAML::Node parse(const std::string& name, const std::string& bytes) {
  try {
    check_yaml_limits(bytes);
    return YAML::Load(bytes);
  } catch (const YamlLimitError& e) {
    throw InputError(fmt::format("{}:{}:{}: {}", name, e.line(), e.column(), e.what()));
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null()) throw InputError(fmt::format("{}: YAML syntax error: {}", name, e.msg));
    throw InputError(
        fmt::format("{}:{}:{}: YAML syntax error: {}", name, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
}

// The records of a document: the document itself when it is a sequence, or
// its `records:` key when it is a mapping (other keys are ignored). An empty
// document, or `records:` with no value, holds no records.
YAML::Node records_of(const std::string& name, const YAML::Node& root) {
  if (root.IsNull() || root.IsSequence()) return root;
  if (root.IsMap()) {
    const YAML::Node records = root["records"];
    if (records && (records.IsNull() || records.IsSequence())) return records;
    if (records) fail(name, records, "'records:' must hold a sequence of records");
  }
  fail(name, root, "expected a sequence of records or a mapping with a 'records:' key");
}

// A record's field names, checked: the record is a mapping, and each key is
// a plain value that appears once.
std::vector<std::string> field_names(const std::string& name, const YAML::Node& record) {
  if (!record.IsMap()) fail(name, record, "expected a record (a mapping of field: value)");
  std::vector<std::string> names;
  std::unordered_set<std::string> seen;  // a set: a record may have very many keys
  for (const auto& kv : record) {
    if (!kv.first.IsScalar()) fail(name, kv.first, "expected a field name");
    const std::string& key = kv.first.Scalar();
    if (!seen.insert(key).second)
      fail(name, kv.first, fmt::format("field '{}' appears twice in one record", key));
    names.push_back(key);
  }
  return names;
}

}  // namespace

// Records become rows of text, exactly as CSV rows do: a scalar is kept as
// written (typing happens later), a null (`~`, `null`, no value) or a missing
// key is an empty cell, and a list or mapping is an error.
YamlReader::YamlReader(std::string name, std::unique_ptr<ByteStream> in) : name_(std::move(name)) {
  const std::string bytes = read_all(*in, name_);
  check_utf8(name_, bytes, 1);
  const YAML::Node records = records_of(name_, parse(name_, bytes));

  // Header: the union of the records' keys in order of first appearance.
  std::unordered_map<std::string, size_t> column_of;
  std::set<std::pair<int, int>> seen;  // where each record is written
  for (const auto& record : records) {
    // `- *r` would be the record at &r over again, under the same line.
    if (!seen.emplace(record.Mark().line, record.Mark().column).second)
      fail(name_, record, "this record appears twice (an alias: '*name'); write each record out in full");
    for (const auto& key : field_names(name_, record)) {
      if (column_of.emplace(key, header_.size()).second) header_.push_back(key);
    }
    if (header_.size() > kMaxColumns)
      fail(name_, record,
           fmt::format("records have more than {} distinct fields (the limit on columns)", kMaxColumns));
  }

  all_.columns = header_.size();
  for (const auto& record : records) {
    const size_t row = all_.cells.size();
    all_.cells.resize(row + all_.columns);
    for (const auto& kv : record) {
      const std::string& key = kv.first.Scalar();
      const YAML::Node& value = kv.second;
      if (value.IsNull()) continue;
      if (!value.IsScalar()) fail(name_, value, fmt::format("field '{}': expected a single value", key));
      const std::string& text = value.Scalar();
      if (all_.text.size() + text.size() > std::numeric_limits<uint32_t>::max()) {
        fail(name_, value, "too much text for one YAML input (over 4 GiB)");
      }
      all_.cells[row + column_of[key]] = {static_cast<uint32_t>(all_.text.size()),
                                          static_cast<uint32_t>(text.size())};
      all_.text += text;
    }
    all_.lines.push_back(static_cast<uint32_t>(line_of(record)));
    all_.field_counts.push_back(static_cast<uint32_t>(all_.columns));
  }
}

// Hands out the next `max_rows` records, copying their cells' text.
bool YamlReader::read(RawRows& out, size_t max_rows) {
  out.clear();
  out.columns = all_.columns;
  const size_t end = std::min(all_.rows(), next_ + std::min(max_rows, all_.rows()));
  for (; next_ < end; ++next_) {
    for (size_t c = 0; c < all_.columns; ++c) {
      const std::string_view text = all_.cell(next_, c);
      out.cells.push_back({static_cast<uint32_t>(out.text.size()), static_cast<uint32_t>(text.size())});
      out.text += text;
    }
    out.lines.push_back(all_.lines[next_]);
    out.field_counts.push_back(all_.field_counts[next_]);
  }
  return out.rows() > 0;
}

namespace {
// `path` ends with `suffix` (lower case), ignoring ASCII case.
bool has_extension(std::string_view path, std::string_view suffix) {
  if (path.size() < suffix.size()) return false;
  const std::string_view tail = path.substr(path.size() - suffix.size());
  return std::equal(tail.begin(), tail.end(), suffix.begin(), [](char a, char b) {
    return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
  });
}
}  // namespace

std::unique_ptr<RecordSource> open_source(const std::string& path, const std::string& encoding) {
  const std::string name = path == "-" ? "<stdin>" : path;
  auto bytes = decoding_stream(open_file_stream(path), encoding, name);
  if (path != "-" && (has_extension(path, ".yaml") || has_extension(path, ".yml")))
    return std::make_unique<YamlReader>(name, std::move(bytes));
  return std::make_unique<CsvReader>(name, std::move(bytes));
}

std::unique_ptr<MappedCsv> open_mapped(const std::string& path, const std::string& encoding) {
  if (path == "-" || !is_utf8_name(encoding) || has_extension(path, ".yaml") || has_extension(path, ".yml"))
    return nullptr;
  return MappedCsv::open(path);
}

}  // namespace riskledger
