#include "sensitivity_command.hpp"

#include <algorithm>
#include <memory>
#include <numeric>

#include <fmt/format.h>

#include "error.hpp"
#include "files.hpp"
#include "pipeline.hpp"
#include "sensitivity.hpp"
#include "text.hpp"

namespace riskledger::cli {

void setup_sensitivity(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<SensitivityCommandOptions>();
  auto* sub = app.add_subcommand("sensitivity", "How stable each grade is when the weights are perturbed");
  add_input_options(sub, options->in, false);
  sub->add_option("--samples", options->samples, "Number of weight sets drawn")
      ->check(CLI::Range(size_t{1}, size_t{1000000}))
      ->capture_default_str();
  sub->add_option("--spread", options->spread,
                  "Each weight times (1 + spread x u), u uniform on [-1, 1), then rows renormalised")
      ->check(CLI::Range(0.0, 0.99))
      ->capture_default_str();
  sub->add_option("--seed", options->seed, "Random seed: the same seed gives the same results")
      ->check(kWholeNumber)
      ->capture_default_str();
  sub->add_option("--top", options->top, "How many of the least stable points to list")
      ->capture_default_str();
  sub->add_option("-o,--output", options->output,
                  "Write every record's stability as CSV to FILE ('-' for stdout; the summary then goes to "
                  "stderr)");
  sub->add_option("--threads", options->threads,
                  "Worker threads (0: one per core); results are the same for any value")
      ->capture_default_str();
  sub->footer(std::string("A point is stable when it keeps its grade in at least 95% of the samples.\n"
                          "Example: riskledger sensitivity examples/sweep.csv --samples 1000 --spread 0.1 "
                          "--seed 1\n") +
              kExitCodesHelp);
  sub->callback([options, &exit_code] { exit_code = run_sensitivity(*options); });
}

namespace {

// A share of samples as a percentage with one decimal.
std::string percent(uint32_t count, size_t samples) {
  return fmt::format("{:.1f}%", 100.0 * count / static_cast<double>(samples));
}

// "B 12.3%, C 0.4%": the grades a record moves to, most frequent first.
std::string moves(const Rules& rules, const Sensitivity& s, size_t r, size_t grade) {
  std::vector<size_t> order;
  for (size_t g = 0; g < s.grades; ++g)
    if (g != grade && s.count(r, g) > 0) order.push_back(g);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return s.count(r, a) > s.count(r, b); });
  std::string out;
  for (auto g : order)
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", rules.grades[g].name,
                       percent(s.count(r, g), s.samples));
  return out.empty() ? "-" : out;
}

}  // namespace

