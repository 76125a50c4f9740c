#pragma once
// What a ledger shows a person, in the ledger's language: column headers,
// grade labels and colours, and the Chinese texts of decided_by and
// top_factors. English texts of the last two are in grading.hpp.
#include <string>
#include <string_view>

#include "grading.hpp"
#include "rules.hpp"

namespace riskledger {

// decided_by in Chinese, the same facts as append_decided_by():
//   threshold: "得分 86.60 ≥ A级线 70"
//   override:  "规则 casualties（重大伤亡）：casualties >= 3" (the reason in
//              brackets when the rules give one; the condition as written)
//   then "；未测：经济损失(元)、舆情热度" naming unmeasured indicators by
//   their field's Chinese label (the indicator name when it has none).
template <class Out>  // std::string or RowBuffer
void append_decided_by_zh(Out& out, const Rules& rules, const Graded& g);

// top_factors in Chinese: "严重程度 20.00；紧迫程度 20.00；涉及人数 17.35"
// (indicators named by their field's label); matrix: "可能性 4 × 严重程度 5".
template <class Out>
void append_top_factors_zh(Out& out, const Rules& rules, const Graded& g);

// A grade as a --lang zh ledger shows it: the grade's name, "级", then the
// rules' label in full-width brackets: "A级（重大）" (the default rules),
// "A级" when the grade has no label. The name comes first, so the text
// still sorts and reads as the grade the rules name; a name that already
// ends in 级 gets no second one ("一级（重大）").
std::string grade_text_zh(const Rules& rules, size_t grade);
void append_grade_zh(std::string& out, const Rules& rules, size_t grade);

// The grade a ledger cell names, in either language: the grade's name
// ("A"), its zh text ("A级（重大）"), "A级", or its label alone ("重大").
// Returns the grade's index, or -1.
int grade_of_text(const Rules& rules, std::string_view text);

// The Chinese name of an indicator: its field's label, else its name.
std::string_view indicator_label(const Rules& rules, size_t indicator);

// A grade's colour as CSS/Excel hex "#RRGGBB". `color` in the rules is a
// name (red, orange, yellow, green, blue, purple, gray/grey) or "#RRGGBB";
// empty means the default for the grade's position: red, orange, yellow,
// then blue and gray. Returns empty for a name it does not know.
std::string grade_color_hex(const Rules& rules, size_t grade);
std::string color_hex(std::string_view color);  // "" when unknown

}  // namespace riskledger
