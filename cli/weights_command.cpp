#include "weights_command.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include <fmt/format.h>

#include "ahp_judgements.hpp"
#include "error.hpp"
#include "files.hpp"
#include "pipeline.hpp"
#include "rules_writer.hpp"
#include "sub_scores.hpp"
#include "text.hpp"
#include "version.hpp"
#include "weights.hpp"

namespace riskledger::cli {

namespace {

void add_output_options(CLI::App* sub, WeightsOutputOptions& options) {
  sub->add_option("--base", options.base,
                  "Rules file the weights are written into a copy of ('default' for the built-in set)")
      ->capture_default_str();
  sub->add_option("-o,--output", options.output,
                  "Write the rules file with the new weights here (without it, only the report is printed)");
  sub->add_option("--decimals", options.decimals,
                  "Decimals of the written weights (each row sums to exactly 1)")
      ->check(CLI::Range(1, 9))
      ->capture_default_str();
  sub->add_flag("-q,--quiet", options.quiet, "Print nothing on stderr but errors");
}

// The category codes of the rules, in order.
const std::vector<EnumValue>& categories(const Rules& rules) {
  return rules.fields[static_cast<size_t>(rules.category_field)].values;
}

std::string describe_rules(const Rules& rules) {
  return fmt::format("{} {} ({})", rules.name, rules.version, rules.source);
}

// A rules row as rounded units, the weights the rules file will hold.
std::vector<std::vector<int64_t>> round_rows(const std::vector<std::vector<double>>& rows, int decimals) {
  std::vector<std::vector<int64_t>> units;
  for (const auto& row : rows) units.push_back(round_weights(row, decimals));
  return units;
}

std::string weight_text(int64_t units, int decimals) {
  std::string s;
  append_fixed(s, units, decimals);
  return s;
}

// Writes the rules text after checking that it loads and carries the weights.
void write_rules(const WeightsOutputOptions& options, const Rules& base,
                 const std::vector<std::vector<int64_t>>& units, const std::vector<std::string>& provenance) {
  const auto text =
      rules_with_weights(rules_file_text(options.base), base, units, options.decimals, provenance);
  const auto written = load_rules(text, options.output);  // throws RulesError if something went wrong
  for (size_t c = 0; c < units.size(); ++c)
    for (size_t j = 0; j < units[c].size(); ++j) {
      const double expected = static_cast<double>(units[c][j]) / std::pow(10.0, options.decimals);
      if (std::fabs(written.weights[c][j] - expected) > 1e-9)
        throw InputError(fmt::format("{}: the written weights do not read back as derived", options.output));
    }
  write_file_atomic(options.output, text);
  if (!options.quiet) fmt::print(stderr, "wrote {}\n", options.output);
}

std::string join_doubles(const std::vector<double>& values) {
  std::string s;
  for (size_t i = 0; i < values.size(); ++i) s += fmt::format("{}{:.6f}", i ? ", " : "", values[i]);
  return s;
}

}  // namespace

void setup_weights(CLI::App& app, int& exit_code) {
  auto* weights =
      app.add_subcommand("weights", "Derive weights (AHP, entropy, CRITIC) and write a rules file");
  weights->require_subcommand(1);

  auto ahp = std::make_shared<AhpOptions>();
  auto* sub = weights->add_subcommand("ahp", "Weights from pairwise judgements (analytic hierarchy process)");
  sub->add_option("judgements", ahp->judgements, "Judgements file (YAML, see docs/weights.md)")->required();
  sub->add_option("--method", ahp->method, "Priority method: eigenvector or geometric-mean")
      ->check(CLI::IsMember({"eigenvector", "geometric-mean"}))
      ->capture_default_str();
  sub->add_option("--ri", ahp->ri, "Random index table for CR: saaty or alonso-lamata")
      ->check(CLI::IsMember({"saaty", "alonso-lamata"}))
      ->capture_default_str();
  sub->add_flag("--allow-inconsistent", ahp->allow_inconsistent,
                "Write the weights even when a CR is 0.10 or more (recorded in the provenance)");
  add_output_options(sub, ahp->out);
  sub->footer(std::string("Example: riskledger weights ahp examples/ahp.yaml --base rules/default.yaml -o "
                          "rules/ahp.yaml\n") +
              kExitCodesHelp);
  sub->callback([ahp, &exit_code] { exit_code = run_weights_ahp(*ahp); });

  for (const bool critic : {false, true}) {
    auto options = std::make_shared<ObjectiveWeightsOptions>();
    options->critic = critic;
    auto* obj = weights->add_subcommand(
        critic ? "critic" : "entropy",
        critic ? "Weights from the indicators' contrast and conflict over a data set (CRITIC)"
               : "Weights from the indicators' information entropy over a data set");
    obj->add_option("inputs", options->inputs, "Record files (CSV or YAML), as for grade")->required();
    obj->add_option("--encoding", options->encoding, "Input encoding: utf-8, or gb18030 / gbk")
        ->capture_default_str();
    obj->add_option("--blend", options->blend,
                    "Share of the base weights in the result: (1 - B) x derived + B x base")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    add_output_options(obj, options->out);
    obj->footer(
        fmt::format("Example: riskledger weights {} examples/sweep.csv --blend 0.5 -o rules/{}.yaml\n{}",
                    critic ? "critic" : "entropy", critic ? "critic" : "entropy", kExitCodesHelp));
    obj->callback([options, &exit_code] { exit_code = run_weights_objective(*options); });
  }
}

namespace {

// The report of one AHP block, and whether it is consistent.
bool report_block(std::string& out, const std::string& title, const PairwiseJudgements& block,
                  const AhpResult& result, const std::vector<int64_t>& units, int decimals, RiTable table) {
  out += fmt::format("{}: {} item{} ({})\n", title, block.items.size(), block.items.size() == 1 ? "" : "s",
                     block.where);
  size_t width = 4;
  for (const auto& item : block.items) width = std::max(width, item.size());
  out += fmt::format("  {:<{}}  weight  (derived)\n", "item", width);
  for (size_t i = 0; i < block.items.size(); ++i)
    out += fmt::format("  {:<{}}  {:<6}  ({:.6f})\n", block.items[i], width, weight_text(units[i], decimals),
                       result.weights[i]);
  const bool consistent = result.cr < kMaxConsistencyRatio;
  out += fmt::format("  lambda_max {:.4f}, CI {:.4f}, RI {} ({}), CR {:.4f}: {}\n", result.lambda_max,
                     result.ci, result.ri, to_string(table), result.cr,
                     consistent ? "consistent (CR < 0.10)" : "INCONSISTENT (CR >= 0.10)");
  if (!consistent) {
    out += "  the judgements that disagree most with the derived weights:\n";
    for (size_t d = 0; d < std::min<size_t>(3, result.disagreements.size()); ++d) {
      const auto& x = result.disagreements[d];
      out += fmt::format("    {} vs {}: judged {}, the weights give {:.2f}\n", block.items[x.i],
                         block.items[x.j], block.upper_text[x.i][x.j - x.i - 1], x.implied);
    }
  }
  return consistent;
}

std::string upper_text(const PairwiseJudgements& block) {
  std::string s;
  for (size_t i = 0; i < block.upper_text.size(); ++i) {
    s += i ? ", [" : "[";
    for (size_t j = 0; j < block.upper_text[i].size(); ++j) s += (j ? ", " : "") + block.upper_text[i][j];
    s += "]";
  }
  return s;
}

std::string provenance_line(const std::string& title, const PairwiseJudgements& block, const AhpResult& r) {
  return fmt::format(
      "{}: items [{}]; upper [{}]; weights [{}]; lambda_max {:.4f}, CI {:.4f}, RI {}, CR {:.4f}{}", title,
      fmt::join(block.items, ", "), upper_text(block), join_doubles(r.weights), r.lambda_max, r.ci, r.ri,
      r.cr, r.cr < kMaxConsistencyRatio ? "" : " (accepted with --allow-inconsistent)");
}

}  // namespace

int run_weights_ahp(const AhpOptions& options) {
  // 1. The base rules, the conventions, the judgements.
  const auto base =
      load_weighted_rules("--base", options.out.base, options.out.quiet, "; AHP needs a weighted rules file");
  const auto method = options.method == "eigenvector" ? AhpMethod::Eigenvector : AhpMethod::GeometricMean;
  const auto table = options.ri == "saaty" ? RiTable::Saaty : RiTable::AlonsoLamata;
  const auto judgements = load_ahp_judgements_file(options.judgements, base);

  std::string out =
      fmt::format("AHP weights: {} method; random index table {} ({})\njudgements {}; base rules {}\n",
                  method == AhpMethod::Eigenvector ? "principal eigenvector" : "geometric mean",
                  to_string(table), citation(table), options.judgements, describe_rules(base));
  std::vector<std::string> provenance = {
      fmt::format("Weights derived by riskledger {} weights ahp ({} method, random index table {}).",
                  kVersion, to_string(method), to_string(table)),
      fmt::format("base rules: {}; judgements: {}", describe_rules(base), options.judgements)};
  bool consistent = true;

  // 2. The categories, when judged: reported and recorded (each rules row is
  //    normalised within its category, so they change no score).
  std::vector<double> category_weight;
  if (judgements.categories) {
    const auto& block = *judgements.categories;
    const auto r = ahp_priorities(block.matrix, method, table);
    out += "\n";
    consistent = report_block(out, "categories", block, r, round_weights(r.weights, options.out.decimals),
                              options.out.decimals, table) &&
                 consistent;
    out += "  (category weights do not change any score: each rules row is normalised within its category)\n";
    provenance.push_back(provenance_line("categories", block, r));
    category_weight.assign(categories(base).size(), -1.0);
    for (size_t i = 0; i < block.index.size(); ++i) category_weight[block.index[i]] = r.weights[i];
  }

  // 3. The indicators of each judged category: a new weight row.
  auto rows = base.weights;
  std::vector<bool> judged(rows.size(), false);
  std::string global;
  for (const auto& [c, block] : judgements.indicators) {
    const auto& code = categories(base)[c].code;
    const auto r = ahp_priorities(block.matrix, method, table);
    std::fill(rows[c].begin(), rows[c].end(), 0.0);
    for (size_t i = 0; i < block.index.size(); ++i) rows[c][block.index[i]] = r.weights[i];
    judged[c] = true;
    const auto units = round_weights(r.weights, options.out.decimals);
    out += "\n";
    consistent = report_block(out, "indicators of " + code, block, r, units, options.out.decimals, table) &&
                 consistent;
    std::vector<std::string> dropped;
    for (size_t j = 0; j < base.indicators.size(); ++j)
      if (base.weights[c][j] > 0 && rows[c][j] == 0) dropped.push_back(base.indicators[j].name);
    if (!dropped.empty())
      out += fmt::format("  not judged, so weight 0 in this row: {}\n", fmt::join(dropped, ", "));
    provenance.push_back(provenance_line(code, block, r));
    // Global priorities (hierarchical AHP): category weight x indicator weight.
    if (!category_weight.empty() && category_weight[c] >= 0)
      for (size_t i = 0; i < block.items.size(); ++i)
        global += fmt::format("  {:<20} {:<12} {:.6f} x {:.6f} = {:.6f}\n", code, block.items[i],
                              category_weight[c], r.weights[i], category_weight[c] * r.weights[i]);
  }
  if (!global.empty()) out += "\nglobal priorities (category weight x indicator weight):\n" + global;
  std::vector<std::string> kept;
  for (size_t c = 0; c < rows.size(); ++c)
    if (!judged[c]) kept.push_back(categories(base)[c].code);
  if (!kept.empty()) {
    out += fmt::format("\nrows not judged keep the base weights: {}\n", fmt::join(kept, ", "));
    provenance.push_back(fmt::format("rows not judged keep the base weights: {}", fmt::join(kept, ", ")));
  }
  write_stdout(out);

  // 4. Refuse inconsistent judgements unless told otherwise; then write.
  if (!consistent && !options.allow_inconsistent) {
    fmt::print(stderr,
               "riskledger: the judgements are inconsistent (CR >= 0.10); revise those listed above, or pass "
               "--allow-inconsistent to use them anyway\n");
    return kExitFailed;
  }
  if (!options.out.output.empty())
    write_rules(options.out, base, round_rows(rows, options.out.decimals), provenance);
  return kExitOk;
}

int run_weights_objective(const ObjectiveWeightsOptions& options) {
  const std::string method = options.critic ? "critic" : "entropy";
  // 1. The base rules and the records, graded with them (rejected records left out).
  const auto base = load_weighted_rules("--base", options.out.base, options.out.quiet,
                                        fmt::format("; {} needs a weighted rules file", method));
  const auto inputs = load_inputs(options.inputs, base, options.encoding);
  const auto run = grade_inputs(inputs, base);
  // 2. Sub-scores per category, and each category's weights.
  const auto matrices = collect_sub_scores(base, inputs, run.graded);
  std::string out = fmt::format("{} weights from {} graded records (read {}, rejected {}); base rules {}\n",
                                options.critic ? "CRITIC" : "Entropy", run.graded.size(), run.read,
                                run.rejected, describe_rules(base));
  if (options.blend > 0)
    out += fmt::format("weight = {:.2f} x derived + {:.2f} x base\n", 1 - options.blend, options.blend);
  std::vector<std::string> provenance = {
      fmt::format("Weights derived by riskledger {} weights {} ({}).", kVersion, method,
                  options.critic ? "CRITIC: contrast x conflict" : "entropy weight method"),
      fmt::format("base rules: {}; records: {} ({} graded, {} rejected)", describe_rules(base),
                  fmt::join(options.inputs, " "), run.graded.size(), run.rejected)};
  if (options.blend > 0)
    provenance.push_back(
        fmt::format("weight = {:.2f} x derived + {:.2f} x base", 1 - options.blend, options.blend));
  auto rows = base.weights;
  for (const auto& cat : matrices) {
    const auto& code = categories(base)[cat.category].code;
    std::vector<std::string> names;
    std::vector<double> base_row;
    for (auto j : cat.indicators) {
      names.push_back(base.indicators[j].name);
      base_row.push_back(base.weights[cat.category][j]);
    }
    out += fmt::format("\n{}: {} record{}\n", code, cat.values.rows(), cat.values.rows() == 1 ? "" : "s");
    ObjectiveResult result;
    try {
      result = options.critic ? critic_weights(cat.values, names) : entropy_weights(cat.values, names);
    } catch (const DegenerateWeights& e) {
      out += fmt::format("  kept the base weights: {}\n", e.what());
      provenance.push_back(fmt::format("{}: kept the base weights: {}", code, e.what()));
      if (!options.out.quiet) fmt::print(stderr, "warning: {}: kept the base weights: {}\n", code, e.what());
      continue;
    }
    const auto blended = blend_weights(result.weights, base_row, options.blend);
    const auto units = round_weights(blended, options.out.decimals);
    size_t width = 9;
    for (const auto& n : names) width = std::max(width, n.size());
    out += fmt::format("  {:<{}}  values  {:>7}  {:>7}  derived  base    weight\n", "indicator", width,
                       options.critic ? "sigma" : "e", options.critic ? "C" : "1 - e");
    for (size_t j = 0; j < names.size(); ++j) {
      const auto& col = result.columns[j];
      out += fmt::format("  {:<{}}  {:>6}  {:>7.4f}  {:>7.4f}  {:.4f}   {:.4f}  {}\n", names[j], width,
                         col.measured, col.a, col.b, result.weights[j], base_row[j],
                         weight_text(units[j], options.out.decimals));
    }
    for (const auto& note : result.notes) out += fmt::format("  note: {}\n", note);
    std::vector<double> stats_a, stats_b;
    for (const auto& col : result.columns) {
      stats_a.push_back(col.a);
      stats_b.push_back(col.b);
    }
    provenance.push_back(fmt::format(
        "{} ({} records): indicators [{}]; {} [{}]; {} [{}]; derived [{}]{}", code, cat.values.rows(),
        fmt::join(names, ", "), options.critic ? "sigma" : "e", join_doubles(stats_a),
        options.critic ? "C" : "1 - e", join_doubles(stats_b), join_doubles(result.weights),
        result.notes.empty() ? "" : "; " + fmt::format("{}", fmt::join(result.notes, "; "))));
    auto& row = rows[cat.category];
    for (size_t j = 0; j < cat.indicators.size(); ++j) row[cat.indicators[j]] = blended[j];
  }
  write_stdout(out);
  if (!options.out.output.empty())
    write_rules(options.out, base, round_rows(rows, options.out.decimals), provenance);
  if (run.rejected > 0 && !options.out.quiet)
    fmt::print(stderr, "{} record{} rejected and left out (riskledger validate lists why)\n", run.rejected,
               run.rejected == 1 ? " was" : "s were");
  return run.rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace riskledger::cli
