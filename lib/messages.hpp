#pragma once
// What `grade` tells a person about a run, in the ledger's language: why a
// record was rejected (rejects.csv and the problem lines on stderr) and the
// end-of-run summary lines. English is what the library has always written
// (byte for byte); `--lang zh` renders the same facts in Chinese.
//
// A rejected record's reason is one of a few kinds, each with its facts (the
// field, the value, the numbers in the message). The reading and typing code
// writes the English text; reason_kind() tells the kind from it, and the
// Chinese text is then built from the kind, the rules (field labels, ranges,
// enum labels) and the problem's own field and value, never by replacing
// words. A reason of no known kind stays as written (English).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ledger_writer.hpp"
#include "pipeline.hpp"
#include "records.hpp"
#include "rules.hpp"

namespace riskledger {

enum class ReasonKind {
  FieldCount,     // expected 5 fields, found 4
  IdControl,      // an id cannot hold a line break, tab or other control character
  RequiredEmpty,  // required value is empty
  NotNumber,      // not a number (must be from 1 to 5)
  NotWhole,       // not a whole number
  OutOfRange,     // out of range (must be from 1 to 5)
  BadDate,        // not a valid date (expected YYYY-MM-DD)
  UnknownValue,   // unknown trend (expected one of: rising, stable, easing)
  DuplicateId,    // duplicate id (also at a.csv:3, b.csv:7)
  Unscorable,     // no indicator of category public_safety has a value
  Other,          // anything else: kept as written
};

// The kind of an English reason as the library writes it.
ReasonKind reason_kind(std::string_view reason);

// A problem's reason in `lang`: as written for En; for Zh the Chinese text
// of its kind, e.g. "不是数字（应在 1 到 5 之间）", "编号重复（另见 a.csv:3）".
std::string reason_text(const Problem& p, const Rules& rules, Lang lang);

// A field as rejects.csv names it: the canonical name (En), the rules'
// label (Zh; the name when the field has none or the rules do not know it).
std::string field_text(std::string_view field, const Rules& rules, Lang lang);

// rejects.csv in `lang`. En is format_rejects_csv() exactly; Zh has the
// header 文件,行号,编号,字段,值,原因, fields by label and Chinese reasons.
std::string format_rejects(const std::vector<Problem>& problems, const Rules& rules, Lang lang);

// One problem as a line on stderr. En is format_problem() exactly; Zh:
// "a.csv:3: 严重程度='x'：不是数字（应在 1 到 5 之间）".
std::string problem_line(const Problem& p, const Rules& rules, Lang lang);

// The counts line at the end of a run:
//   En: "read 7, graded 6, rejected 1 (A 2, B 3, C 1)"
//   Zh: "读取 7 条，定级 6 条，剔除 1 条；A级（重大）2 条，B级（较大）3 条，C级（一般）1 条"
std::string counts_line(const GradedRun& run, const Rules& rules, Lang lang);

// The line that points at the rejects file:
//   En: "1 record rejected: see out/rejects.csv"   Zh: "剔除 1 条记录，详见 out/rejects.csv"
std::string rejects_line(uint64_t rejected, const std::string& path, Lang lang);

// --strict with rejected records:
//   En: "riskledger: --strict: 2 records rejected, nothing written"
//   Zh: "riskledger: --strict：剔除 2 条记录，未写出任何文件"
std::string strict_line(uint64_t rejected, Lang lang);

}  // namespace riskledger
