#include "manifest.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "error.hpp"
#include "rules.hpp"

namespace riskledger {

RulesSource read_rules_source(const std::string& path) {
  RulesSource out;
  out.path = path;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const auto builtin = builtin_rules_text(path);
    if (builtin.empty()) throw InputError(fmt::format("cannot open rules file {}", path));
    out.source = fmt::format("<built-in {}>", path);
    out.text = std::string(builtin);
    out.builtin = true;
  } else {
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw InputError(fmt::format("cannot read rules file {}", path));
    out.source = path;
    out.text = std::move(text).str();
  }
  out.sha256 = sha256_hex(out.text);
  return out;
}

std::string manifest_json(const Manifest& m) {
  using Json = nlohmann::ordered_json;
  Json j;
  j["schema"] = m.schema;
  j["tool"] = {{"name", "riskledger"}, {"version", m.tool_version}};
  j["rules"] = {{"path", m.rules.path},
                {"name", m.rules.name},
                {"version", m.rules.version},
                {"sha256", m.rules.sha256}};
  j["inputs"] = Json::array();
  for (const auto& in : m.inputs)
    j["inputs"].push_back({{"path", in.path}, {"bytes", in.bytes}, {"sha256", in.sha256}});
  j["as_of"] = m.as_of;
  j["options"] = {{"formats", m.options.formats},   {"columns", m.options.columns},
                  {"lang", m.options.lang},         {"bom", m.options.bom},
                  {"encoding", m.options.encoding}, {"group_by", m.options.group_by}};
  Json grades = Json::object();
  for (const auto& [name, count] : m.counts.per_grade) grades[name] = count;
  j["counts"] = {{"read", m.counts.read},
                 {"graded", m.counts.graded},
                 {"rejected", m.counts.rejected},
                 {"overdue", m.counts.overdue},
                 {"grades", grades}};
  j["outputs"] = Json::array();
  for (const auto& o : m.outputs) {
    Json e = {{"file", o.file}, {"role", o.role}, {"format", o.format}};
    if (o.role == "group") e["group"] = o.group;
    e["rows"] = o.rows;
    e["bytes"] = o.bytes;
    e["sha256"] = o.sha256;
    j["outputs"].push_back(std::move(e));
  }
  return j.dump(2) + "\n";
}

namespace {

// Reads `key` of `j` as T, naming the manifest and the key when it is
// missing or of the wrong type.
template <typename T>
T get(const nlohmann::ordered_json& j, const char* key, const std::string& where, const std::string& source) {
  const auto path = where.empty() ? std::string(key) : fmt::format("{}.{}", where, key);
  if (!j.is_object() || !j.contains(key))
    throw InputError(fmt::format("{}: {}: missing (not a riskledger manifest?)", source, path));
  try {
    return j.at(key).get<T>();
  } catch (const nlohmann::ordered_json::exception&) {
    throw InputError(fmt::format("{}: {}: unexpected value {}", source, path, j.at(key).dump()));
  }
}

}  // namespace

Manifest parse_manifest(std::string_view text, const std::string& source) {
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::ordered_json::parse_error& e) {
    throw InputError(fmt::format("{}: not valid JSON: {}", source, e.what()));
  }
  Manifest m;
  m.schema = get<std::string>(j, "schema", "", source);
  if (m.schema != kManifestSchema)
    throw InputError(fmt::format("{}: schema '{}' is not '{}' (made by another version?)", source, m.schema,
                                 kManifestSchema));
  m.tool_version =
      get<std::string>(get<nlohmann::ordered_json>(j, "tool", "", source), "version", "tool", source);
  const auto rules = get<nlohmann::ordered_json>(j, "rules", "", source);
  m.rules.path = get<std::string>(rules, "path", "rules", source);
  m.rules.name = get<std::string>(rules, "name", "rules", source);
  m.rules.version = get<std::string>(rules, "version", "rules", source);
  m.rules.sha256 = get<std::string>(rules, "sha256", "rules", source);
  for (const auto& in : get<nlohmann::ordered_json>(j, "inputs", "", source))
    m.inputs.push_back({get<std::string>(in, "path", "inputs[]", source),
                        get<uint64_t>(in, "bytes", "inputs[]", source),
                        get<std::string>(in, "sha256", "inputs[]", source)});
  m.as_of = get<std::string>(j, "as_of", "", source);
  const auto options = get<nlohmann::ordered_json>(j, "options", "", source);
  m.options.formats = get<std::vector<std::string>>(options, "formats", "options", source);
  m.options.columns = get<std::string>(options, "columns", "options", source);
  m.options.lang = get<std::string>(options, "lang", "options", source);
  m.options.bom = get<bool>(options, "bom", "options", source);
  m.options.encoding = get<std::string>(options, "encoding", "options", source);
  m.options.group_by = get<std::string>(options, "group_by", "options", source);
  const auto counts = get<nlohmann::ordered_json>(j, "counts", "", source);
  m.counts.read = get<uint64_t>(counts, "read", "counts", source);
  m.counts.graded = get<uint64_t>(counts, "graded", "counts", source);
  m.counts.rejected = get<uint64_t>(counts, "rejected", "counts", source);
  m.counts.overdue = get<uint64_t>(counts, "overdue", "counts", source);
  const auto grades = get<nlohmann::ordered_json>(counts, "grades", "counts", source);
  for (const auto& [name, count] : grades.items())
    m.counts.per_grade.emplace_back(name, count.get<uint64_t>());
  for (const auto& o : get<nlohmann::ordered_json>(j, "outputs", "", source)) {
    ManifestOutput out;
    out.file = get<std::string>(o, "file", "outputs[]", source);
    out.role = get<std::string>(o, "role", "outputs[]", source);
    out.format = get<std::string>(o, "format", "outputs[]", source);
    if (out.role == "group") out.group = get<std::string>(o, "group", "outputs[]", source);
    out.rows = get<uint64_t>(o, "rows", "outputs[]", source);
    out.bytes = get<uint64_t>(o, "bytes", "outputs[]", source);
    out.sha256 = get<std::string>(o, "sha256", "outputs[]", source);
    m.outputs.push_back(std::move(out));
  }
  return m;
}

std::string relative_to(const std::string& path, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto abs_path = fs::weakly_canonical(fs::absolute(path, ec), ec);
  const auto abs_dir = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  if (ec) return path;
  const auto rel = abs_path.lexically_relative(abs_dir);
  if (rel.empty() || *rel.begin() == "..") return abs_path.generic_string();
  return rel.generic_string();
}

}  // namespace riskledger
