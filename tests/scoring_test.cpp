#include <doctest/doctest.h>

#include <array>
#include <cmath>

#include "grading.hpp"
#include "scoring.hpp"
#include "test_support.hpp"

using namespace riskledger;

namespace {
const std::string kHeader =
    "id,category,found_on,status,severity,likelihood,urgency,people_involved,trend,opinion_heat,casualties,"
    "economic_loss\n";
}

TEST_CASE("to_units rounds half away from zero after removing float noise") {
  CHECK(to_units(72.4, 2) == 7240);
  CHECK(to_units(72.405, 2) == 7241);                // decimal half: away from zero
  CHECK(to_units(44.99499999999999744, 2) == 4500);  // the double of 44.995
  CHECK(to_units(25.625, 2) == 2563);                // exact binary half (printf would give 25.62)
  CHECK(to_units(70.00000000000001, 2) == 7000);
  CHECK(to_units(69.99999999999999, 2) == 7000);
  CHECK(to_units(69.994999, 2) == 6999);
  CHECK(to_units(-0.125, 2) == -13);
  CHECK(to_units(12.5, 0) == 13);
  CHECK(to_units(0, 2) == 0);
  // Every precision: 1.23456789 in 1e-9 units is 1234567890, divided by
  // 10^(9 - p) and rounded half away from zero.
  const int64_t expected[] = {1, 12, 123, 1235, 12346, 123457, 1234568, 12345679, 123456789, 1234567890};
  for (int p = 0; p <= 9; ++p) {
    CAPTURE(p);
    CHECK(to_units(1.23456789, p) == expected[p]);
    CHECK(to_units(-1.23456789, p) == -expected[p]);
  }
  CHECK(to_units(-0.05, 1) == -1);  // -0.5 tenths: away from zero
}

// round_half_away is std::llround without libm: the same value for halves,
// for the largest double below a half, around 2^52 and 2^53 (where the
// fraction is 0.5 or none), and, past 2^62, llround's own answer.
TEST_CASE("round_half_away gives std::llround's value") {
  CHECK(round_half_away(0.5) == 1);
  CHECK(round_half_away(-0.5) == -1);
  CHECK(round_half_away(2.5) == 3);  // not to even
  CHECK(round_half_away(-2.5) == -3);
  CHECK(round_half_away(0.49999999999999994) == 0);  // the double below 0.5: x + 0.5 would round up to 1
  CHECK(round_half_away(-0.49999999999999994) == 0);
  CHECK(round_half_away(4503599627370495.5) == 4503599627370496);  // 2^52 - 0.5
  CHECK(round_half_away(9007199254740993.0) == 9007199254740992);  // 2^53 + 1 is the double 2^53
  CHECK(round_half_away(72404999999.99998) == 72405000000);
  const double values[] = {
      0.0,  -0.0,   1e-300,  0.49999999999999994, 1.5,   -1.5, 123456.5, -98765.49999999999, 1e15,
      1e18, 0x1p62, -0x1p62, 0x1p62 - 1024,       3.7e18};
  for (const double v : values) {
    CAPTURE(v);
    CHECK(round_half_away(v) == std::llround(v));
  }
}

TEST_CASE("transforms map a value to a sub-score in [0, 1]") {
  const auto& r = test::default_rules();
  const auto& severity = r.indicators[0];  // linear [1, 5]
  CHECK(sub_score(severity, 1) == 0.0);
  CHECK(sub_score(severity, 3) == 0.5);
  CHECK(sub_score(severity, 5) == 1.0);
  const auto& scope = r.indicators[3];  // log [0, 1000]
  CHECK(sub_score(scope, 0) == 0.0);
  CHECK(sub_score(scope, 9) == doctest::Approx(1 / std::log10(1001.0)));  // log10(10) = 1
  CHECK(sub_score(scope, 1000) == 1.0);
  CHECK(sub_score(scope, 5000) == 1.0);  // clamped
  const auto& harm = r.indicators[6];    // bins 0 -> 0, <=2 -> .6, <=9 -> .8, else 1
  CHECK(sub_score(harm, 0) == 0.0);
  CHECK(sub_score(harm, 2) == 0.6);
  CHECK(sub_score(harm, 3) == 0.8);
  CHECK(sub_score(harm, 9) == 0.8);
  CHECK(sub_score(harm, 10) == 1.0);
  const auto& trend = r.indicators[4];  // map rising 1, stable .5, easing 0
  CHECK(sub_score(trend, 0) == 1.0);
  CHECK(sub_score(trend, 1) == 0.5);
  CHECK(sub_score(trend, 2) == 0.0);
}

