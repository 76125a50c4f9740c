#include "rules.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include <fmt/format.h>

#include "dates.hpp"
#include "error.hpp"
#include "expression.hpp"
#include "labels.hpp"
#include "text.hpp"
#include "yaml_limits.hpp"

namespace riskledger {

RulesError::RulesError(std::vector<std::string> problems)
    : std::runtime_error(problems.empty() ? std::string("invalid rules") : problems.front()),
      problems_(std::move(problems)) {}

std::string_view to_string(FieldType t) {
  switch (t) {
    case FieldType::String: return "string";
    case FieldType::Integer: return "integer";
    case FieldType::Number: return "number";
    case FieldType::Date: return "date";
    case FieldType::Enum: return "enum";
  }
  return "?";
}

int FieldSpec::find_value(std::string_view text) const {
  for (size_t i = 0; i < values.size(); ++i) {
    const auto& v = values[i];
    if (same_bytes(v.code, text) || same_bytes(v.label, text)) return static_cast<int>(i);
    for (const auto& a : v.aliases)
      if (same_bytes(a, text)) return static_cast<int>(i);
  }
  for (size_t i = 0; i < values.size(); ++i) {
    const auto& v = values[i];
    if (iequals_ascii(v.code, text)) return static_cast<int>(i);
    for (const auto& a : v.aliases)
      if (iequals_ascii(a, text)) return static_cast<int>(i);
  }
  return -1;
}

int Rules::find_field(std::string_view field_name) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].name == field_name) return static_cast<int>(i);
  return -1;
}

int Rules::find_grade(std::string_view grade_name) const {
  for (size_t i = 0; i < grades.size(); ++i)
    if (grades[i].name == grade_name) return static_cast<int>(i);
  return -1;
}

int64_t Rules::units_per_point() const {
  int64_t u = 1;
  for (int i = 0; i < precision; ++i) u *= 10;
  return u;
}

namespace {

// Collects every problem of a rules file, each prefixed with the file, the
// node's position and the key path, then throws them all at once.
class Loader {
 public:
  explicit Loader(std::string source) : source_(std::move(source)) {}

  Rules load(std::string_view text);

 private:
  void error(const YAML::Node& node, const std::string& path, const std::string& message) {
    const auto mark = node.Mark();
    if (mark.is_null())
      problems_.push_back(fmt::format("{}: {}: {}", source_, path, message));
    else
      problems_.push_back(
          fmt::format("{}:{}:{}: {}: {}", source_, mark.line + 1, mark.column + 1, path, message));
  }
  void check_keys(const YAML::Node& map, const std::string& path, const std::vector<std::string>& known);
  void check_unique_keys(const YAML::Node& map, const std::string& path);
  std::optional<double> number(const YAML::Node& node, const std::string& path);
  std::optional<std::string> scalar(const YAML::Node& node, const std::string& path);
  std::vector<std::string> string_list(const YAML::Node& node, const std::string& path);

  void load_fields(const YAML::Node& node);
  void load_field(const std::string& name, const YAML::Node& node);
  void load_indicators(const YAML::Node& node);
  void load_indicator(const std::string& name, const YAML::Node& node);
  void load_weights(const YAML::Node& node);
  void load_matrix(const YAML::Node& node);
  void load_grades(const YAML::Node& node);
  void load_overrides(const YAML::Node& node);
  void check_well_known_fields(const YAML::Node& root);
  int field_ref(const YAML::Node& node, const std::string& path);