int run_sensitivity(const SensitivityCommandOptions& options) {
  // 1. The rules (weighted only) and the records, graded with the rules' own weights.
  const auto rules =
      load_weighted_rules("--rules", options.in.rules, options.in.quiet, ", so there is nothing to perturb");
  const auto inputs = load_inputs(options.in.inputs, rules, options.in.encoding, options.threads);
  const auto run = grade_inputs(inputs, rules, options.threads);

  // 2. Grade every record under every sampled weight set.
  SensitivityOptions so;
  so.samples = options.samples;
  so.spread = options.spread;
  so.seed = options.seed;
  so.threads = options.threads;
  const auto s = analyse_sensitivity(rules, inputs, run.graded, so);
  const auto kept = [&](size_t r) { return s.count(r, static_cast<size_t>(run.graded[r].grade)); };
  const auto id = [&](size_t r) {
    return inputs.batches[run.graded[r].batch].str(rules.id_field, run.graded[r].row);
  };
  // Stable: kept in at least 95% of the samples (20 * kept >= 19 * samples, exactly).
  const auto stable = [&](size_t r) { return 20 * uint64_t{kept(r)} >= 19 * uint64_t{s.samples}; };

  // 3. The summary: per grade, how many points are stable; the least stable points.
  std::string out = fmt::format(
      "sensitivity of {} graded records (read {}, rejected {}) to the weights of {} {} ({})\n"
      "{} samples, spread {}, seed {}: each weight times (1 + {} x u), u uniform on [-1, 1), rows "
      "renormalised\n\n",
      run.graded.size(), run.read, run.rejected, rules.name, rules.version, rules.source, s.samples,
      options.spread, options.seed, options.spread);
  out += "grade  points  stable (>= 95% kept)  lowest kept\n";
  size_t all_points = 0, all_stable = 0;
  for (size_t g = 0; g < s.grades; ++g) {
    size_t points = 0, stable_points = 0;
    uint32_t lowest = static_cast<uint32_t>(s.samples);
    for (size_t r = 0; r < run.graded.size(); ++r) {
      if (static_cast<size_t>(run.graded[r].grade) != g) continue;
      ++points;
      if (stable(r)) ++stable_points;
      lowest = std::min(lowest, kept(r));
    }
    all_points += points;
    all_stable += stable_points;
    out += fmt::format("{:<5}  {:>6}  {:>20}  {:>11}\n", rules.grades[g].name, points, stable_points,
                       points ? percent(lowest, s.samples) : "-");
  }
  out += fmt::format("{:<5}  {:>6}  {:>20}\n", "all", all_points, all_stable);

  std::vector<size_t> order(run.graded.size());
  std::iota(order.begin(), order.end(), size_t{0});
  // Least stable first; ties by grade (highest first), then id in byte order.
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (kept(a) != kept(b)) return kept(a) < kept(b);
    if (run.graded[a].grade != run.graded[b].grade) return run.graded[a].grade < run.graded[b].grade;
    return id(a) < id(b);
  });
  const size_t top = std::min(options.top, order.size());
  if (top > 0) {
    size_t width = 2;
    for (size_t i = 0; i < top; ++i) width = std::max(width, id(order[i]).size());
    out += fmt::format("\nleast stable points:\n{:<{}}  {:>8}  grade  {:>6}  moves to\n", "id", width,
                       "score", "kept");
    for (size_t i = 0; i < top; ++i) {
      const auto r = order[i];
      const auto g = static_cast<size_t>(run.graded[r].grade);
      out += fmt::format("{:<{}}  {:>8}  {:<5}  {:>6}  {}\n", id(r), width,
                         format_fixed(run.graded[r].units, rules.precision), rules.grades[g].name,
                         percent(kept(r), s.samples), moves(rules, s, r, g));
    }
  }

  // 4. Every record's stability as CSV, in input order.
  if (!options.output.empty()) {
    std::string csv = "id,score,grade,kept";
    for (const auto& g : rules.grades) csv += ",share_" + g.name;
    csv += "\n";
    for (size_t r = 0; r < run.graded.size(); ++r) {
      append_csv_field(csv, id(r));
      csv += ',' + format_fixed(run.graded[r].units, rules.precision) + ',';
      csv += rules.grades[static_cast<size_t>(run.graded[r].grade)].name;
      csv += fmt::format(",{:.4f}", static_cast<double>(kept(r)) / static_cast<double>(s.samples));
      for (size_t g = 0; g < s.grades; ++g)
        csv += fmt::format(",{:.4f}", static_cast<double>(s.count(r, g)) / static_cast<double>(s.samples));
      csv += "\n";
    }
    if (options.output == "-") {
      write_stdout(csv);
      if (!options.in.quiet) fmt::print(stderr, "{}", out);
    } else {
      write_file_atomic(options.output, csv);
      write_stdout(out);
    }
  } else {
    write_stdout(out);
  }
  if (run.rejected > 0 && !options.in.quiet)
    fmt::print(stderr, "{} record{} rejected and left out (riskledger validate lists why)\n", run.rejected,
               run.rejected == 1 ? " was" : "s were");
  return run.rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace riskledger::cli