TEST_CASE("a fully measured public_order record") {
  // severity 4, likelihood 2, urgency 3, 9 people, rising, casualties 0:
  // 25*.75 + 20*.5 + 20*.25 + 15*(1/3.000434) + 10*1 + 10*0
  // = 18.75 + 10 + 5 + 4.999277 + 10 + 0 = 48.749277 -> 48.75
  const auto& r = test::default_rules();
  const auto b = test::batch_from_csv(kHeader + "X1,public_order,2026-11-20,open,4,2,3,9,rising,,0,\n");
  REQUIRE(b.size() == 1);
  std::array<double, 8> pts{};
  const auto s = score_record(r, b, 0, pts);
  CHECK(s.ok);
  CHECK(s.raw == doctest::Approx(48.749277).epsilon(1e-8));
  CHECK(s.units == 4875);
  CHECK(s.unmeasured == 0);
  CHECK(pts[0] == 18.75);
  CHECK(pts[1] == 10.0);
  CHECK(pts[2] == 5.0);
  CHECK(std::isnan(pts[5]));  // opinion: no weight for public_order
  CHECK(pts[6] == 0.0);       // harm measured as 0
}

TEST_CASE("unmeasured indicators give their weight to the measured ones") {
  // public_safety 2/2/2, casualties 3, loss empty: M = .85,
  // raw = 100 * (.25*.25 + .15*.25 + .20*.25 + .25*.8) / .85 = 100 * .35 / .85 = 41.176471 -> 41.18
  const auto& r = test::default_rules();
  const auto b = test::batch_from_csv(kHeader + "X2,public_safety,2026-11-01,resolved,2,2,2,,,,3,\n");
  std::array<double, 8> pts{};
  const auto d = decide(r, b, 0, pts);
  CHECK(d.score.units == 4118);
  CHECK(d.score.unmeasured == (uint64_t{1} << 7));  // loss
  CHECK(pts[6] == doctest::Approx(100 * .25 / .85 * .8));
  CHECK(d.threshold_grade == 2);  // C
  CHECK(d.grade == 0);            // casualties >= 3 forces A
  CHECK(d.decided_by == 0);
  CHECK(decided_by_text(r, d) == "override casualties: casualties >= 3; not measured: loss");
  CHECK(top_factors_text(r, b, 0) == "harm 23.53; severity 7.35; likelihood 5.88");
}

TEST_CASE("top factors leave out contributions of zero points") {
  // public_order, severity 1 and likelihood 1 (linear [1, 5]: 0), urgency 3
  // (0.5), no people, easing, no casualties: only urgency has points,
  // 100 * .20 * .5 = 10.00. The second record has none at all.
  const auto& r = test::default_rules();
  const auto b = test::batch_from_csv(kHeader + "X9,public_order,2026-11-20,open,1,1,3,0,easing,,0,\n" +
                                      "X8,public_order,2026-11-20,open,1,1,1,0,easing,,0,\n");
  REQUIRE(b.size() == 2);
  CHECK(top_factors_text(r, b, 0) == "urgency 10.00");
  CHECK(summarize(r, b, 0).factors == 1);
  CHECK(top_factors_text(r, b, 1).empty());
  CHECK(summarize(r, b, 1).factors == 0);
  CHECK(summarize(r, b, 1).units == 0);
}