  std::string source_;
  Rules rules_;
  std::vector<std::string> problems_;
  std::vector<std::string> field_names_;
};

constexpr double kUnmapped = -1.0;  // map sub-score not given (sub-scores are >= 0)

std::string child(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

// YAML parsers keep one of two equal keys silently; in a rules file that
// would drop a field, an indicator or a weight without a word.
void Loader::check_unique_keys(const YAML::Node& map, const std::string& path) {
  std::unordered_set<std::string> seen;  // a set: a hostile file may have very many keys
  for (const auto& kv : map) {
    const auto key = kv.first.as<std::string>();
    if (!seen.insert(key).second) error(kv.first, child(path, key), "duplicate key");
  }
}

void Loader::check_keys(const YAML::Node& map, const std::string& path,
                        const std::vector<std::string>& known) {
  check_unique_keys(map, path);
  for (const auto& kv : map) {
    const auto key = kv.first.as<std::string>();
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    const auto hint = did_you_mean(key, known);
    error(kv.first, child(path, key),
          hint.empty() ? fmt::format("unknown key '{}'", key)
                       : fmt::format("unknown key '{}' (did you mean '{}'?)", key, hint));
  }
}

std::optional<double> Loader::number(const YAML::Node& node, const std::string& path) {
  if (!node.IsScalar()) {
    error(node, path, "expected a number");
    return std::nullopt;
  }
  auto value = parse_number(trim(node.Scalar()));
  if (!value) error(node, path, fmt::format("expected a number, got '{}'", node.Scalar()));
  return value;
}

std::optional<std::string> Loader::scalar(const YAML::Node& node, const std::string& path) {
  if (!node.IsScalar()) {
    error(node, path, "expected a single value");
    return std::nullopt;
  }
  return node.Scalar();
}

std::vector<std::string> Loader::string_list(const YAML::Node& node, const std::string& path) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
  } else if (node.IsSequence()) {
    for (size_t i = 0; i < node.size(); ++i)
      if (auto s = scalar(node[i], fmt::format("{}[{}]", path, i))) out.push_back(*s);
  } else {
    error(node, path, "expected a list of names");
  }
  return out;
}

Rules Loader::load(std::string_view text) {
  if (const size_t bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
    throw RulesError({fmt::format("{}:{}: invalid UTF-8 (byte 0x{:02X}); a rules file must be UTF-8", source_,
                                  line, static_cast<unsigned char>(text[bad]))});
  }
  YAML::Node root;
  try {
    check_yaml_limits(text);
    root = YAML::Load(std::string(text));
  } catch (const YamlLimitError& e) {
    throw RulesError({fmt::format("{}:{}:{}: {}", source_, e.line(), e.column(), e.what())});
  } catch (const YAML::ParserException& e) {
    throw RulesError(
        {fmt::format("{}:{}:{}: YAML syntax error: {}", source_, e.mark.line + 1, e.mark.column + 1, e.msg)});
  }
  rules_.source = source_;
  if (!root.IsMap()) throw RulesError({fmt::format("{}: expected a mapping of rules keys", source_)});
  check_keys(root, "",
             {"schema", "name", "version", "description", "method", "scale", "precision", "fields",
              "indicators", "weights", "matrix", "grades", "overrides"});

  if (auto schema = root["schema"]; !schema) {
    error(root, "schema", "missing (expected 'riskledger/rules/v1')");
  } else if (auto s = scalar(schema, "schema"); s && *s != "riskledger/rules/v1") {
    error(schema, "schema", fmt::format("unsupported schema '{}' (expected 'riskledger/rules/v1')", *s));
  } else if (s) {
    rules_.schema = *s;
  }
  if (auto n = root["name"]) rules_.name = scalar(n, "name").value_or("");
  if (rules_.name.empty()) error(root, "name", "missing: every rule set needs a name");
  if (auto v = root["version"]) rules_.version = scalar(v, "version").value_or("");
  if (rules_.version.empty()) error(root, "version", "missing: every rule set needs a version");

  if (auto m = root["method"]) {
    auto method = scalar(m, "method").value_or("");
    if (method == "weighted")
      rules_.method = Method::Weighted;
    else if (method == "matrix")
      rules_.method = Method::Matrix;
    else
      error(m, "method", fmt::format("unknown method '{}' (expected weighted or matrix)", method));
  }
  if (auto s = root["scale"]) {
    if (auto v = number(s, "scale")) {
      if (*v <= 0 || *v > 1e6)
        error(s, "scale", fmt::format("must be greater than 0 and at most 1000000, got {}", *v));
      else
        rules_.scale = *v;
    }
  }
  if (auto p = root["precision"]) {
    if (auto v = number(p, "precision")) {
      if (*v < 0 || *v > 6 || std::floor(*v) != *v)
        error(p, "precision", fmt::format("must be a whole number from 0 to 6, got {}", *v));
      else
        rules_.precision = static_cast<int>(*v);
    }
  }

  // Matrix scores are cells of the 5 x 5 grid: 1..25 whatever `scale` says.
  if (rules_.method == Method::Matrix) {
    if (root["scale"] && rules_.scale != 25)
      error(root["scale"], "scale", "method matrix scores run from 1 to 25: scale must be 25 (or left out)");
    rules_.scale = 25;
  }

  if (auto f = root["fields"])
    load_fields(f);
  else
    error(root, "fields", "missing: the rules must declare the record fields");
  check_well_known_fields(root);

  if (rules_.method == Method::Weighted) {
    if (auto i = root["indicators"])
      load_indicators(i);
    else
      error(root, "indicators", "missing: the weighted method needs indicators");
    if (auto w = root["weights"])
      load_weights(w);
    else
      error(root, "weights", "missing: the weighted method needs a weight row per category");
    if (root["matrix"]) error(root["matrix"], "matrix", "only used with method: matrix");
  } else {
    if (auto m = root["matrix"])
      load_matrix(m);
    else
      error(root, "matrix", "missing: method matrix needs {likelihood: FIELD, severity: FIELD}");
    if (root["indicators"]) error(root["indicators"], "indicators", "not used with method: matrix");
    if (root["weights"]) error(root["weights"], "weights", "not used with method: matrix");
  }

  if (auto g = root["grades"])
    load_grades(g);
  else
    error(root, "grades", "missing: the rules must declare at least one grade");
  if (auto o = root["overrides"]) load_overrides(o);

  if (!problems_.empty()) throw RulesError(std::move(problems_));
  return std::move(rules_);
}

