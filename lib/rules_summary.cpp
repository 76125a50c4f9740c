#include <cmath>

#include <fmt/format.h>

#include "rules.hpp"

namespace riskledger {

namespace {

std::string transform_text(const Rules& rules, const Indicator& ind) {
  const auto& field = rules.fields[static_cast<size_t>(ind.field)].name;
  switch (ind.transform) {
    case Transform::Linear: return fmt::format("linear({}, {}..{})", field, ind.lo, ind.hi);
    case Transform::Log: return fmt::format("log({}, {}..{})", field, ind.lo, ind.hi);
    case Transform::Map: {
      const auto& values = rules.fields[static_cast<size_t>(ind.field)].values;
      std::string out = fmt::format("map({}: ", field);
      for (size_t v = 0; v < values.size(); ++v)
        out += fmt::format("{}{} {}", v ? ", " : "", values[v].code, ind.map_scores[v]);
      return out + ")";
    }
    case Transform::Bins: {
      std::string out = fmt::format("bins({}: ", field);
      for (size_t b = 0; b < ind.bins.size(); ++b) {
        if (b) out += ", ";
        if (std::isinf(ind.bins[b].upper))
          out += fmt::format("else {}", ind.bins[b].score);
        else
          out += fmt::format("<={} {}", ind.bins[b].upper, ind.bins[b].score);
      }
      return out + ")";
    }
  }
  return "";
}

}  // namespace

std::string rules_summary(const Rules& rules) {
  std::string out;
  out += fmt::format("{}: ok\n", rules.source);
  out += fmt::format("name {}, version {}, method {}, scale {}, precision {}\n", rules.name, rules.version,
                     rules.method == Method::Matrix ? "matrix" : "weighted", rules.scale, rules.precision);
  out += fmt::format("fields ({}, * required):", rules.fields.size());
  for (const auto& f : rules.fields) out += fmt::format(" {}{}", f.name, f.required ? "*" : "");
  out += '\n';
  if (rules.method == Method::Weighted) {
    out += fmt::format("indicators ({}):\n", rules.indicators.size());
    for (const auto& ind : rules.indicators)
      out += fmt::format("  {:<12} {}\n", ind.name, transform_text(rules, ind));
    out += "weights (each row normalised to 1):\n";
    out += fmt::format("  {:<20}", "");
    for (const auto& ind : rules.indicators) out += fmt::format(" {:>10}", ind.name);
    out += '\n';
    const auto& category = rules.fields[static_cast<size_t>(rules.category_field)];
    for (size_t c = 0; c < rules.weights.size(); ++c) {
      out += fmt::format("  {:<20}", category.values[c].code);
      for (double w : rules.weights[c])
        out += w > 0 ? fmt::format(" {:>10.4f}", w) : fmt::format(" {:>10}", "-");
      out += '\n';
    }
  } else {
    out += fmt::format("matrix: score = {} x {}\n",
                       rules.fields[static_cast<size_t>(rules.matrix_likelihood)].name,
                       rules.fields[static_cast<size_t>(rules.matrix_severity)].name);
  }
  out += "grades (highest first):\n";
  for (const auto& g : rules.grades)
    out += fmt::format("  {:<3} >= {:<6} {} {}, {}, lead {}, {} days, review {}\n", g.name, g.min, g.label,
                       g.color, g.handling, g.lead, g.deadline_days, g.review);
  out += fmt::format("overrides ({}):\n", rules.overrides.size());
  for (const auto& o : rules.overrides)
    out += fmt::format("  {:<14} when {} -> {} {} ({})\n", o.name, o.when, o.at_least ? "at least" : "grade",
                       rules.grades[static_cast<size_t>(o.grade)].name, o.reason);
  if (rules.warnings.empty()) out += "warnings: none\n";
  for (const auto& w : rules.warnings) out += fmt::format("warning: {}\n", w);
  return out;
}

}  // namespace riskledger
