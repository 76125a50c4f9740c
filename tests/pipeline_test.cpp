#include "pipeline.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "test_support.hpp"

using namespace riskledger;

namespace {

// Writes files into a fresh temporary directory, removed at the end.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("riskledger_test_" + std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    const auto p = (path / name).string();
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
};

const std::string kHeader = "id,category,found_on,severity,likelihood,urgency\n";

// kHeader, then `count` rows: row(i) gives row i's line.
template <typename Row>
std::string many_rows(uint32_t count, const Row& row) {
  std::string text = kHeader;
  for (uint32_t i = 0; i < count; ++i) text += row(i);
  return text;
}

}  // namespace

TEST_CASE("counts reconcile and duplicates across files are all rejected") {
  const TempDir dir;
  const auto a = dir.write("a.csv", kHeader +
                                        "A1,public_order,2026-11-01,5,5,5\n"  // 100*(.25+.2+.2)/.75 = 86.67 A
                                        "A2,public_order,2026-11-01,1,1,1\n"  // 0.00 C
                                        "DUP,public_order,2026-11-01,3,3,3\n"  // duplicate
                                        "BAD,public_order,2026-11-01,9,3,3\n");
  const auto b = dir.write("b.yaml",
                           "records:\n  - {id: DUP, category: 治安, found_on: 2026-11-02, severity: 2, "
                           "likelihood: 2, urgency: 2}\n  - {id: B1, category: public_order, found_on: "
                           "2026-11-02, severity: 3, likelihood: 3, urgency: 3}\n");
  const auto& rules = test::default_rules();
  const auto inputs = load_inputs({a, b}, rules);
  auto run = grade_inputs(inputs, rules);
  CHECK(run.read == 6);
  CHECK(run.graded.size() == 3);  // A1, A2, B1
  CHECK(run.rejected == 3);       // BAD, DUP twice
  CHECK(run.read == run.graded.size() + run.rejected);
  REQUIRE(run.problems.size() == 3);
  CHECK(run.problems[0].reason == "duplicate id (also at " + b + ":2)");
  CHECK(run.problems[1].reason == "out of range (must be from 1 to 5)");
  CHECK(run.problems[2].reason == "duplicate id (also at " + a + ":4)");

  rank(run.graded, inputs, rules);
  std::vector<std::string> order;
  for (const auto& g : run.graded) order.emplace_back(inputs.batches[g.batch].str(rules.id_field, g.row));
  // A1 86.67 A; B1 3/3/3 = 100*(.25*.5+.2*.5+.2*.5)/.75 = 43.33 C; A2 0.00 C.
  CHECK(order == std::vector<std::string>{"A1", "B1", "A2"});
  CHECK(run.per_grade == std::vector<uint64_t>{1, 0, 2});
}

TEST_CASE("the ledger does not depend on input order") {
  const TempDir dir;
  const auto& rules = test::default_rules();
  const auto forward = dir.write("f.csv", kHeader +
                                              "T2,public_order,2026-11-01,3,3,3\n"
                                              "T1,public_order,2026-11-01,3,3,3\n"
                                              "T3,cyber_security,2026-11-01,4,4,4\n");
  const auto backward = dir.write("b.csv", kHeader +
                                               "T3,cyber_security,2026-11-01,4,4,4\n"
                                               "T1,public_order,2026-11-01,3,3,3\n"
                                               "T2,public_order,2026-11-01,3,3,3\n");
  auto ids = [&](const std::string& path) {
    const auto inputs = load_inputs({path}, rules);
    auto run = grade_inputs(inputs, rules);
    rank(run.graded, inputs, rules);
    std::string out;
    for (const auto& g : run.graded)
      out += std::string(inputs.batches[g.batch].str(rules.id_field, g.row)) + " ";
    return out;
  };
  // T3 cyber 4/4/4: 100*(.2*.75+.15*.75+.15*.75)/.5 = 75.00 A; T1, T2 tie at 43.33 C: by id.
  CHECK(ids(forward) == "T3 T1 T2 ");
  CHECK(ids(backward) == "T3 T1 T2 ");
}