void Loader::load_fields(const YAML::Node& node) {
  if (!node.IsMap()) {
    error(node, "fields", "expected a mapping of field name to declaration");
    return;
  }
  check_unique_keys(node, "fields");
  for (const auto& kv : node) field_names_.push_back(kv.first.as<std::string>());
  for (const auto& kv : node) load_field(kv.first.as<std::string>(), kv.second);
}

void Loader::load_field(const std::string& name, const YAML::Node& node) {
  const auto path = child("fields", name);
  FieldSpec f;
  f.name = name;
  if (!node.IsMap()) {
    error(node, path, "expected a mapping such as {type: integer, min: 1, max: 5}");
    rules_.fields.push_back(std::move(f));
    return;
  }
  check_keys(node, path, {"type", "required", "default", "min", "max", "label", "aliases", "values"});
  const auto type = node["type"] ? scalar(node["type"], child(path, "type")).value_or("") : "string";
  static const std::vector<std::string> kTypes = {"string", "integer", "number", "date", "enum"};
  if (type == "string")
    f.type = FieldType::String;
  else if (type == "integer")
    f.type = FieldType::Integer;
  else if (type == "number")
    f.type = FieldType::Number;
  else if (type == "date")
    f.type = FieldType::Date;
  else if (type == "enum")
    f.type = FieldType::Enum;
  else
    error(node["type"], child(path, "type"),
          fmt::format("unknown type '{}' (expected string, integer, number, date or enum)", type));

  if (auto r = node["required"]) {
    auto s = scalar(r, child(path, "required")).value_or("");
    if (s == "true")
      f.required = true;
    else if (s != "false")
      error(r, child(path, "required"), "expected true or false");
  }
  const bool numeric = f.type == FieldType::Integer || f.type == FieldType::Number;
  for (const char* bound : {"min", "max"}) {
    auto b = node[bound];
    if (!b) continue;
    if (!numeric) {
      error(b, child(path, bound), fmt::format("only integer and number fields have a {}", bound));
      continue;
    }
    if (auto v = number(b, child(path, bound))) (std::string_view(bound) == "min" ? f.min : f.max) = *v;
  }
  if (f.min > f.max) error(node, path, fmt::format("min {} is greater than max {}", f.min, f.max));
  if (auto l = node["label"]) f.label = scalar(l, child(path, "label")).value_or("");
  if (auto a = node["aliases"]) f.aliases = string_list(a, child(path, "aliases"));

  if (auto v = node["values"]) {
    if (f.type != FieldType::Enum) {
      error(v, child(path, "values"), "only enum fields have values");
    } else if (!v.IsMap()) {
      error(v, child(path, "values"), "expected a mapping of code to {label, aliases}");
    } else {
      check_unique_keys(v, child(path, "values"));
      for (const auto& kv : v) {
        EnumValue ev;
        ev.code = kv.first.as<std::string>();
        const auto vpath = child(child(path, "values"), ev.code);
        if (kv.second.IsMap()) {
          check_keys(kv.second, vpath, {"label", "aliases"});
          if (auto l = kv.second["label"]) ev.label = scalar(l, child(vpath, "label")).value_or("");
          if (auto a = kv.second["aliases"]) ev.aliases = string_list(a, child(vpath, "aliases"));
        } else if (!kv.second.IsNull()) {
          error(kv.second, vpath, "expected {label: ..., aliases: [...]} or nothing");
        }
        for (const auto* text : {&ev.code, &ev.label}) {
          if (!text->empty() && f.find_value(*text) >= 0)
            error(kv.first, vpath,
                  fmt::format("'{}' is already a code, label or alias of another value", *text));
        }
        for (const auto& alias : ev.aliases)
          if (f.find_value(alias) >= 0)
            error(kv.first, vpath,
                  fmt::format("'{}' is already a code, label or alias of another value", alias));
        f.values.push_back(std::move(ev));
      }
    }
  }
  if (f.type == FieldType::Enum && f.values.empty()) error(node, path, "an enum field needs values");
  if (f.values.size() > 65534) error(node, path, "an enum field may have at most 65534 values");

  if (auto d = node["default"]) {
    if (auto s = scalar(d, child(path, "default"))) {
      f.default_value = *s;
      const auto text = trim(*s);
      bool ok = true;
      if (numeric) {
        auto v = parse_number(text);
        ok = v && *v >= f.min && *v <= f.max && (f.type == FieldType::Number || std::floor(*v) == *v);
      } else if (f.type == FieldType::Date) {
        ok = parse_date(text).has_value();
      } else if (f.type == FieldType::Enum) {
        ok = f.find_value(text) >= 0;
      }
      if (!ok)
        error(d, child(path, "default"),
              fmt::format("'{}' is not a valid {} value for this field", *s, to_string(f.type)));
      if (f.required) error(d, child(path, "default"), "a required field cannot have a default");
    }
  }
  rules_.fields.push_back(std::move(f));
}

