#include "weights.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "ahp_judgements.hpp"
#include "error.hpp"
#include "rules_writer.hpp"
#include "test_support.hpp"

using namespace riskledger;

namespace {

Eigen::MatrixXd from_upper(const std::vector<std::vector<double>>& upper) {
  const auto n = static_cast<Eigen::Index>(upper.size() + 1);
  Eigen::MatrixXd a = Eigen::MatrixXd::Ones(n, n);
  for (Eigen::Index i = 0; i + 1 < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j) {
      a(i, j) = upper[static_cast<size_t>(i)][static_cast<size_t>(j - i - 1)];
      a(j, i) = 1 / a(i, j);
    }
  return a;
}

// Saaty's "relative wealth of nations" matrix: The Analytic Hierarchy
// Process (Saaty 1980), also Saaty and Khouja (1976). Order: US, USSR, China,
// France, UK, Japan, West Germany. Published: eigenvector .427 .230 .021 .052
// .052 .123 .094, lambda_max 7.61, CI 0.10, CR 0.08.
Eigen::MatrixXd wealth_of_nations() {
  return from_upper({{4, 9, 6, 6, 5, 5},
                     {7, 5, 5, 3, 4},
                     {1. / 5, 1. / 5, 1. / 7, 1. / 5},
                     {1, 1. / 3, 1. / 3},
                     {1. / 3, 1. / 3},
                     {2}});
}

// Saaty's optics experiment (Saaty 1977, "A scaling method for priorities in
// hierarchical structures", J. Math. Psychology 15): the relative brightness
// of four chairs at increasing distances from a light. Published: eigenvector
// 0.61, 0.24, 0.10, 0.05 and lambda_max 4.39, so CI = 0.13 and CR = 0.13 / 0.90
// = 0.14: above 0.10.
Eigen::MatrixXd optics() {
  return from_upper({{5, 6, 7}, {4, 6}, {4}});
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Equal to three decimals: |a - b| <= 0.0005.
bool near3(double a, double b) {
  return std::fabs(a - b) <= 0.0005;
}

}  // namespace

TEST_CASE("AHP eigenvector method reproduces Saaty's wealth of nations example") {
  const auto r = ahp_priorities(wealth_of_nations(), AhpMethod::Eigenvector, RiTable::Saaty);
  // Published weights (three decimals).
  const std::vector<double> published = {.427, .230, .021, .052, .052, .123, .094};
  REQUIRE(r.weights.size() == 7);
  for (size_t i = 0; i < 7; ++i) CHECK(near3(r.weights[i], published[i]));
  // Published to two decimals: lambda_max 7.61, CR 0.08. To three decimals, as an
  // independent power iteration (2000 steps of w <- Aw / sum(Aw), in Python)
  // gives: lambda_max 7.6077, CI = 0.6077 / 6 = 0.1013, CR = 0.1013 / 1.32 = 0.0767.
  CHECK(std::round(r.lambda_max * 100) / 100 == doctest::Approx(7.61));
  CHECK(std::round(r.cr * 100) / 100 == doctest::Approx(0.08));
  CHECK(near3(r.lambda_max, 7.608));
  CHECK(near3(r.ci, 0.101));
  CHECK(r.ri == 1.32);
  CHECK(near3(r.cr, 0.077));
  CHECK(r.cr < kMaxConsistencyRatio);
}

TEST_CASE("AHP geometric mean and the Alonso-Lamata table") {
  const auto g = ahp_priorities(wealth_of_nations(), AhpMethod::GeometricMean, RiTable::Saaty);
  // Row geometric means, e.g. US: (4 * 9 * 6 * 6 * 5 * 5)^(1/7) = 32400^(1/7) = 4.4129;
  // scaled to sum 1 (independent Python): .4172 .2315 .0199 .0535 .0535 .1282 .0962;
  // lambda_max = mean_i (Aw)_i / w_i = 7.6020, CI 0.1003, CR 0.1003 / 1.32 = 0.0760.
  const std::vector<double> expected = {.4172, .2315, .0199, .0535, .0535, .1282, .0962};
  for (size_t i = 0; i < 7; ++i) CHECK(near3(g.weights[i], expected[i]));
  CHECK(near3(g.lambda_max, 7.602));
  CHECK(near3(g.cr, 0.076));
  // Alonso and Lamata's RI(7) = 1.3417: CR = 0.1013 / 1.3417 = 0.0755.
  const auto a = ahp_priorities(wealth_of_nations(), AhpMethod::Eigenvector, RiTable::AlonsoLamata);
  CHECK(a.ri == 1.3417);
  CHECK(std::fabs(a.cr - 0.0755) <= 0.00005);
}

TEST_CASE("AHP: Saaty's optics example is inconsistent and names the worst judgements") {
  const auto r = ahp_priorities(optics(), AhpMethod::Eigenvector, RiTable::Saaty);
  // Published (Saaty 1977): 0.61 0.24 0.10 0.05, lambda_max 4.39. Independent
  // power iteration: 0.6187 0.2353 0.1009 0.0451, lambda_max 4.3907,
  // CI 0.3907 / 3 = 0.1302, CR 0.1302 / 0.90 = 0.1447.
  const std::vector<double> published = {0.61, 0.24, 0.10, 0.05};
  for (size_t i = 0; i < 4; ++i) CHECK(std::fabs(r.weights[i] - published[i]) < 0.01);
  const std::vector<double> expected = {0.619, 0.235, 0.101, 0.045};
  for (size_t i = 0; i < 4; ++i) CHECK(near3(r.weights[i], expected[i]));
  CHECK(std::round(r.lambda_max * 100) / 100 == doctest::Approx(4.39));
  CHECK(near3(r.lambda_max, 4.391));
  CHECK(near3(r.cr, 0.145));
  CHECK(r.cr >= kMaxConsistencyRatio);
  // Worst: chair 1 vs chair 4, judged 7 while the weights give 0.6187 / 0.0451 = 13.73
  // (|ln(7 / 13.73)| = 0.673); then 1 vs 2 (5 vs 2.63, 0.643); then 3 vs 4 (4 vs 2.24, 0.580).
  REQUIRE(r.disagreements.size() == 6);
  CHECK(r.disagreements[0].i == 0);
  CHECK(r.disagreements[0].j == 3);
  CHECK(r.disagreements[0].judged == 7);
  CHECK(std::fabs(r.disagreements[0].implied - 13.73) < 0.01);
  CHECK(r.disagreements[1].i == 0);
  CHECK(r.disagreements[1].j == 1);
  CHECK(r.disagreements[2].i == 2);
  CHECK(r.disagreements[2].j == 3);
}

TEST_CASE("AHP: small matrices and a circular set of judgements") {
  // n = 1: weight 1. n = 2, a_12 = 3: w = (3/4, 1/4), consistent by construction.
  const auto one = ahp_priorities(Eigen::MatrixXd::Ones(1, 1), AhpMethod::Eigenvector, RiTable::Saaty);
  CHECK(one.weights == std::vector<double>{1.0});
  CHECK(one.cr == 0);
  const auto two = ahp_priorities(from_upper({{3}}), AhpMethod::Eigenvector, RiTable::Saaty);
  CHECK(two.weights[0] == doctest::Approx(0.75));
  CHECK(two.weights[1] == doctest::Approx(0.25));
  CHECK(two.lambda_max == 2);
  CHECK(two.cr == 0);
  // a > b 5, b > c 5, c > a 5 (a_13 = 1/5): the weights come out equal, which
  // is exactly why CR must be checked: lambda_max = 1 + 5 + 1/5 = 6.2,
  // CI = 3.2 / 2 = 1.6, CR = 1.6 / 0.58 = 2.759.
  const auto circ = ahp_priorities(from_upper({{5, 1. / 5}, {5}}), AhpMethod::Eigenvector, RiTable::Saaty);
  for (double w : circ.weights) CHECK(w == doctest::Approx(1. / 3));
  CHECK(circ.lambda_max == doctest::Approx(6.2));
  CHECK(circ.cr == doctest::Approx(1.6 / 0.58));
}

TEST_CASE("random index tables") {
  CHECK(random_index(RiTable::Saaty, 3) == 0.58);
  CHECK(random_index(RiTable::Saaty, 12) == 1.48);
  CHECK(random_index(RiTable::Saaty, 15) == 1.59);
  CHECK(random_index(RiTable::AlonsoLamata, 4) == 0.8815);
  CHECK(random_index(RiTable::AlonsoLamata, 15) == 1.5838);
  CHECK_THROWS_AS(random_index(RiTable::Saaty, 16), std::out_of_range);
  CHECK_THROWS_AS(random_index(RiTable::Saaty, 0), std::out_of_range);
}

TEST_CASE("entropy weights, hand computed") {
  // A = (0, 0.5, 1): p = (0, 1/3, 2/3), H = (1/3) ln 3 + (2/3) ln 1.5 = 0.636514,
  //   e = H / ln 3 = 0.579380, 1 - e = 0.420620.
  // B = (0.5, 0.5, 0.25): p = (0.4, 0.4, 0.2), H = 0.8 ln 2.5 + 0.2 ln 5 = 1.054920,
  //   e = 0.960230, 1 - e = 0.039770.
  // w = (0.420620, 0.039770) / 0.460390 = (0.913616, 0.086384).
  Eigen::MatrixXd x(3, 2);
  x << 0, 0.5, 0.5, 0.5, 1, 0.25;
  const auto r = entropy_weights(x, {"a", "b"});
  CHECK(r.columns[0].a == doctest::Approx(0.579380).epsilon(1e-6));
  CHECK(r.columns[1].a == doctest::Approx(0.960230).epsilon(1e-6));
  CHECK(r.weights[0] == doctest::Approx(0.913616).epsilon(1e-6));
  CHECK(r.weights[1] == doctest::Approx(0.086384).epsilon(1e-5));
  CHECK(r.notes.empty());

  // B not measured in record 2: B = (0.5, -, 0.25) over m = 2 records,
  // p = (2/3, 1/3), e = 0.636514 / ln 2 = 0.918296, 1 - e = 0.081704;
  // w_a = 0.420620 / 0.502324 = 0.837348.
  x(1, 1) = kNaN;
  const auto m = entropy_weights(x, {"a", "b"});
  CHECK(m.columns[1].measured == 2);
  CHECK(m.columns[1].a == doctest::Approx(0.918296).epsilon(1e-6));
  CHECK(m.weights[0] == doctest::Approx(0.837348).epsilon(1e-6));

  // A constant column has e = 1 and weight 0, with a note; so has a column of zeros.
  Eigen::MatrixXd c(3, 3);
  c << 0, 0.5, 0, 0.5, 0.5, 0, 1, 0.5, 0;
  const auto k = entropy_weights(c, {"a", "same", "zero"});
  CHECK(k.weights[0] == 1);
  CHECK(k.weights[1] == 0);
  CHECK(k.weights[2] == 0);
  REQUIRE(k.notes.size() == 2);
  CHECK(k.notes[0] == "same is the same in every record: weight 0");
  CHECK(k.notes[1] == "zero is 0 in every record: weight 0");
}

TEST_CASE("entropy and CRITIC: degenerate inputs give a message, never NaN") {
  Eigen::MatrixXd one(1, 2);
  one << 0.5, 0.25;
  CHECK_THROWS_WITH_AS(entropy_weights(one, {"a", "b"}), "1 record: at least 2 are needed",
                       DegenerateWeights);
  CHECK_THROWS_WITH_AS(critic_weights(Eigen::MatrixXd(0, 2), {"a", "b"}), "0 records: at least 2 are needed",
                       DegenerateWeights);
  Eigen::MatrixXd same(3, 2);
  same << 0.5, 1, 0.5, 1, 0.5, 1;
  CHECK_THROWS_WITH_AS(entropy_weights(same, {"a", "b"}),
                       "no indicator varies over the records (every e_j is 1)", DegenerateWeights);
  CHECK_THROWS_WITH_AS(critic_weights(same, {"a", "b"}),
                       "no indicator varies over the records (every sigma_j is 0)", DegenerateWeights);
  Eigen::MatrixXd sparse(3, 2);
  sparse << 0.5, kNaN, 0.75, 0.2, 1, kNaN;
  CHECK_THROWS_WITH_AS(entropy_weights(sparse, {"a", "opinion"}),
                       "opinion has a value in 1 record: at least 2 are needed", DegenerateWeights);
  Eigen::MatrixXd single(3, 2);
  single << 0, 1, 0.5, 1, 1, 1;
  CHECK_THROWS_WITH_AS(critic_weights(single, {"a", "b"}),
                       "only a varies over the records: CRITIC needs at least two indicators that vary",
                       DegenerateWeights);
}

TEST_CASE("CRITIC weights, hand computed") {
  // A = (0, .5, 1), B = (1, .5, 0), C = (0, 1, .5): each has sample sd
  // sqrt(0.5 / 2) = 0.5. r_AB = -1; r_AC = 0.25 / sqrt(0.5 * 0.5) = 0.5;
  // r_BC = -0.5.
  // C_A = 0.5 * ((1 + 1) + (1 - 0.5)) = 1.25; C_B = 0.5 * (2 + 1.5) = 1.75;
  // C_C = 0.5 * (0.5 + 1.5) = 1.0; sum 4: w = (0.3125, 0.4375, 0.25).
  Eigen::MatrixXd x(3, 3);
  x << 0, 1, 0, 0.5, 0.5, 1, 1, 0, 0.5;
  const auto r = critic_weights(x, {"a", "b", "c"});
  CHECK(r.columns[0].a == doctest::Approx(0.5));
  CHECK(r.columns[0].b == doctest::Approx(1.25));
  CHECK(r.columns[1].b == doctest::Approx(1.75));
  CHECK(r.columns[2].b == doctest::Approx(1.0));
  CHECK(r.weights[0] == doctest::Approx(0.3125));
  CHECK(r.weights[1] == doctest::Approx(0.4375));
  CHECK(r.weights[2] == doctest::Approx(0.25));
  CHECK(r.notes.empty());
  // A constant fourth column: weight 0, left out of the sums (same weights as above).
  Eigen::MatrixXd y(3, 4);
  y << x, Eigen::Vector3d(0.5, 0.5, 0.5);
  const auto s = critic_weights(y, {"a", "b", "c", "d"});
  CHECK(s.weights[0] == doctest::Approx(0.3125));
  CHECK(s.weights[3] == 0);
  REQUIRE(s.notes.size() == 1);
  CHECK(s.notes[0] == "d is the same in every record: weight 0");
}

TEST_CASE("blending and rounding weights") {
  // 0.5 * (0.8, 0.2) + 0.5 * (0.5, 0.5) = (0.65, 0.35)
  const auto b = blend_weights({0.8, 0.2}, {0.5, 0.5}, 0.5);
  CHECK(b[0] == doctest::Approx(0.65));
  CHECK(b[1] == doctest::Approx(0.35));
  // 3333.6, 3333.2, 3333.2 floor to 9999 units: the one left goes to the largest remainder.
  CHECK(round_weights({0.33336, 0.33332, 0.33332}, 4) == std::vector<int64_t>{3334, 3333, 3333});
  // Equal remainders: to the first.
  CHECK(round_weights({1. / 3, 1. / 3, 1. / 3}, 2) == std::vector<int64_t>{34, 33, 33});
  CHECK(round_weights({0.25, 0.75}, 4) == std::vector<int64_t>{2500, 7500});
}

TEST_CASE("AHP judgements file: upper triangle, full matrix, fractions") {
  const auto& rules = test::default_rules();
  const auto j = load_ahp_judgements(R"(schema: riskledger/ahp/v1
categories:
  items: [公共安全, public_order]
  upper: [[3]]
indicators:
  public_safety:
    items: [severity, harm, loss]
    matrix:
      - [1, 2, "4"]
      - [1/2, 1, 2]
      - [0.25, 0.5, 1]
)",
                                     "j.yaml", rules);
  REQUIRE(j.categories);
  CHECK(j.categories->items == std::vector<std::string>{"public_safety", "public_order"});
  CHECK(j.categories->matrix(1, 0) == doctest::Approx(1. / 3));
  REQUIRE(j.indicators.size() == 1);
  CHECK(j.indicators[0].first == 3);  // public_safety is the fourth category
  const auto& block = j.indicators[0].second;
  CHECK(block.index == std::vector<size_t>{0, 6, 7});
  CHECK(block.where == "j.yaml:6");  // the line of `public_safety:`
  CHECK(block.matrix(1, 0) == 0.5);
  CHECK(block.upper_text == std::vector<std::vector<std::string>>{{"2", "4"}, {"2"}});
  // A consistent matrix (4 = 2 x 2): w = (4, 2, 1) / 7, CR 0.
  const auto r = ahp_priorities(block.matrix, AhpMethod::Eigenvector, RiTable::Saaty);
  CHECK(r.weights[0] == doctest::Approx(4. / 7));
  CHECK(std::fabs(r.cr) < 1e-9);
}