TEST_CASE("a projection keeps the id, the fields flagged and the extra columns named") {
  const auto& rules = test::default_rules();
  const auto map = map_header({"id", "title", "district", "category", "found_on", "severity", "likelihood",
                               "urgency", "备注", "note"},
                              rules, "t.csv");
  CHECK(TextProjection{}.slots(rules, map).empty());  // everything
  TextProjection text;
  text.all = false;
  text.fields.assign(rules.fields.size(), 0);
  text.fields[static_cast<size_t>(rules.find_field("district"))] = 1;
  text.extra = {"note"};
  // Slots: id, title, subtype, city, district, township, village, grid,
  // responsible_unit, responsible_person, then 备注 and note. The id is kept
  // though not flagged.
  const std::vector<uint8_t> expected{1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1};
  CHECK(text.slots(rules, map) == expected);
}

TEST_CASE("loading with a projection: the ledger's text is there, the rest is not held") {
  TempDir dir;
  const auto path = dir.write("a.csv",
                              "id,title,district,category,found_on,severity,likelihood,urgency,备注\n"
                              "A1,标题,南明区,public_order,2026-11-01,3,3,3,r\n");
  const auto& rules = test::default_rules();
  TextProjection text;
  text.all = false;
  text.fields.assign(rules.fields.size(), 0);
  text.fields[static_cast<size_t>(rules.find_field("title"))] = 1;
  const auto inputs = load_inputs({path}, rules, "utf-8", 1, text);
  REQUIRE(inputs.batches.size() == 1);
  const auto& batch = inputs.batches[0];
  REQUIRE(batch.size() == 1);
  CHECK(batch.str(rules.id_field, 0) == "A1");
  CHECK(batch.str(rules.find_field("title"), 0) == "标题");
  CHECK_FALSE(batch.kept(
      static_cast<size_t>(batch.slot_of_field[static_cast<size_t>(rules.find_field("district"))])));
  CHECK_FALSE(batch.kept(batch.string_slots));  // 备注
  // 10 header bytes, 11 length bytes, "A1" 2 + "标题" 6 = 29.
  CHECK(batch.cells.size() == 29);
}

// Past 2 * 65536 places the duplicate check splits the ids by hash into one
// table per thread: every duplicate is still found, and the problems are the
// same, in the same order, on one thread or two.
TEST_CASE("duplicates among many records: the same problems on any number of threads") {
  const TempDir dir;
  const auto& rules = test::default_rules();
  // 150000 rows; rows 100000.. repeat the ids of rows 0, 2, 4, ...: 50000
  // ids twice, so 100000 records rejected and 50000 graded.
  constexpr uint32_t kRows = 150000;
  const auto path = dir.write("many.csv", many_rows(kRows, [](uint32_t i) {
                                return fmt::format("R{},public_order,2026-11-01,3,3,3\n",
                                                   i < 100000 ? i : (i - 100000) * 2);
                              }));
  std::vector<std::vector<std::string>> seen;
  // Read as GB18030 (the same bytes: all ASCII), the file comes in chunks of
  // kChunkRows rows: three batches, rejected records in each, to be compacted.
  for (const auto& run_with : {std::pair{"utf-8", 1u}, std::pair{"utf-8", 2u}, std::pair{"utf-8", 3u},
                               std::pair{"gb18030", 1u}, std::pair{"gb18030", 2u}}) {
    // Copies, not a structured binding: CAPTURE cannot name one (clang 14).
    const std::string encoding = run_with.first;
    const unsigned threads = run_with.second;
    CAPTURE(encoding);
    CAPTURE(threads);
    const auto inputs = load_inputs({path}, rules, encoding, threads);
    CHECK(inputs.batches.size() == (encoding == "utf-8" ? 1u : 3u));
    const auto run = grade_inputs(inputs, rules, threads);
    CHECK(run.read == kRows);
    CHECK(run.rejected == 100000);
    CHECK(run.graded.size() == 50000);
    REQUIRE(run.problems.size() == 100000);
    // R0 is on line 2 and again on line 100002 (row 100000).
    CHECK(run.problems.front().line == 2);
    CHECK(run.problems.front().reason == "duplicate id (also at " + path + ":100002)");
    CHECK(run.problems.back().line == kRows + 1);
    CHECK(run.problems.back().id == "R99998");
    // The records kept are rows 1, 3, 5, ..., 99999, in input order.
    bool in_order = true;
    for (size_t k = 0; k < run.graded.size(); ++k) {
      const auto& g = run.graded[k];
      in_order = in_order && g.seq == k &&
                 inputs.batches[g.batch].str(rules.id_field, g.row) == fmt::format("R{}", 2 * k + 1);
    }
    CHECK(in_order);
    std::vector<std::string> described;
    for (const auto& p : run.problems) described.push_back(fmt::format("{}:{}:{}", p.line, p.id, p.reason));
    seen.push_back(described);
  }
  for (const auto& other : seen) CHECK(other == seen[0]);
}