void Loader::check_well_known_fields(const YAML::Node& root) {
  auto need = [&](const char* name, FieldType type, bool required, int& slot) {
    slot = rules_.find_field(name);
    if (slot < 0) {
      if (required)
        error(root["fields"] ? root["fields"] : root, "fields",
              fmt::format("the rules must declare the field '{}'", name));
      return;
    }
    const auto& f = rules_.fields[static_cast<size_t>(slot)];
    if (f.type != type)
      error(root["fields"][name], child("fields", name), fmt::format("must be of type {}", to_string(type)));
  };
  need("id", FieldType::String, true, rules_.id_field);
  need("category", FieldType::Enum, true, rules_.category_field);
  need("found_on", FieldType::Date, false, rules_.found_on_field);
  need("status", FieldType::Enum, false, rules_.status_field);
  if (rules_.status_field >= 0) {
    const auto& status = rules_.fields[static_cast<size_t>(rules_.status_field)];
    const bool can_close = std::any_of(status.values.begin(), status.values.end(),
                                       [](const EnumValue& v) { return v.closes(); });
    if (!can_close && status.type == FieldType::Enum)
      rules_.warnings.push_back(
          fmt::format("{}: fields.status: no value 'resolved' or 'closed', so no point counts "
                      "as closed and every point past its deadline is overdue",
                      source_));
  }
  if (rules_.id_field >= 0 && !rules_.fields[static_cast<size_t>(rules_.id_field)].required)
    error(root["fields"]["id"], "fields.id", "must be required: true (一点一号)");
  if (rules_.category_field >= 0 && !rules_.fields[static_cast<size_t>(rules_.category_field)].required &&
      !rules_.fields[static_cast<size_t>(rules_.category_field)].default_value)
    error(root["fields"]["category"], "fields.category", "must be required or have a default");
}

int Loader::field_ref(const YAML::Node& node, const std::string& path) {
  auto name = scalar(node, path);
  if (!name) return -1;
  const int index = rules_.find_field(*name);
  if (index < 0) {
    const auto hint = did_you_mean(*name, field_names_);
    error(node, path,
          hint.empty() ? fmt::format("unknown field '{}'", *name)
                       : fmt::format("unknown field '{}' (did you mean '{}'?)", *name, hint));
  }
  return index;
}

