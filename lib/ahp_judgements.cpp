#include "ahp_judgements.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "error.hpp"
#include "text.hpp"

namespace riskledger {

namespace {

// Judgements lie on Saaty's scale: 1/9 .. 9.
constexpr double kMinJudgement = 1.0 / 9 - 1e-9, kMaxJudgement = 9 + 1e-9;
// A full matrix is reciprocal when a_ij * a_ji is 1 within 1% (so 0.333 and 3 pass).
constexpr double kReciprocalTolerance = 0.01;

class Parser {
 public:
  Parser(std::string source, const Rules& rules) : source_(std::move(source)), rules_(rules) {}

  AhpJudgements parse(std::string_view text) {
    AhpJudgements out;
    out.source = source_;
    const auto root = YAML::Load(std::string(text));
    if (!root.IsMap()) {
      error(root, "", "expected a mapping with `categories` and/or `indicators`");
      finish();
    }
    for (const auto& kv : root) {
      const auto key = kv.first.as<std::string>();
      if (key == "schema") {
        if (!kv.second.IsScalar() || kv.second.as<std::string>() != "riskledger/ahp/v1")
          error(kv.second, "schema", "expected riskledger/ahp/v1");
      } else if (key == "categories") {
        out.categories = block(kv.second, "categories", true, kv.first.Mark().line);
      } else if (key == "indicators") {
        indicators(kv.second, out);
      } else {
        error(kv.first, key, "unknown key (expected schema, categories, indicators)");
      }
    }
    if (!out.categories && out.indicators.empty())
      error(root, "", "no judgements: give `categories`, `indicators`, or both");
    finish();
    return out;
  }

 private:
  void error(const YAML::Node& node, const std::string& path, const std::string& message) {
    const auto mark = node.Mark();
    problems_.push_back(fmt::format("{}:{}:{}: {}{}{}", source_, mark.line + 1, mark.column + 1, path,
                                    path.empty() ? "" : ": ", message));
  }

  void finish() {
    if (problems_.empty()) return;
    std::string all =
        fmt::format("{} has {} problem{}:", source_, problems_.size(), problems_.size() == 1 ? "" : "s");
    for (const auto& p : problems_) all += "\n  " + p;
    throw InputError(all);
  }

  void indicators(const YAML::Node& node, AhpJudgements& out) {
    if (!node.IsMap()) {
      error(node, "indicators", "expected a mapping of category to judgements");
      return;
    }
    const auto& category = rules_.fields[static_cast<size_t>(rules_.category_field)];
    for (const auto& kv : node) {
      const auto code = kv.first.as<std::string>();
      const auto path = "indicators." + code;
      const int c = category.find_value(code);
      if (c < 0) {
        error(kv.first, path, fmt::format("unknown category '{}'", code));
        continue;
      }
      for (const auto& [seen, _] : out.indicators)
        if (seen == static_cast<size_t>(c)) error(kv.first, path, "a second block for this category");
      if (auto b = block(kv.second, path, false, kv.first.Mark().line))
        out.indicators.emplace_back(static_cast<size_t>(c), std::move(*b));
    }
  }

  // A judgement: a number, or a fraction "a/b", on Saaty's scale.
  std::optional<double> judgement(const YAML::Node& node, const std::string& path) {
    if (!node.IsScalar()) {
      error(node, path, "expected a number such as 3 or 1/3");
      return std::nullopt;
    }
    const auto text = node.as<std::string>();
    double value = 0;
    bool ok = false;
    try {
      size_t used = 0;
      if (const auto slash = text.find('/'); slash != std::string::npos) {
        const double num = std::stod(text.substr(0, slash), &used);
        ok = used == slash;
        const auto rest = text.substr(slash + 1);
        const double den = std::stod(rest, &used);
        ok = ok && used == rest.size() && den != 0;
        value = num / den;
      } else {
        value = std::stod(text, &used);
        ok = used == text.size();
      }
    } catch (const std::exception&) {
      ok = false;
    }
    if (!ok || !std::isfinite(value)) {
      error(node, path, fmt::format("'{}' is not a number such as 3 or 1/3", text));
      return std::nullopt;
    }
    if (value < kMinJudgement || value > kMaxJudgement) {
      error(node, path, fmt::format("{} is off Saaty's scale (1/9 to 9)", text));
      return std::nullopt;
    }
    return value;
  }

