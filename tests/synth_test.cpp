#include "synth.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "csv_reader.hpp"
#include "error.hpp"
#include "pipeline.hpp"
#include "test_support.hpp"

using namespace riskledger;

namespace {

struct Output {
  std::string bytes;
  SynthStats stats;
  size_t writes = 0;
};

Output generate(uint64_t count, uint64_t seed, double bad_rate = 0) {
  Output o;
  o.stats = synth({count, seed, bad_rate}, [&](std::string_view b) {
    o.bytes.append(b);
    ++o.writes;
  });
  return o;
}

std::string header_line() {
  std::string h;
  for (const auto c : synth_columns()) {
    if (!h.empty()) h.push_back(',');
    h.append(c);
  }
  h.push_back('\n');
  return h;
}

// Grades CSV text with the default rules, as `grade` does.
GradedRun grade_text(const std::string& csv) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("riskledger_synth_test_" + std::to_string(reinterpret_cast<uintptr_t>(&csv)));
  std::filesystem::create_directories(dir);
  const auto path = (dir / "synth.csv").string();
  std::ofstream(path, std::ios::binary) << csv;
  const auto& rules = test::default_rules();
  const auto inputs = load_inputs({path}, rules);
  auto run = grade_inputs(inputs, rules);
  std::filesystem::remove_all(dir);
  return run;
}

}  // namespace

TEST_CASE("synth: the same seed gives the same bytes, another seed other bytes") {
  const auto a = generate(500, 42), b = generate(500, 42), c = generate(500, 43);
  CHECK(a.bytes == b.bytes);
  CHECK(a.bytes != c.bytes);
  // A record depends on its number and the seed, not on the count.
  const auto longer = generate(800, 42);
  CHECK(longer.bytes.compare(0, a.bytes.size(), a.bytes) == 0);
}

TEST_CASE("synth: the header, the row count and unique ids") {
  const auto out = generate(3000, 7);
  CHECK(out.stats.records == 3000);
  CHECK(out.stats.injected == 0);
  CHECK(out.bytes.starts_with(header_line()));
  CHECK(header_line() ==
        "id,title,category,subtype,district,township,village,grid,responsible_unit,responsible_person,"
        "found_on,status,severity,likelihood,urgency,people_involved,trend,opinion_heat,casualties,"
        "economic_loss,remark\n");

  CsvReader reader("synth.csv", memory_stream(out.bytes));
  const auto table = test::read_table(reader, 1000);
  CHECK(table.header.size() == 21);
  CHECK(table.rows.size() == 3000);
  std::set<std::string> ids;
  size_t quoted = 0, multiline = 0;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    CHECK(table.field_counts[r] == 21);
    ids.insert(table.rows[r][0]);
    if (table.rows[r][1].find_first_of(",\"") != std::string::npos ||
        table.rows[r][20].find_first_of(",\"") != std::string::npos)
      ++quoted;
    if (table.rows[r][20].find('\n') != std::string::npos) ++multiline;
  }
  CHECK(ids.size() == 3000);
  CHECK(*ids.begin() == "R2026-000000001");
  CHECK(*ids.rbegin() == "R2026-000003000");
  // About 1% of titles and 1% of remarks need quoting; a few remarks span lines.
  CHECK(quoted > 20);
  CHECK(quoted < 150);
  CHECK(multiline > 0);
}

TEST_CASE("synth: zero records is just the header") {
  const auto out = generate(0, 1);
  CHECK(out.bytes == header_line());
  CHECK(out.stats.records == 0);
}

TEST_CASE("synth: output comes in large chunks") {
  const auto out = generate(40000, 3);  // about 7 MB
  CHECK(out.bytes.size() > 2 * kSynthChunkBytes);
  CHECK(out.writes == out.bytes.size() / kSynthChunkBytes + 1);
}

TEST_CASE("synth: every record grades cleanly") {
  const auto out = generate(2000, 11);
  const auto run = grade_text(out.bytes);
  CHECK(run.read == 2000);
  CHECK(run.rejected == 0);
  CHECK(run.graded.size() == 2000);
  // All grades occur.
  for (const auto n : run.per_grade) CHECK(n > 0);
}

TEST_CASE("synth: a bad rate injects problems that are each rejected once") {
  const auto clean = generate(2000, 11);
  const auto out = generate(2000, 11, 0.05);
  CHECK(out.stats.injected > 60);
  CHECK(out.stats.injected < 140);
  const auto run = grade_text(out.bytes);
  CHECK(run.read == 2000);
  CHECK(run.rejected == out.stats.injected);
  CHECK(run.graded.size() + run.rejected == 2000);
  // Only the picked records differ from the clean output.
  std::istringstream a(clean.bytes), b(out.bytes);
  std::string la, lb;
  size_t differ = 0;
  while (std::getline(a, la) && std::getline(b, lb)) differ += la != lb;
  CHECK(differ == out.stats.injected);  // problems never touch remarks, so lines stay aligned
  CHECK(generate(100, 11, 1.0).stats.injected == 100);
}

TEST_CASE("synth: a bad rate outside [0, 1] is a usage error") {
  CHECK_THROWS_AS(generate(1, 1, 1.5), UsageError);
  CHECK_THROWS_AS(generate(1, 1, -0.1), UsageError);
}

TEST_CASE("synth: rules must declare the default schema") {
  CHECK(synth_missing_fields(test::default_rules()).empty());
  auto rules = test::default_rules();
  std::erase_if(rules.fields, [](const FieldSpec& f) { return f.name == "trend" || f.name == "grid"; });
  CHECK(synth_missing_fields(rules) == std::vector<std::string>{"grid", "trend"});
}

TEST_CASE("synth: writing a file replaces it whole") {
  const auto dir = std::filesystem::temp_directory_path() / "riskledger_synth_file_test";
  std::filesystem::create_directories(dir);
  const auto path = (dir / "out.csv").string();
  std::ofstream(path) << "old\n";
  const auto stats = synth_to_file({100, 5, 0}, path);
  CHECK(stats.records == 100);
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(bytes == generate(100, 5).bytes);
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++files;
  CHECK(files == 1);  // no temporary file left behind
  std::filesystem::remove_all(dir);
  CHECK_THROWS_AS(synth_to_file({1, 1, 0}, (dir / "missing" / "out.csv").string()), InputError);
}