void Loader::load_indicators(const YAML::Node& node) {
  if (!node.IsMap()) {
    error(node, "indicators", "expected a mapping of indicator name to {field, transform}");
    return;
  }
  check_unique_keys(node, "indicators");
  for (const auto& kv : node) load_indicator(kv.first.as<std::string>(), kv.second);
  if (rules_.indicators.empty()) error(node, "indicators", "at least one indicator is needed");
  if (rules_.indicators.size() > 64) error(node, "indicators", "at most 64 indicators are supported");
}

// Transforms (each gives a sub-score in [0, 1]):
//   linear: [lo, hi]  s = clamp((v - lo) / (hi - lo), 0, 1)
//   log:    [lo, hi]  s = clamp(log10(1 + max(v - lo, 0)) / log10(1 + (hi - lo)), 0, 1)
//   map:    {code: s} for enum fields; every value of the field must be mapped
//   bins:   [[upper, s], ..., [null, s]]  s of the first bin with v <= upper
void Loader::load_indicator(const std::string& name, const YAML::Node& node) {
  const auto path = child("indicators", name);
  Indicator ind;
  ind.name = name;
  if (!node.IsMap()) {
    error(node, path, "expected a mapping such as {field: severity, linear: [1, 5]}");
    return;
  }
  check_keys(node, path, {"field", "linear", "log", "map", "bins"});
  if (auto f = node["field"])
    ind.field = field_ref(f, child(path, "field"));
  else
    error(node, path, "missing 'field'");
  const FieldSpec* field = ind.field >= 0 ? &rules_.fields[static_cast<size_t>(ind.field)] : nullptr;

  int transforms = 0;
  for (const char* key : {"linear", "log", "map", "bins"}) transforms += node[key] ? 1 : 0;
  if (transforms != 1) {
    error(node, path, "needs exactly one transform: linear, log, map or bins");
    rules_.indicators.push_back(std::move(ind));
    return;
  }
  const bool numeric = field && (field->type == FieldType::Integer || field->type == FieldType::Number);
  auto require_numeric = [&](const char* transform) {
    if (field && !numeric)
      error(node["field"], child(path, "field"),
            fmt::format("'{}' is a {} field; {} needs an integer or number field", field->name,
                        to_string(field->type), transform));
  };
  if (auto t = node["linear"] ? node["linear"] : node["log"]) {
    const bool is_log = static_cast<bool>(node["log"]);
    const auto tpath = child(path, is_log ? "log" : "linear");
    ind.transform = is_log ? Transform::Log : Transform::Linear;
    require_numeric(is_log ? "log" : "linear");
    if (!t.IsSequence() || t.size() != 2) {
      error(t, tpath, "expected [lo, hi]");
    } else {
      auto lo = number(t[0], tpath + "[0]");
      auto hi = number(t[1], tpath + "[1]");
      if (lo && hi) {
        ind.lo = *lo;
        ind.hi = *hi;
        if (is_log) ind.log_span = std::log10(1.0 + (*hi - *lo));
        if (is_log ? !(*hi > *lo) : *lo == *hi)
          error(t, tpath, is_log ? "hi must be greater than lo" : "lo and hi must differ");
      }
    }
  } else if (auto m = node["map"]) {
    ind.transform = Transform::Map;
    const auto tpath = child(path, "map");
    if (field && field->type != FieldType::Enum) {
      error(node["field"], child(path, "field"),
            fmt::format("'{}' is a {} field; map needs an enum field", field->name, to_string(field->type)));
    } else if (!m.IsMap()) {
      error(m, tpath, "expected a mapping of value to sub-score");
    } else if (field) {
      ind.map_scores.assign(field->values.size(), kUnmapped);
      for (const auto& kv : m) {
        const auto key = kv.first.as<std::string>();
        const int v = field->find_value(key);
        if (v < 0) {
          error(kv.first, child(tpath, key), fmt::format("'{}' is not a value of {}", key, field->name));
          continue;
        }
        if (auto s = number(kv.second, child(tpath, key))) {
          if (*s < 0 || *s > 1) error(kv.second, child(tpath, key), "a sub-score must be between 0 and 1");
          ind.map_scores[static_cast<size_t>(v)] = *s;
        }
      }
      for (size_t v = 0; v < field->values.size(); ++v)
        if (ind.map_scores[v] == kUnmapped)
          error(m, tpath,
                fmt::format("no sub-score for value '{}' of {}", field->values[v].code, field->name));
    }
  } else if (auto b = node["bins"]) {
    ind.transform = Transform::Bins;
    const auto tpath = child(path, "bins");
    require_numeric("bins");
    if (!b.IsSequence() || b.size() == 0) {
      error(b, tpath, "expected [[upper, sub-score], ..., [null, sub-score]]");
    } else {
      for (size_t i = 0; i < b.size(); ++i) {
        const auto bpath = fmt::format("{}[{}]", tpath, i);
        const auto& bin = b[i];
        if (!bin.IsSequence() || bin.size() != 2) {
          error(bin, bpath, "expected [upper, sub-score]");
          continue;
        }
        Bin out{std::numeric_limits<double>::infinity(), 0};
        const bool open_ended = bin[0].IsNull();
        if (!open_ended) {
          if (auto u = number(bin[0], bpath + "[0]")) out.upper = *u;
        } else if (i + 1 != b.size()) {
          error(bin[0], bpath + "[0]", "only the last bin can be open-ended (null)");
        }
        if (auto s = number(bin[1], bpath + "[1]")) {
          if (*s < 0 || *s > 1) error(bin[1], bpath + "[1]", "a sub-score must be between 0 and 1");
          out.score = *s;
        }
        if (!ind.bins.empty() && !(out.upper > ind.bins.back().upper))
          error(bin, bpath, "upper bounds must increase");
        ind.bins.push_back(out);
      }
      if (!ind.bins.empty() && std::isfinite(ind.bins.back().upper))
        error(b, tpath, "the last bin must be [null, sub-score] so that every value falls in a bin");
    }
  }
  rules_.indicators.push_back(std::move(ind));
}