TEST_CASE("at_least raises a lower grade and leaves a higher one alone") {
  const auto& r = test::default_rules();
  // social_conflict 2/2/2, 60 people, stable, opinion 0:
  // 5 + 5 + 3.75 + 25*(log10 61/log10 1001 = .595024) + 7.5 + 0 = 36.125596 -> 36.13, C -> B.
  const auto low = test::batch_from_csv(kHeader + "X3,social_conflict,2026-11-01,,2,2,2,60,stable,0,,\n");
  auto d = decide(r, low, 0, {});
  CHECK(d.score.units == 3613);
  CHECK(d.threshold_grade == 2);
  CHECK(d.grade == 1);
  CHECK(decided_by_text(r, d) == "override mass_incident: people_involved >= 50");
  // The same with severity 5, urgency 5, likelihood 5: 20+20+15+14.875596+7.5+0 = 77.375596 -> A stays A.
  const auto high = test::batch_from_csv(kHeader + "X4,social_conflict,2026-11-01,,5,5,5,60,stable,0,,\n");
  d = decide(r, high, 0, {});
  CHECK(d.score.units == 7738);
  CHECK(d.grade == 0);
  CHECK(d.decided_by == -1);
  CHECK(decided_by_text(r, d) == "threshold A: 77.38 >= 70");
}

TEST_CASE("a score exactly on a threshold reaches it") {
  // political_security 3/3/3, stable, opinion 5, people empty: M = .9,
  // raw = 100*(.3*.5 + .2*.5 + .2*.5 + .1*.5 + .1*.05)/.9 = 100*.405/.9 = 45 -> B.
  const auto& r = test::default_rules();
  const auto b = test::batch_from_csv(kHeader + "X5,political_security,2026-11-01,,3,3,3,,stable,5,,\n");
  const auto d = decide(r, b, 0, {});
  CHECK(d.score.units == 4500);
  CHECK(d.grade == 1);
  CHECK(decided_by_text(r, d) == "threshold B: 45.00 >= 45; not measured: scope");
}

TEST_CASE("deadline and overdue") {
  const auto& r = test::default_rules();
  const auto b = test::batch_from_csv(kHeader +
                                      "D1,public_order,2026-11-10,open,1,1,1,,,,,\n"
                                      "D2,public_order,2026-11-10,closed,1,1,1,,,,,\n");
  const auto due = deadline(r, b, 0, 2);  // C: 30 days
  REQUIRE(due);
  CHECK(format_date(*due) == "2026-12-10");
  CHECK_FALSE(overdue(r, b, 0, due, *parse_date("2026-12-10")));  // on the day: not yet
  CHECK(overdue(r, b, 0, due, *parse_date("2026-12-11")));
  CHECK_FALSE(overdue(r, b, 1, due, *parse_date("2026-12-11")));  // closed
}

TEST_CASE("matrix method: score = likelihood x severity") {
  const auto r = load_rules(builtin_rules_text("matrix"), "matrix.yaml");
  const auto b = test::batch_from_csv(kHeader +
                                          "M1,public_safety,2026-11-01,,5,4,,,,,,\n"   // 4*5 = 20 -> A
                                          "M2,public_safety,2026-11-01,,3,3,,,,,,\n"   // 9 -> C
                                          "M3,public_safety,2026-11-01,,1,3,,,,,,\n",  // 3 -> D
                                      r);
  REQUIRE(b.size() == 3);
  std::vector<double> none;
  auto d = decide(r, b, 0, none);
  CHECK(d.score.units == 20);
  CHECK(r.grades[static_cast<size_t>(d.grade)].name == "A");
  CHECK(top_factors_text(r, b, 0) == "likelihood 4 x severity 5");
  d = decide(r, b, 1, none);
  CHECK(d.score.units == 9);
  CHECK(r.grades[static_cast<size_t>(d.grade)].name == "C");
  d = decide(r, b, 2, none);
  CHECK(d.score.units == 3);
  CHECK(r.grades[static_cast<size_t>(d.grade)].name == "D");
}