  // One block: `items` and either `upper` or `matrix`.
  std::optional<PairwiseJudgements> block(const YAML::Node& node, const std::string& path, bool of_categories,
                                          int key_line) {
    if (!node.IsMap()) {
      error(node, path, "expected {items: [...], upper: [[...]]} or {items: [...], matrix: [[...]]}");
      return std::nullopt;
    }
    for (const auto& kv : node) {
      const auto key = kv.first.as<std::string>();
      if (key != "items" && key != "upper" && key != "matrix")
        error(kv.first, path + "." + key, "unknown key (expected items, upper, matrix)");
    }
    PairwiseJudgements out;
    out.where = fmt::format("{}:{}", source_, key_line + 1);
    const auto items = node["items"];
    if (!items || !items.IsSequence() || items.size() == 0) {
      error(items ? items : node, path + ".items", "expected a list of at least one name");
      return std::nullopt;
    }
    bool ok = true;
    for (const auto& item : items) {
      const auto name = item.as<std::string>();
      int index = -1;
      std::string canonical = name;
      if (of_categories) {
        const auto& category = rules_.fields[static_cast<size_t>(rules_.category_field)];
        index = category.find_value(name);
        if (index >= 0) canonical = category.values[static_cast<size_t>(index)].code;
      } else {
        for (size_t j = 0; j < rules_.indicators.size(); ++j)
          if (rules_.indicators[j].name == name) index = static_cast<int>(j);
      }
      if (index < 0) {
        std::vector<std::string> known;
        if (of_categories) {
          for (const auto& v : rules_.fields[static_cast<size_t>(rules_.category_field)].values)
            known.push_back(v.code);
        } else {
          for (const auto& ind : rules_.indicators) known.push_back(ind.name);
        }
        const auto hint = did_you_mean(name, known);
        error(item, path + ".items",
              fmt::format("unknown {} '{}'{}", of_categories ? "category" : "indicator", name,
                          hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
        ok = false;
        continue;
      }
      for (auto seen : out.index)
        if (seen == static_cast<size_t>(index)) {
          error(item, path + ".items", fmt::format("'{}' is listed twice", name));
          ok = false;
        }
      out.items.push_back(canonical);
      out.index.push_back(static_cast<size_t>(index));
    }
    const size_t n = items.size();
    if (n > 15) {
      error(items, path + ".items", fmt::format("{} items: the random index tables cover at most 15", n));
      ok = false;
    }
    if (!ok) return std::nullopt;
    const auto nn = static_cast<Eigen::Index>(n);
    out.matrix = Eigen::MatrixXd::Ones(nn, nn);
    out.upper_text.assign(n > 0 ? n - 1 : 0, {});
    const auto upper = node["upper"];
    const auto matrix = node["matrix"];
    if (upper && matrix) {
      error(matrix, path, "give either `upper` or `matrix`, not both");
      return std::nullopt;
    }
    if (!upper && !matrix) {
      if (n == 1) return out;
      error(node, path, "missing the judgements: `upper` (rows of the upper triangle) or `matrix`");
      return std::nullopt;
    }
    if (upper) {
      // Row i holds a_i,i+1 .. a_i,n; a_ji = 1 / a_ij.
      if (!upper.IsSequence() || upper.size() != n - 1) {
        error(upper, path + ".upper",
              fmt::format("expected {} row{} (n - 1 for {} items)", n - 1, n == 2 ? "" : "s", n));
        return std::nullopt;
      }
      for (size_t i = 0; i + 1 < n; ++i) {
        const auto row = upper[i];
        const auto rpath = fmt::format("{}.upper[{}]", path, i);
        if (!row.IsSequence() || row.size() != n - 1 - i) {
          error(row, rpath,
                fmt::format("expected {} judgement{} ({} against {})", n - 1 - i, n - 1 - i == 1 ? "" : "s",
                            out.items[i],
                            fmt::join(out.items.begin() + static_cast<long>(i) + 1, out.items.end(), ", ")));
          ok = false;
          continue;
        }
        for (size_t j = i + 1; j < n; ++j) {
          const auto value = judgement(
              row[j - i - 1], fmt::format("{}[{}] ({} vs {})", rpath, j - i - 1, out.items[i], out.items[j]));
          if (!value) {
            ok = false;
            continue;
          }
          const auto ii = static_cast<Eigen::Index>(i), jj = static_cast<Eigen::Index>(j);
          out.matrix(ii, jj) = *value;
          out.matrix(jj, ii) = 1 / *value;
          out.upper_text[i].push_back(row[j - i - 1].as<std::string>());
        }
      }
    } else {
      if (!matrix.IsSequence() || matrix.size() != n) {
        error(matrix, path + ".matrix", fmt::format("expected {} rows of {}", n, n));
        return std::nullopt;
      }
      for (size_t i = 0; i < n; ++i) {
        const auto row = matrix[i];
        const auto rpath = fmt::format("{}.matrix[{}]", path, i);
        if (!row.IsSequence() || row.size() != n) {
          error(row, rpath, fmt::format("expected {} judgements", n));
          ok = false;
          continue;
        }
        for (size_t j = 0; j < n; ++j) {
          const auto value =
              judgement(row[j], fmt::format("{}[{}] ({} vs {})", rpath, j, out.items[i], out.items[j]));
          if (!value) {
            ok = false;
            continue;
          }
          out.matrix(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = *value;
          if (i == j && std::fabs(*value - 1) > 1e-12)
            error(row[j], rpath,
                  fmt::format("the diagonal must be 1 ({} vs itself), got {}", out.items[i],
                              row[j].as<std::string>()));
          if (j > i) out.upper_text[i].push_back(row[j].as<std::string>());
        }
      }
      if (!ok) return std::nullopt;
      for (size_t i = 0; i < n; ++i)
        for (size_t j = i + 1; j < n; ++j) {
          const auto ii = static_cast<Eigen::Index>(i), jj = static_cast<Eigen::Index>(j);
          if (std::fabs(out.matrix(ii, jj) * out.matrix(jj, ii) - 1) > kReciprocalTolerance)
            error(matrix[j][i], fmt::format("{}.matrix[{}][{}]", path, j, i),
                  fmt::format("not reciprocal: {} vs {} is {}, so {} vs {} must be 1/{}", out.items[i],
                              out.items[j], matrix[i][j].as<std::string>(), out.items[j], out.items[i],
                              matrix[i][j].as<std::string>()));
        }
      // Use exact reciprocals below the diagonal, as the judgements above it say.
      for (size_t i = 0; i < n; ++i)
        for (size_t j = i + 1; j < n; ++j) {
          const auto ii = static_cast<Eigen::Index>(i), jj = static_cast<Eigen::Index>(j);
          out.matrix(jj, ii) = 1 / out.matrix(ii, jj);
        }
    }
    if (!ok) return std::nullopt;
    return out;
  }

  std::string source_;
  const Rules& rules_;
  std::vector<std::string> problems_;
};

}  // namespace

AhpJudgements load_ahp_judgements(std::string_view yaml_text, const std::string& source, const Rules& rules) {
  if (rules.method != Method::Weighted || rules.category_field < 0)
    throw UsageError(
        fmt::format("{}: method matrix has no weights; AHP needs a weighted rules file", rules.source));
  try {
    return Parser(source, rules).parse(yaml_text);
  } catch (const YAML::Exception& e) {
    throw InputError(fmt::format("{}:{}:{}: {}", source, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
}

AhpJudgements load_ahp_judgements_file(const std::string& path, const Rules& rules) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("cannot open judgements file {}", path));
  std::ostringstream s;
  s << in.rdbuf();
  return load_ahp_judgements(s.str(), path, rules);
}

}  // namespace riskledger