void Loader::load_weights(const YAML::Node& node) {
  if (!node.IsMap()) {
    error(node, "weights", "expected a mapping of category to {indicator: weight}");
    return;
  }
  if (rules_.category_field < 0) return;
  const auto& category = rules_.fields[static_cast<size_t>(rules_.category_field)];
  std::vector<std::string> indicator_names;
  for (const auto& ind : rules_.indicators) indicator_names.push_back(ind.name);
  std::vector<std::string> codes;
  for (const auto& v : category.values) codes.push_back(v.code);

  rules_.weights.assign(category.values.size(), std::vector<double>(rules_.indicators.size(), 0.0));
  std::vector<bool> seen(category.values.size(), false);
  for (const auto& kv : node) {
    const auto code = kv.first.as<std::string>();
    const auto rpath = child("weights", code);
    const int c = category.find_value(code);
    if (c < 0) {
      const auto hint = did_you_mean(code, codes);
      error(kv.first, rpath,
            hint.empty() ? fmt::format("unknown category '{}'", code)
                         : fmt::format("unknown category '{}' (did you mean '{}'?)", code, hint));
      continue;
    }
    if (seen[static_cast<size_t>(c)]) error(kv.first, rpath, "a second row for this category");
    seen[static_cast<size_t>(c)] = true;
    if (!kv.second.IsMap()) {
      error(kv.second, rpath, "expected a mapping of indicator to weight");
      continue;
    }
    check_unique_keys(kv.second, rpath);
    auto& row = rules_.weights[static_cast<size_t>(c)];
    double sum = 0;
    bool row_ok = true;
    for (const auto& w : kv.second) {
      const auto name = w.first.as<std::string>();
      const auto wpath = child(rpath, name);
      const auto it = std::find(indicator_names.begin(), indicator_names.end(), name);
      if (it == indicator_names.end()) {
        const auto hint = did_you_mean(name, indicator_names);
        error(w.first, wpath,
              hint.empty() ? fmt::format("unknown indicator '{}'", name)
                           : fmt::format("unknown indicator '{}' (did you mean '{}'?)", name, hint));
        row_ok = false;
        continue;
      }
      auto value = number(w.second, wpath);
      if (!value || *value < 0) {
        if (value) error(w.second, wpath, fmt::format("weights cannot be negative, got {}", *value));
        row_ok = false;
        continue;
      }
      row[static_cast<size_t>(it - indicator_names.begin())] = *value;
      sum += *value;
    }
    // Row normalisation: w_j = given_j / sum of the row (added in file order).
    if (!row_ok) continue;
    if (!(sum > 0)) {
      error(kv.second, rpath, "the weights of a row must not all be zero");
      continue;
    }
    if (std::fabs(sum - 1.0) > 1e-9)
      rules_.warnings.push_back(fmt::format("{}:{}: {}: weights sum to {:.10g}, normalised to 1", source_,
                                            kv.second.Mark().line + 1, rpath, sum));
    for (auto& w : row) w /= sum;
  }
  for (size_t c = 0; c < seen.size(); ++c)
    if (!seen[c])
      error(node, "weights", fmt::format("no weight row for category '{}'", category.values[c].code));
}

