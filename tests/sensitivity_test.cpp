#include "sensitivity.hpp"

#include <doctest/doctest.h>

#include <cmath>

#include "error.hpp"
#include "pipeline.hpp"
#include "sub_scores.hpp"
#include "test_support.hpp"

using namespace riskledger;

namespace {

const std::string kSweep = std::string(RISKLEDGER_SOURCE_DIR) + "/examples/sweep.csv";

struct Sweep {
  Rules rules = test::default_rules();
  LoadedInputs inputs;
  GradedRun run;
  Sweep() {
    inputs = load_inputs({kSweep}, rules);
    run = grade_inputs(inputs, rules);
  }
  std::string id(size_t r) const {
    return std::string(inputs.batches[run.graded[r].batch].str(rules.id_field, run.graded[r].row));
  }
};

}  // namespace

TEST_CASE("sampled weights: rows sum to 1, zero weights stay zero, each weight within the spread") {
  const auto& rules = test::default_rules();
  SensitivityOptions o;
  o.samples = 200;
  o.spread = 0.2;
  o.seed = 42;
  const auto w = sample_weights(rules, o);
  REQUIRE(w.size() == 200);
  for (const auto& sample : w)
    for (size_t c = 0; c < sample.size(); ++c) {
      double sum = 0;
      for (size_t j = 0; j < sample[c].size(); ++j) {
        sum += sample[c][j];
        if (rules.weights[c][j] == 0) CHECK(sample[c][j] == 0);
      }
      CHECK(sum == doctest::Approx(1.0));
      // w'_j / w'_k = w_j (1 + 0.2 u_j) / (w_k (1 + 0.2 u_k)), so the ratio to the
      // base ratio lies in [0.8 / 1.2, 1.2 / 0.8].
      for (size_t j = 0; j < sample[c].size(); ++j)
        for (size_t k = 0; k < sample[c].size(); ++k) {
          if (rules.weights[c][j] == 0 || rules.weights[c][k] == 0) continue;
          const double q = (sample[c][j] / sample[c][k]) / (rules.weights[c][j] / rules.weights[c][k]);
          CHECK(q >= 0.8 / 1.2 - 1e-12);
          CHECK(q <= 1.2 / 0.8 + 1e-12);
        }
    }
  // The same seed gives the same weights; spread 0 gives the rules' rows bit for bit.
  CHECK(sample_weights(rules, o) == w);
  o.spread = 0;
  for (const auto& sample : sample_weights(rules, o)) CHECK(sample == rules.weights);
}

TEST_CASE("zero spread: every sample reproduces decide()'s grade (examples/sweep.csv)") {
  const Sweep s;
  REQUIRE(s.run.graded.size() == 60);
  SensitivityOptions o;
  o.samples = 25;
  o.spread = 0;
  const auto result = analyse_sensitivity(s.rules, s.inputs, s.run.graded, o);
  for (size_t r = 0; r < s.run.graded.size(); ++r) {
    INFO(s.id(r));
    CHECK(result.count(r, static_cast<size_t>(s.run.graded[r].grade)) == 25);
  }
  // Per grade as in the ledger: A 10, B 20, C 30 (tests/golden/grade_sweep).
  CHECK(s.run.per_grade == std::vector<uint64_t>{10, 20, 30});
}

TEST_CASE("sampled grades equal decide() with each sample's weights put into the rules") {
  // The independent check of the matrix-product path: for each sample, a copy
  // of the rules with that sample's weights, and decide() record by record.
  const Sweep s;
  SensitivityOptions o;
  o.samples = 40;
  o.spread = 0.5;
  o.seed = 2026;
  const auto result = analyse_sensitivity(s.rules, s.inputs, s.run.graded, o);
  const auto weights = sample_weights(s.rules, o);
  std::vector<uint32_t> expected(s.run.graded.size() * s.rules.grades.size(), 0);
  for (const auto& w : weights) {
    auto rules = s.rules;
    rules.weights = w;
    for (size_t r = 0; r < s.run.graded.size(); ++r) {
      const auto& g = s.run.graded[r];
      const auto d = decide(rules, s.inputs.batches[g.batch], g.row, {});
      ++expected[r * s.rules.grades.size() + static_cast<size_t>(d.grade)];
    }
  }
  CHECK(result.counts == expected);
  // With half the weight allowed to move, something moves.
  size_t moved = 0;
  for (size_t r = 0; r < s.run.graded.size(); ++r)
    if (result.count(r, static_cast<size_t>(s.run.graded[r].grade)) < 40) ++moved;
  CHECK(moved > 0);
}

TEST_CASE("sensitivity is reproducible: same seed, any thread count") {
  const Sweep s;
  SensitivityOptions o;
  o.samples = 300;
  o.spread = 0.1;
  o.seed = 7;
  o.threads = 1;
  const auto one = analyse_sensitivity(s.rules, s.inputs, s.run.graded, o);
  o.threads = 2;
  const auto two = analyse_sensitivity(s.rules, s.inputs, s.run.graded, o);
  CHECK(one.counts == two.counts);
  o.seed = 8;
  CHECK(analyse_sensitivity(s.rules, s.inputs, s.run.graded, o).counts != one.counts);
  // GSH-2026-0502 scores exactly 70.00, A's threshold: any weight change that
  // lowers it by 0.005 or more makes it a B, so it cannot be stable.
  for (size_t r = 0; r < s.run.graded.size(); ++r) {
    if (s.id(r) != "GSH-2026-0502") continue;
    CHECK(s.run.graded[r].units == 7000);
    CHECK(one.count(r, 0) < 300);
    CHECK(one.count(r, 0) + one.count(r, 1) == 300);
  }
}

TEST_CASE("sensitivity needs weights: the matrix method is a usage error") {
  const auto rules = load_rules(builtin_rules_text("matrix"), "matrix.yaml");
  const auto inputs = load_inputs({kSweep}, rules);
  const auto run = grade_inputs(inputs, rules);
  CHECK_THROWS_AS(analyse_sensitivity(rules, inputs, run.graded, {}), UsageError);
}

TEST_CASE("sub-score matrices per category") {
  const Sweep s;
  const auto cats = collect_sub_scores(s.rules, s.inputs, s.run.graded);
  REQUIRE(cats.size() == 5);
  // By category: 政治安全 5, 社会治安 12, 社会矛盾 20, 公共安全 16, 网络安全 7.
  CHECK(cats[0].values.rows() == 5);
  CHECK(cats[1].values.rows() == 12);
  CHECK(cats[2].values.rows() == 20);
  CHECK(cats[3].values.rows() == 16);
  CHECK(cats[4].values.rows() == 7);
  // public_safety weighs severity, urgency, likelihood, harm, loss.
  CHECK(cats[3].indicators == std::vector<size_t>{0, 1, 2, 6, 7});
  // NM-2026-0031 (social_conflict, first record): severity 4 -> (4 - 1) / 4 = 0.75;
  // people_involved 120 -> log10(121) / log10(1001) = 2.08279 / 3.00043 = 0.69417.
  REQUIRE(s.id(cats[2].records[0]) == "NM-2026-0031");
  CHECK(cats[2].values(0, 0) == 0.75);
  CHECK(cats[2].values(0, 3) == doctest::Approx(0.69417).epsilon(1e-5));
}