TEST_CASE("AHP judgements file: every problem is reported with its place") {
  const auto& rules = test::default_rules();
  try {
    load_ahp_judgements(R"(indicators:
  public_safety:
    items: [severity, harms, loss]
    upper: [[2, 3], [1]]
  public_order:
    items: [severity, urgency, likelihood]
    upper: [[10, 2], [1/3]]
  social_conflict:
    items: [severity, urgency]
    matrix: [[1, 3], [3, 1]]
)",
                        "bad.yaml", rules);
    FAIL("expected an error");
  } catch (const InputError& e) {
    CHECK(
        std::string(e.what()) ==
        "bad.yaml has 3 problems:\n"
        "  bad.yaml:3:23: indicators.public_safety.items: unknown indicator 'harms' (did you mean 'harm'?)\n"
        "  bad.yaml:7:14: indicators.public_order.upper[0][0] (severity vs urgency): 10 is off Saaty's scale "
        "(1/9 to 9)\n"
        "  bad.yaml:10:23: indicators.social_conflict.matrix[1][0]: not reciprocal: severity vs urgency is "
        "3, so "
        "urgency vs severity must be 1/3");
  }
}

TEST_CASE("weights are written into a copy of the rules, which loads with them") {
  const auto& base = test::default_rules();
  const auto text = std::string(builtin_rules_text("default"));
  // public_safety: severity .4, harm .35, loss .25; other rows as in the base.
  std::vector<std::vector<int64_t>> units;
  for (const auto& row : base.weights) units.push_back(round_weights(row, 4));
  units[3] = {4000, 0, 0, 0, 0, 0, 3500, 2500};
  const auto out =
      rules_with_weights(text, base, units, 4, {"Weights derived by a test.", "", "second line"});
  CHECK(out.starts_with("# Weights derived by a test.\n#\n# second line\n\n# riskledger default rule set"));
  CHECK(out.find("  public_safety: {severity: 0.4000, harm: 0.3500, loss: 0.2500}\n") != std::string::npos);
  CHECK(
      out.find("  political_security: {severity: 0.3000, urgency: 0.2000, likelihood: 0.2000, scope: 0.1000, "
               "trend: 0.1000, opinion: 0.1000}\n") != std::string::npos);
  // Everything after the weights block is kept as written, its leading comment too.
  const auto grades_at = text.find("# Highest first;");
  CHECK(out.ends_with(text.substr(grades_at)));
  CHECK(out.find("# Political risks turn on severity") == std::string::npos);
  const auto rules = load_rules(out, "mine.yaml");
  CHECK(rules.warnings.empty());
  CHECK(rules.weights[3][0] == 0.4);
  CHECK(rules.weights[3][6] == 0.35);
  CHECK(rules.weights[3][1] == 0);
  CHECK(rules.weights[0] == base.weights[0]);
  CHECK(rules.overrides.size() == 2);

  const auto matrix = load_rules(builtin_rules_text("matrix"), "matrix.yaml");
  CHECK_THROWS_AS(rules_with_weights(builtin_rules_text("matrix"), matrix, units, 4, {}), UsageError);
}