void Loader::load_matrix(const YAML::Node& node) {
  if (!node.IsMap()) {
    error(node, "matrix", "expected {likelihood: FIELD, severity: FIELD}");
    return;
  }
  check_keys(node, "matrix", {"likelihood", "severity"});
  for (const char* axis : {"likelihood", "severity"}) {
    const auto apath = child("matrix", axis);
    int& slot = std::string_view(axis) == "likelihood" ? rules_.matrix_likelihood : rules_.matrix_severity;
    if (!node[axis]) {
      error(node, apath, "missing");
      continue;
    }
    slot = field_ref(node[axis], apath);
    if (slot < 0) continue;
    const auto& f = rules_.fields[static_cast<size_t>(slot)];
    if (f.type != FieldType::Integer || !f.required || f.min < 1 || f.max > 5)
      error(node[axis], apath,
            fmt::format("'{}' must be a required integer field with min >= 1 and max <= 5", f.name));
  }
}

void Loader::load_grades(const YAML::Node& node) {
  if (!node.IsSequence() || node.size() == 0) {
    error(node, "grades", "expected a list of grades, highest first");
    return;
  }
  const int64_t unit = rules_.units_per_point();
  for (size_t i = 0; i < node.size(); ++i) {
    const auto gpath = fmt::format("grades[{}]", i);
    const auto& g = node[i];
    if (!g.IsMap()) {
      error(g, gpath, "expected a mapping such as {grade: A, min: 70, ...}");
      continue;
    }
    check_keys(g, gpath, {"grade", "min", "label", "color", "handling", "lead", "deadline_days", "review"});
    Grade grade;
    auto text = [&](const char* key) {
      return g[key] ? scalar(g[key], child(gpath, key)).value_or("") : std::string();
    };
    grade.name = text("grade");
    if (grade.name.empty())
      error(g, gpath, "missing 'grade' (its name, e.g. A)");
    else if (rules_.find_grade(grade.name) >= 0)
      error(g["grade"], child(gpath, "grade"), "duplicate grade name");
    grade.label = text("label");
    grade.color = text("color");
    if (!grade.color.empty() && color_hex(grade.color).empty())
      error(g["color"], child(gpath, "color"),
            "unknown colour '" + grade.color +
                "' (expected red, orange, yellow, green, blue, purple, gray or #RRGGBB)");
    grade.handling = text("handling");
    grade.lead = text("lead");
    grade.review = text("review");
    if (!g["min"]) {
      error(g, child(gpath, "min"), "missing");
    } else if (auto m = number(g["min"], child(gpath, "min"))) {
      grade.min = *m;
      grade.min_text = fmt::format("{}", *m);
      const double scaled = *m * static_cast<double>(unit);
      grade.min_units = std::llround(scaled);
      if (std::fabs(scaled - static_cast<double>(grade.min_units)) > 1e-6)
        error(g["min"], child(gpath, "min"),
              fmt::format("{} has more decimals than precision {} allows", *m, rules_.precision));
      if (!rules_.grades.empty() && !(grade.min < rules_.grades.back().min))
        error(g["min"], child(gpath, "min"),
              fmt::format("grades must be listed highest first: min {} is not below {}'s {}", *m,
                          rules_.grades.back().name, rules_.grades.back().min));
    }
    if (!g["deadline_days"]) {
      error(g, child(gpath, "deadline_days"), "missing");
    } else if (auto d = number(g["deadline_days"], child(gpath, "deadline_days"))) {
      if (*d < 0 || *d > 3650 || std::floor(*d) != *d)
        error(g["deadline_days"], child(gpath, "deadline_days"),
              "must be a whole number of days from 0 to 3650");
      else
        grade.deadline_days = static_cast<int>(*d);
    }
    rules_.grades.push_back(std::move(grade));
  }
  // Every possible score must reach some grade.
  const double lowest_possible = rules_.method == Method::Matrix ? 1.0 : 0.0;
  if (!rules_.grades.empty() && rules_.grades.back().min > lowest_possible)
    error(node[node.size() - 1]["min"] ? node[node.size() - 1]["min"] : node,
          fmt::format("grades[{}].min", node.size() - 1),
          fmt::format("the lowest grade must start at {} so that every score gets a grade", lowest_possible));
}

