#pragma once
// The `when` language of overrides: a small, safe expression language (no
// eval). Grammar, loosest binding first:
//
//   expr    := or
//   or      := and ("or" and)*
//   and     := not ("and" not)*
//   not     := "not" not | cmp
//   cmp     := primary (("=="|"!="|"<"|"<="|">"|">=") primary | "in" list)?
//   primary := NAME | NUMBER | STRING | "(" expr ")"
//   list    := "[" (literal ("," literal)*)? "]"
//
// Names are field names of the rules. Strings are quoted with ' or ".
// Type rules, checked when the rules load: numbers compare with Integer and
// Number fields; quoted strings with String fields (== != in) , with Enum
// fields (== != in; the string may be a code, label or alias) and with Date
// fields (YYYY-MM-DD, all comparisons). A comparison that reads a missing
// value is false.
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "records.hpp"
#include "rules.hpp"

namespace riskledger {

// A problem in an expression; `column` is the 1-based column in the
// expression text where it was found.
class ExpressionError : public std::runtime_error {
 public:
  ExpressionError(size_t column, const std::string& message) : std::runtime_error(message), column_(column) {}
  size_t column() const { return column_; }

 private:
  size_t column_;
};

// Parses and type-checks `text` against the fields. Throws ExpressionError.
std::shared_ptr<const Expr> compile_expression(std::string_view text, const std::vector<FieldSpec>& fields);

// Evaluates a compiled expression for one record of a batch.
bool evaluate(const Expr& expr, const RecordBatch& batch, size_t row);

// The field indexes an expression reads, in order of first use.
std::vector<int> fields_used(const Expr& expr);

}  // namespace riskledger