// Ledger order by either way rank() sorts: with two decimals (3 grades x
// 10,001 scores) the decisions are counted into a bucket per grade and
// score, each bucket sorted by id; with six decimals (100,000,001 scores)
// 24-byte keys are sorted, with over 2 * 65536 records in one part per
// thread, merged on every thread. Either way the order is the same for 1-3
// threads, and it is the order the rules define (grade, score descending, id).
TEST_CASE("ledger order of many records: the same on any number of threads") {
  const TempDir dir;
  auto six_text = std::string(builtin_rules_text("default"));
  const auto at = six_text.find("precision: 2");
  REQUIRE(at != std::string::npos);
  const auto six_decimals = load_rules(six_text.replace(at, 12, "precision: 6"), "six.yaml");
  // 200000 records, ids in a scrambled order, 125 score levels (many ties,
  // ordered by id).
  constexpr uint32_t kRows = 200000;
  const auto path = dir.write("order.csv", many_rows(kRows, [](uint32_t i) {
                                const uint32_t id =
                                    (i * 7919u) % kRows;  // 7919 is prime to 200000: every id once
                                return fmt::format("R{:06},public_order,2026-11-01,{},{},{}\n", id, 1 + i % 5,
                                                   1 + i / 5 % 5, 1 + i / 25 % 5);
                              }));
  // The top, 5/5/5, scores 100 * (.25 + .2 + .2) / .75 = 86.666..., grade A:
  // 8667 hundredths, 86666667 millionths.
  const std::pair<const Rules*, int64_t> cases[] = {{&test::default_rules(), 8667},
                                                    {&six_decimals, 86666667}};
  for (const auto& [rules_ptr, top] : cases) {
    const Rules& rules = *rules_ptr;
    CAPTURE(rules.precision);
    std::vector<std::string> first;
    for (const unsigned threads : {1u, 2u, 3u}) {
      CAPTURE(threads);
      const auto inputs = load_inputs({path}, rules, "utf-8", threads);
      auto run = grade_inputs(inputs, rules, threads);
      REQUIRE(run.graded.size() == kRows);
      rank(run.graded, inputs, rules, threads);
      std::vector<std::string> ids;
      bool ordered = true;
      for (size_t k = 0; k < run.graded.size(); ++k) {
        const auto& g = run.graded[k];
        ids.emplace_back(inputs.batches[g.batch].str(rules.id_field, g.row));
        if (k == 0) continue;
        const auto& p = run.graded[k - 1];
        ordered = ordered && (p.grade < g.grade || (p.grade == g.grade && p.units > g.units) ||
                              (p.grade == g.grade && p.units == g.units && ids[k - 1] < ids[k]));
      }
      CHECK(ordered);
      CHECK(run.graded.front().units == top);
      CHECK(run.graded.front().grade == 0);
      if (threads == 1)
        first = ids;
      else
        CHECK(ids == first);
    }
  }
}