void Loader::load_overrides(const YAML::Node& node) {
  if (!node.IsSequence()) {
    error(node, "overrides", "expected a list of overrides");
    return;
  }
  std::vector<std::string> grade_names;
  for (const auto& g : rules_.grades) grade_names.push_back(g.name);
  for (size_t i = 0; i < node.size(); ++i) {
    const auto opath = fmt::format("overrides[{}]", i);
    const auto& o = node[i];
    if (!o.IsMap()) {
      error(o, opath, "expected a mapping such as {name: ..., when: ..., grade: A}");
      continue;
    }
    check_keys(o, opath, {"name", "when", "grade", "at_least", "reason"});
    Override ov;
    ov.name = o["name"] ? scalar(o["name"], child(opath, "name")).value_or("") : "";
    if (ov.name.empty()) error(o, child(opath, "name"), "missing");
    ov.reason = o["reason"] ? scalar(o["reason"], child(opath, "reason")).value_or("") : "";
    if (o["grade"] && o["at_least"]) {
      error(o, opath, "give either 'grade' (forces) or 'at_least' (raises), not both");
    } else if (!o["grade"] && !o["at_least"]) {
      error(o, opath, "needs 'grade' (forces) or 'at_least' (raises)");
    } else {
      ov.at_least = static_cast<bool>(o["at_least"]);
      const auto key = ov.at_least ? "at_least" : "grade";
      const auto name = scalar(o[key], child(opath, key)).value_or("");
      ov.grade = rules_.find_grade(name);
      if (ov.grade < 0 && !rules_.grades.empty())
        error(o[key], child(opath, key),
              fmt::format("unknown grade '{}' (grades: {})", name, fmt::join(grade_names, ", ")));
    }
    if (auto w = o["when"]) {
      ov.when = scalar(w, child(opath, "when")).value_or("");
      try {
        ov.expr = compile_expression(ov.when, rules_.fields);
      } catch (const ExpressionError& e) {
        // Point at the offending column inside the quoted expression when we can.
        const auto mark = w.Mark();
        const bool quoted = w.Tag() == "!";
        const auto col = mark.column + 1 + (quoted ? 1 : 0) + static_cast<int>(e.column()) - 1;
        problems_.push_back(fmt::format("{}:{}:{}: {}.when: {} (in \"{}\")", source_, mark.line + 1, col,
                                        opath, e.what(), ov.when));
      }
    } else {
      error(o, child(opath, "when"), "missing");
    }
    rules_.overrides.push_back(std::move(ov));
  }
}

// A rules file is a page or two of YAML; reading stops past this size, so
// that a wrong path (a device, a data file) cannot take unbounded memory.
constexpr size_t kMaxRulesBytes = size_t{1} << 20;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("cannot open rules file {}", path));
  std::string text(kMaxRulesBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw InputError(fmt::format("cannot read rules file {}", path));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxRulesBytes)
    throw RulesError({fmt::format("{}: larger than 1 MiB (the limit for a rules file)", path)});
  return text;
}

}  // namespace

Rules load_rules(std::string_view yaml_text, std::string source) {
  try {
    return Loader(source).load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw RulesError({fmt::format("{}:{}:{}: {}", source, e.mark.line + 1, e.mark.column + 1, e.msg)});
  }
}

Rules load_rules_file(const std::string& path) {
  std::ifstream probe(path, std::ios::binary);
  if (!probe) {
    const auto builtin = builtin_rules_text(path);
    if (!builtin.empty()) return load_rules(builtin, fmt::format("<built-in {}>", path));
  }
  return load_rules(read_file(path), path);
}

}  // namespace riskledger
