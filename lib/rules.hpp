#pragma once
// The rules file: the whole grading policy (fields, indicators, weights,
// grades, overrides). Loaded and validated up front; immutable afterwards.
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace riskledger {

struct Expr;  // a compiled `when` expression (expression.hpp)

enum class FieldType { String, Integer, Number, Date, Enum };
std::string_view to_string(FieldType t);

// One allowed value of an enum field, e.g. category `public_order` with the
// label 社会治安 and further aliases accepted on input.
struct EnumValue {
  std::string code;
  std::string label;                 // Chinese label, used by `--lang zh`
  std::vector<std::string> aliases;  // accepted on input besides code and label
  // A status value that closes a point (not overdue): code resolved or closed.
  bool closes() const {
    const std::string_view c = code;
    return c == "resolved" || c == "closed";
  }
};

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::String;
  bool required = false;
  std::optional<std::string> default_value;  // raw text, parsed like input
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  std::string label;                 // Chinese header, used by `--lang zh`
  std::vector<std::string> aliases;  // accepted header names besides name and label
  std::vector<EnumValue> values;     // Enum only

  // Index into `values` of the code, label or alias `text` (exact, or ASCII
  // case-insensitive), or -1.
  int find_value(std::string_view text) const;
};

enum class Transform { Linear, Log, Map, Bins };

struct Bin {
  double upper;  // inclusive; +inf for the catch-all `null`
  double score;
};

// An indicator maps one field to a sub-score in [0, 1].
struct Indicator {
  std::string name;
  int field = -1;  // index into Rules::fields
  Transform transform = Transform::Linear;
  double lo = 0, hi = 1;           // Linear, Log
  double log_span = 0;             // Log: log10(1 + (hi - lo)), set with lo and hi
  std::vector<double> map_scores;  // Map: sub-score per enum value index
  std::vector<Bin> bins;           // Bins: ascending upper bounds
};

struct Grade {
  std::string name;  // "A"
  double min = 0;
  int64_t min_units = 0;  // min in 10^-precision units
  std::string min_text;   // min as decided_by prints it ("70", "45.5")
  std::string label, color, handling, lead, review;
  int deadline_days = 0;
};

struct Override {
  std::string name;
  std::string when;  // source text, as written
  std::shared_ptr<const Expr> expr;
  int grade = -1;         // index into Rules::grades
  bool at_least = false;  // false: `grade` forces; true: `at_least` raises
  std::string reason;
};

enum class Method { Weighted, Matrix };

struct Rules {
  std::string source;  // file path or "<built-in default>"
  std::string schema, name, version;
  Method method = Method::Weighted;
  double scale = 100;
  int precision = 2;
  std::vector<FieldSpec> fields;
  std::vector<Indicator> indicators;
  // weights[c][j]: weight of indicator j for category value c, normalised so
  // that each row sums to 1. Zero for indicators a row does not name.
  std::vector<std::vector<double>> weights;
  // Matrix method: the two fields multiplied (R = L x S).
  int matrix_likelihood = -1, matrix_severity = -1;
  std::vector<Grade> grades;  // highest first
  std::vector<Override> overrides;
  std::vector<std::string> warnings;  // e.g. a weight row that did not sum to 1

  // Well-known fields; -1 when the rules do not declare them.
  int id_field = -1, category_field = -1, found_on_field = -1, status_field = -1;

  int find_field(std::string_view name) const;
  int find_grade(std::string_view name) const;
  int64_t units_per_point() const;  // 10^precision
};

// Parses and validates a rules file. `source` names it in messages. Throws
// RulesError listing every problem as `source:line:col: key.path: message`.
Rules load_rules(std::string_view yaml_text, std::string source);

// Loads `path`, or a built-in rule set when `path` is "default" or "matrix"
// and no such file exists.
Rules load_rules_file(const std::string& path);

// The text of a built-in rule set ("default", "matrix"), or empty.
std::string_view builtin_rules_text(std::string_view name);

}  // namespace riskledger

namespace riskledger {
// A one-screen summary of a rules file for `rules check`.
std::string rules_summary(const Rules& rules);
}  // namespace riskledger
