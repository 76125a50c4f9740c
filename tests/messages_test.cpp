#include "messages.hpp"

#include <doctest/doctest.h>

#include "test_support.hpp"

using namespace riskledger;

namespace {

const std::string kBadRecords = std::string(RISKLEDGER_SOURCE_DIR) + "/tests/data/bad_records.csv";

Problem problem(std::string field, std::string value, std::string reason) {
  return Problem{0, "a.csv", 3, "X-1", std::move(field), std::move(value), std::move(reason), 0};
}

}  // namespace

TEST_CASE("every reason the reading and typing code writes has a kind") {
  // tests/data/bad_records.csv holds one of each record-level problem (see
  // tests/golden/grade_bad_records.test), duplicates included.
  const auto& rules = test::default_rules();
  const auto inputs = load_inputs({kBadRecords}, rules);
  REQUIRE(inputs.problems.size() == 14);
  for (const auto& p : inputs.problems) {
    INFO(p.reason);
    CHECK(reason_kind(p.reason) != ReasonKind::Other);
    CHECK(reason_text(p, rules, Lang::Zh) != p.reason);
    CHECK(reason_text(p, rules, Lang::En) == p.reason);
  }
  // And en rejects are format_rejects_csv() byte for byte.
  CHECK(format_rejects(inputs.problems, rules, Lang::En) == format_rejects_csv(inputs.problems));
  CHECK(problem_line(inputs.problems[2], rules, Lang::En) == format_problem(inputs.problems[2]));
}

TEST_CASE("reasons in Chinese, from the kind and the rules") {
  const auto& rules = test::default_rules();
  const auto zh = [&](const Problem& p) { return reason_text(p, rules, Lang::Zh); };
  CHECK(zh(problem("", "", "expected 13 fields, found 7")) == "应有 13 个字段，实有 7 个");
  CHECK(zh(problem("id", "A\nB", "an id cannot hold a line break, tab or other control character")) ==
        "编号不能含换行、制表符或其他控制字符");
  CHECK(zh(problem("urgency", "", "required value is empty")) == "必填项为空");
  // Ranges from the rules: severity 1..5, people_involved >= 0, opinion_heat 0..100.
  CHECK(zh(problem("severity", "x", "not a number (must be from 1 to 5)")) == "不是数字（应在 1 到 5 之间）");
  CHECK(zh(problem("people_involved", "-1", "out of range (must be at least 0)")) ==
        "超出范围（应不小于 0）");
  CHECK(zh(problem("opinion_heat", "101", "out of range (must be from 0 to 100)")) ==
        "超出范围（应在 0 到 100 之间）");
  CHECK(zh(problem("urgency", "3.5", "not a whole number")) == "不是整数");
  CHECK(zh(problem("found_on", "2026-02-30", "not a valid date (expected YYYY-MM-DD)")) ==
        "不是有效日期（应为 YYYY-MM-DD）");
  CHECK(zh(problem("status", "done", "unknown status (expected one of: open, handling, resolved, closed)")) ==
        "未知的状态（应为：未化解、化解中、已化解、已销号）");
  CHECK(zh(problem("id", "X-1", "duplicate id (also at a.csv:9, b.csv:2)")) ==
        "编号重复（另见 a.csv:9、b.csv:2）");
  CHECK(zh(problem("", "", "no indicator of category public_safety has a value")) ==
        "“公共安全”类别的指标均无取值，无法评分");
  // A reason of no known kind stays as written.
  CHECK(reason_kind("something new") == ReasonKind::Other);
  CHECK(zh(problem("", "", "something new")) == "something new");
  CHECK(reason_kind("expected a date") == ReasonKind::Other);
}

TEST_CASE("rejects.csv and problem lines in Chinese") {
  const auto& rules = test::default_rules();
  const std::vector<Problem> problems{problem("severity", "9", "out of range (must be from 1 to 5)"),
                                      problem("", "", "expected 13 fields, found 14"),
                                      problem("remark", "v", "something new")};
  CHECK(format_rejects(problems, rules, Lang::Zh) ==
        "文件,行号,编号,字段,值,原因\n"
        "a.csv,3,X-1,严重程度,9,超出范围（应在 1 到 5 之间）\n"
        "a.csv,3,X-1,,,应有 13 个字段，实有 14 个\n"
        "a.csv,3,X-1,remark,v,something new\n");
  CHECK(problem_line(problems[0], rules, Lang::Zh) == "a.csv:3: 严重程度='9'：超出范围（应在 1 到 5 之间）");
  CHECK(problem_line(problems[1], rules, Lang::Zh) == "a.csv:3: 应有 13 个字段，实有 14 个");
  CHECK(field_text("remark", rules, Lang::Zh) == "remark");  // not a rules field
  CHECK(field_text("severity", rules, Lang::En) == "severity");
}

TEST_CASE("summary lines in both languages") {
  const auto& rules = test::default_rules();
  GradedRun run;
  run.read = 15;
  run.graded.resize(3);
  run.rejected = 12;
  run.per_grade = {1, 1, 1};
  CHECK(counts_line(run, rules, Lang::En) == "read 15, graded 3, rejected 12 (A 1, B 1, C 1)");
  CHECK(counts_line(run, rules, Lang::Zh) ==
        "读取 15 条，定级 3 条，剔除 12 条；A级（重大）1 条，B级（较大）1 条，C级（一般）1 条");
  CHECK(rejects_line(1, "out/rejects.csv", Lang::En) == "1 record rejected: see out/rejects.csv");
  CHECK(rejects_line(2, "out/rejects.csv", Lang::En) == "2 records rejected: see out/rejects.csv");
  CHECK(rejects_line(2, "out/rejects.csv", Lang::Zh) == "剔除 2 条记录，详见 out/rejects.csv");
  CHECK(strict_line(1, Lang::En) == "riskledger: --strict: 1 record rejected, nothing written");
  CHECK(strict_line(12, Lang::Zh) == "riskledger: --strict：剔除 12 条记录，未写出任何文件");
}
