#include "sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include <fmt/format.h>
#include <Eigen/Dense>

#include "error.hpp"
#include "expression.hpp"
#include "parallel.hpp"
#include "scoring.hpp"
#include "sub_scores.hpp"

namespace riskledger {

std::vector<std::vector<std::vector<double>>> sample_weights(const Rules& rules,
                                                             const SensitivityOptions& options) {
  std::mt19937_64 gen(options.seed);
  // u uniform on [-1, 1): the top 53 bits of a draw, k * 2^-53 in [0, 1), then 2x - 1.
  auto uniform = [&gen] { return static_cast<double>(gen() >> 11) * 0x1p-53 * 2.0 - 1.0; };
  std::vector<std::vector<std::vector<double>>> out(options.samples);
  for (auto& sample : out) {
    sample = rules.weights;
    if (options.spread == 0) continue;  // the rules' rows, bit for bit
    for (auto& row : sample) {
      // w'_j = w_j * (1 + spread * u), then the row is renormalised to sum 1.
      double sum = 0;
      for (auto& w : row) {
        if (w == 0) continue;
        w *= 1 + options.spread * uniform();
        sum += w;
      }
      for (auto& w : row) w /= sum;
    }
  }
  return out;
}

namespace {

// Records per task, and samples per matrix product.
constexpr Eigen::Index kTaskRecords = 2048;
constexpr Eigen::Index kSampleBlock = 128;
// A fast raw score this close to a grade boundary is recomputed exactly.
constexpr double kBoundaryMargin = 1e-7;

// raw as score_record() computes it, in the same order of operations:
//   M = sum of w_j over measured j; raw = sum_j scale * (w_j / M) * s_j; clamped.
double exact_raw(const Rules& rules, const CategorySubScores& cat, Eigen::Index i,
                 const std::vector<double>& w) {
  double measured_weight = 0;
  for (size_t j = 0; j < cat.indicators.size(); ++j)
    if (!std::isnan(cat.values(i, static_cast<Eigen::Index>(j)))) measured_weight += w[cat.indicators[j]];
  double raw = 0;
  for (size_t j = 0; j < cat.indicators.size(); ++j) {
    const double s = cat.values(i, static_cast<Eigen::Index>(j));
    if (!std::isnan(s)) raw += rules.scale * (w[cat.indicators[j]] / measured_weight) * s;
  }
  return std::clamp(raw, 0.0, rules.scale);
}

// The threshold grade of a score in units: the first grade whose min it
// reaches, or the lowest (as decide() does).
size_t threshold_grade(const Rules& rules, int64_t units) {
  for (size_t g = 0; g < rules.grades.size(); ++g)
    if (units >= rules.grades[g].min_units) return g;
  return rules.grades.size() - 1;
}

// The grade each record ends with, for each threshold grade t, after its
// overrides: overrides read only the record's fields, so whether each fires
// is decided once; then, in order, `grade` sets and `at_least` raises.
std::vector<uint8_t> override_tables(const Rules& rules, const LoadedInputs& inputs,
                                     const std::vector<Graded>& graded, unsigned threads) {
  const size_t grades = rules.grades.size();
  std::vector<uint8_t> table(graded.size() * grades);
  const size_t chunk = 4096;
  parallel_for((graded.size() + chunk - 1) / chunk, threads, [&](size_t task) {
    std::vector<bool> fired(rules.overrides.size());
    for (size_t r = task * chunk; r < std::min(graded.size(), (task + 1) * chunk); ++r) {
      const auto& batch = inputs.batches[graded[r].batch];
      for (size_t o = 0; o < fired.size(); ++o)
        fired[o] = evaluate(*rules.overrides[o].expr, batch, graded[r].row);
      for (size_t t = 0; t < grades; ++t) {
        int g = static_cast<int>(t);
        for (size_t o = 0; o < fired.size(); ++o) {
          if (!fired[o]) continue;
          const auto& ov = rules.overrides[o];
          g = ov.at_least ? std::min(g, ov.grade) : ov.grade;
        }
        table[r * grades + t] = static_cast<uint8_t>(g);
      }
    }
  });
  return table;
}

}  // namespace

Sensitivity analyse_sensitivity(const Rules& rules, const LoadedInputs& inputs,
                                const std::vector<Graded>& graded, const SensitivityOptions& options) {
  if (rules.method != Method::Weighted)
    throw UsageError(
        fmt::format("{}: method matrix has no weights, so there is nothing to perturb", rules.source));
  if (!(options.spread >= 0 && options.spread < 1))
    throw UsageError(fmt::format("--spread: {} is not in [0, 1)", options.spread));
  const size_t grades = rules.grades.size();
  Sensitivity out;
  out.grades = grades;
  out.samples = options.samples;
  out.counts.assign(graded.size() * grades, 0);

  // 1. The weight sets, the sub-score matrices, the override tables.
  const auto weights = sample_weights(rules, options);
  const auto categories = collect_sub_scores(rules, inputs, graded);
  const auto finals = override_tables(rules, inputs, graded, options.threads);

  // 2. Grade boundaries in points: to_units(raw) >= min_units exactly when
  //    raw >= (min_units - 1/2) / 10^precision (up to to_units' 1e-9 snap,
  //    far inside kBoundaryMargin).
  std::vector<double> bound(grades);
  const auto per_point = static_cast<double>(rules.units_per_point());
  for (size_t g = 0; g < grades; ++g)
    bound[g] = (static_cast<double>(rules.grades[g].min_units) - 0.5) / per_point;

  // 3. Tasks: blocks of one category's records; each task counts for its own records only.
  struct Task {
    size_t category;
    Eigen::Index begin, end;
  };
  std::vector<Task> tasks;
  for (size_t c = 0; c < categories.size(); ++c)
    for (Eigen::Index b = 0; b < categories[c].values.rows(); b += kTaskRecords)
      tasks.push_back({c, b, std::min(b + kTaskRecords, categories[c].values.rows())});

  parallel_for(tasks.size(), options.threads, [&](size_t t) {
    const auto& task = tasks[t];
    const auto& cat = categories[task.category];
    const auto n = task.end - task.begin;
    const auto k = static_cast<Eigen::Index>(cat.indicators.size());
    // S: sub-scores with 0 where not measured; Mk: 1 where measured.
    const Eigen::MatrixXd raw_block = cat.values.middleRows(task.begin, n);
    const Eigen::MatrixXd measured = (raw_block.array().isNaN()).select(0.0, Eigen::MatrixXd::Ones(n, k));
    const Eigen::MatrixXd s = (raw_block.array().isNaN()).select(0.0, raw_block);
    Eigen::MatrixXd w(k, kSampleBlock), num, den;
    for (size_t s0 = 0; s0 < options.samples; s0 += static_cast<size_t>(kSampleBlock)) {
      const auto bs = static_cast<Eigen::Index>(
          std::min<size_t>(static_cast<size_t>(kSampleBlock), options.samples - s0));
      for (Eigen::Index b = 0; b < bs; ++b)
        for (Eigen::Index j = 0; j < k; ++j)
          w(j, b) =
              weights[s0 + static_cast<size_t>(b)][task.category][cat.indicators[static_cast<size_t>(j)]];
      // raw = scale * (S w) / (Mk w): the measured indicators' weights
      // renormalised to sum 1, as in score_record().
      num.noalias() = s * w.leftCols(bs);
      den.noalias() = measured * w.leftCols(bs);
      for (Eigen::Index b = 0; b < bs; ++b) {
        for (Eigen::Index i = 0; i < n; ++i) {
          const double raw = std::clamp(rules.scale * num(i, b) / den(i, b), 0.0, rules.scale);
          size_t grade = grades - 1;
          bool near = false;
          for (size_t g = 0; g < grades; ++g) near = near || std::fabs(raw - bound[g]) < kBoundaryMargin;
          if (near) {
            const auto& row = weights[s0 + static_cast<size_t>(b)][task.category];
            grade =
                threshold_grade(rules, to_units(exact_raw(rules, cat, task.begin + i, row), rules.precision));
          } else {
            for (size_t g = 0; g < grades; ++g)
              if (raw >= bound[g]) {
                grade = g;
                break;
              }
          }
          const size_t r = cat.records[static_cast<size_t>(task.begin + i)];
          ++out.counts[r * grades + finals[r * grades + grade]];
        }
      }
    }
  });
  return out;
}

}  // namespace riskledger
