#pragma once
// What a ledger shows a person, in the ledger's language: column headers,
// grade labels and colours, and the Chinese texts of decided_by and
// top_factors. English texts of the last two are in grading.hpp.
#include <string>
#include <string_view>
#include <vector>

#include "grading.hpp"
#include "rules.hpp"

namespace riskledger {

// The decided_by and top_factors texts of a decision, in English or Chinese.
// Their pieces from the rules (override texts, the words around a
// threshold's score, indicator names with their separators) are put
// together once, so a row appends a few pieces and its numbers.
//
// decided_by:
//   threshold: "threshold A: 72.40 >= 70"; zh "得分 86.60 ≥ A级线 70"
//   override:  "override casualties: casualties >= 3"; zh "规则 casualties（重大伤亡）：
//              casualties >= 3" (the reason in brackets when the rules give
//              one; the condition as written)
//   then "; not measured: opinion, loss"; zh "；未测：经济损失(元)、舆情热度",
//   naming unmeasured indicators (zh: by their field's Chinese label, the
//   indicator name when it has none).
// top_factors: the three largest contributions, "severity 22.50; scope 15.00;
//   urgency 15.00"; zh "严重程度 20.00；紧迫程度 20.00；涉及人数 17.35"
//   (indicators named as above); matrix "likelihood 4 x severity 5", zh
//   "可能性 4 × 严重程度 5".
class DecisionText {
 public:
  DecisionText(const Rules& rules, bool zh);
  template <class Out>  // std::string or RowBuffer
  void decided_by(Out& out, const Graded& g) const;
  template <class Out>
  void top_factors(Out& out, const Graded& g) const;
  // Whether the text for `g` may hold a byte CSV quotes (is_plain_text):
  // only when one of the pieces it is made of does (numbers never do).
  bool decided_by_may_quote(const Graded& g) const {
    return !pieces_plain_ || (!separator_plain_ && (g.unmeasured & (g.unmeasured - 1)) != 0);
  }
  bool top_factors_may_quote() const { return !pieces_plain_; }

 private:
  int precision_ = 0;
  bool matrix_ = false;
  // Every piece is plain text, but the separator between two unmeasured
  // indicators (English ", "), which is apart.
  bool pieces_plain_ = true;
  bool separator_plain_ = true;
  std::vector<std::string> override_;                    // per override, its whole text
  std::vector<std::string> before_score_, after_score_;  // per grade, around a threshold's score
  std::string unmeasured_, unmeasured_separator_;
  std::vector<std::string> indicator_;  // per indicator, as unmeasured names it
  // Per indicator, as top_factors names it before its points: first, and
  // after another factor (with the separator).
  std::vector<std::string> factor_first_, factor_next_;
  std::string likelihood_, severity_;  // matrix: before each factor
};

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
