#include "expression.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "dates.hpp"
#include "text.hpp"

// How a `when` expression is compiled and evaluated.
//
// Tokens: names [A-Za-z_][A-Za-z0-9_]* (the keywords and, or, not, in are
// reserved and lowercase), numbers as parse_number reads them ("3", "0.5",
// "1e3"), strings in '...' or "..." (no escapes; any UTF-8 inside), the
// operators == != < <= > >=, and ( ) [ ] , -. A '-' is only allowed right
// before a number, where it makes a negative literal (`x >= -1`, `[-1, 2]`).
//
// Grammar (see expression.hpp), loosest binding first:
//
//   or      := and ("or" and)*
//   and     := not ("and" not)*
//   not     := "not" not | cmp
//   cmp     := primary (OP primary | "in" list)?
//   primary := NAME | ["-"] NUMBER | STRING | "(" or ")"
//   list    := "[" (literal ("," literal)*)? "]"
//
// A cmp without an operator must be a parenthesised condition: a bare field
// or literal is an error, and so is comparing a condition with anything.
//
// Everything is resolved while compiling: names to field indexes, enum values
// (code, label or alias) to their index, date strings to day numbers, number
// text to doubles, and every comparison to one node with its constants, so
// `evaluate` neither allocates nor looks anything up. A literal on the left
// is moved to the right with the operator mirrored (`3 <= x` is `x >= 3`).
//
// Missing values: a comparison that reads a missing value (NaN in a typed
// column; an empty String field) is false whatever its operator, so both
// `x == 1` and `x != 1` are false for a record without x, and `not x == 1`
// is true.
//
// Errors are ExpressionError with the 1-based column, counted in characters
// (UTF-8 code points), of the token at fault. Expressions are limited to
// kMaxLength bytes and kMaxDepth nested parentheses and `not`s, so a hostile
// rules file cannot exhaust the stack while compiling or evaluating.

namespace riskledger {

namespace expression_impl {

constexpr size_t kMaxLength = 4096;
constexpr int kMaxDepth = 64;

enum class Op : uint8_t { Eq, Ne, Lt, Le, Gt, Ge };

enum class NodeKind : uint8_t {
  Or,        // any of children [first, first + count)
  And,       // all of children [first, first + count)
  Not,       // not child `first`
  NumCmp,    // num(field) op value
  FieldCmp,  // num(field) op num(other)
  NumIn,     // num(field) in numbers [first, first + count)
  StrCmp,    // str(field) op strings[first], op is Eq or Ne
  StrIn,     // str(field) in strings [first, first + count)
};

struct Node {
  NodeKind kind = NodeKind::Or;
  Op op = Op::Eq;
  int field = -1;
  int other = -1;
  uint32_t first = 0;
  uint32_t count = 0;
  double value = 0;
};

}  // namespace expression_impl

struct Expr {
  std::vector<expression_impl::Node> nodes;
  std::vector<uint32_t> children;    // of Or and And nodes
  std::vector<double> numbers;       // of NumIn nodes
  std::vector<std::string> strings;  // of StrCmp and StrIn nodes
  std::vector<int> fields;           // read, in order of first use
  uint32_t root = 0;
};

namespace expression_impl {
namespace {

// ---- Tokens ---------------------------------------------------------------

enum class Tok : uint8_t {
  Name,
  Number,
  String,
  Cmp,
  In,
  And,
  Or,
  Not,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Minus,
  End
};

struct Token {
  Tok kind = Tok::End;
  Op op = Op::Eq;         // Cmp only
  size_t off = 0;         // byte offset in the expression text
  std::string_view text;  // as written, quotes included
};

size_t column_at(std::string_view text, size_t off) {
  size_t column = 1;
  for (size_t i = 0; i < off && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

[[noreturn]] void fail_at(std::string_view text, size_t off, const std::string& message) {
  throw ExpressionError(column_at(text, off), message);
}

bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_name_char(char c) {
  return is_name_start(c) || is_digit(c);
}
// Between tokens: space, tab and line ends (not VT or FF, unlike trim).
bool is_token_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
bool is_ascii(char c) {
  return (static_cast<unsigned char>(c) & 0x80) == 0;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// " (keywords are lowercase: 'and')" for `AND`, else "".
std::string keyword_hint(std::string_view name) {
  for (std::string_view keyword : {"and", "or", "not", "in"}) {
    if (iequals(name, keyword)) return fmt::format(" (keywords are lowercase: '{}')", keyword);
  }
  return {};
}

// "'x'" for a token, or "end of expression".
std::string describe(const Token& t) {
  if (t.kind == Tok::End) return "end of expression";
  if (t.kind == Tok::Name) return fmt::format("'{}'{}", t.text, keyword_hint(t.text));
  return fmt::format("'{}'", t.text);
}

// The field whose label or header alias is `word`, or -1.
int field_with_alias(std::string_view word, const std::vector<FieldSpec>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].label == word) return static_cast<int>(i);
    for (const auto& alias : fields[i].aliases) {
      if (iequals(alias, word)) return static_cast<int>(i);
    }
  }
  return -1;
}

bool is_enum_value(std::string_view word, const std::vector<FieldSpec>& fields) {
  for (const auto& f : fields) {
    if (f.type == FieldType::Enum && f.find_value(word) >= 0) return true;
  }
  return false;
}

size_t common_prefix(std::string_view a, std::string_view b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

// The field `name` was probably meant to be, or "": a close typo
// (did_you_mean), else a field that shares a prefix of 4 or more characters
// with it, covering all but at most two characters of the shorter of the two,
// which catches singular and plural (casualty, casualties) and truncations
// (people, people_involved).
std::string suggest_field(std::string_view name, const std::vector<FieldSpec>& fields) {
  std::vector<std::string> names;
  names.reserve(fields.size());
  for (const auto& f : fields) names.push_back(f.name);
  std::string best = did_you_mean(name, names);
  if (!best.empty()) return best;
  size_t best_prefix = 0;
  for (const auto& candidate : names) {
    const size_t prefix = common_prefix(name, candidate);
    const size_t shorter = std::min(name.size(), candidate.size());
    if (prefix >= 4 && prefix + 2 >= shorter && prefix > best_prefix) {
      best_prefix = prefix;
      best = candidate;
    }
  }
  return best;
}

// Message for a name that is not a field, with the most useful hint.
std::string unknown_field_message(std::string_view name, const std::vector<FieldSpec>& fields) {
  const std::string hint = keyword_hint(name);
  if (!hint.empty()) return fmt::format("unknown field '{}'{}", name, hint);
  if (is_enum_value(name, fields)) {
    return fmt::format("unknown field '{}' (to compare with a value, quote it: '{}')", name, name);
  }
  const int aliased = field_with_alias(name, fields);
  if (aliased >= 0) {
    return fmt::format("unknown field '{}' (write the field name: '{}')", name,
                       fields[static_cast<size_t>(aliased)].name);
  }
  const std::string suggestion = suggest_field(name, fields);
  if (!suggestion.empty()) {
    return fmt::format("unknown field '{}' (did you mean '{}'?)", name, suggestion);
  }
  return fmt::format("unknown field '{}'", name);
}

class Lexer {
 public:
  Lexer(std::string_view text, const std::vector<FieldSpec>& fields) : text_(text), fields_(fields) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < text_.size() && is_token_space(text_[pos_])) ++pos_;
      if (pos_ >= text_.size()) break;
      tokens.push_back(next());
    }
    tokens.push_back(Token{Tok::End, Op::Eq, text_.size(), {}});
    return tokens;
  }

 private:
  Token make(Tok kind, size_t start, Op op = Op::Eq) const {
    return Token{kind, op, start, text_.substr(start, pos_ - start)};
  }

  Token next() {
    const size_t start = pos_;
    const char c = text_[pos_];
    if (is_name_start(c)) return name();
    if (is_digit(c) || (c == '.' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1]))) {
      return number();
    }
    if (c == '\'' || c == '"') return string();
    if (!is_ascii(c)) non_ascii();
    ++pos_;
    const bool eq_follows = pos_ < text_.size() && text_[pos_] == '=';
    switch (c) {
      case '(': return make(Tok::LParen, start);
      case ')': return make(Tok::RParen, start);
      case '[': return make(Tok::LBracket, start);
      case ']': return make(Tok::RBracket, start);
      case ',': return make(Tok::Comma, start);
      case '-': return make(Tok::Minus, start);
      case '<':
        if (eq_follows) ++pos_;
        return make(Tok::Cmp, start, eq_follows ? Op::Le : Op::Lt);
      case '>':
        if (eq_follows) ++pos_;
        return make(Tok::Cmp, start, eq_follows ? Op::Ge : Op::Gt);
      case '=':
        if (!eq_follows) fail(start, "unexpected '=' (use '==' to compare)");
        ++pos_;
        return make(Tok::Cmp, start, Op::Eq);
      case '!':
        if (!eq_follows) fail(start, "unexpected '!' (use 'not', or '!=' to compare)");
        ++pos_;
        return make(Tok::Cmp, start, Op::Ne);
      case '&': fail(start, "unexpected '&' (use 'and')");
      case '|': fail(start, "unexpected '|' (use 'or')");
      default: fail(start, fmt::format("unexpected character '{}'", c));
    }
  }

  Token name() {
    const size_t start = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    const std::string_view word = text_.substr(start, pos_ - start);
    if (word == "and") return make(Tok::And, start);
    if (word == "or") return make(Tok::Or, start);
    if (word == "not") return make(Tok::Not, start);
    if (word == "in") return make(Tok::In, start);
    return make(Tok::Name, start);
  }

  // Digits, dots, letters and an exponent sign; parse_number decides.
  Token number() {
    const size_t start = pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      const bool exponent_sign = (c == '+' || c == '-') && (text_[pos_ - 1] == 'e' || text_[pos_ - 1] == 'E');
      if (!is_name_char(c) && c != '.' && !exponent_sign) break;
      ++pos_;
    }
    const Token t = make(Tok::Number, start);
    if (!parse_number(t.text)) fail(start, fmt::format("invalid number '{}'", t.text));
    return t;
  }

  Token string() {
    const size_t start = pos_;
    const size_t close = text_.find(text_[start], start + 1);
    if (close == std::string_view::npos) fail(start, "unterminated string");
    pos_ = close + 1;
    return make(Tok::String, start);
  }

  // Non-ASCII text outside quotes: most likely a Chinese header name or enum
  // label written where a field name or a quoted value belongs.
  [[noreturn]] void non_ascii() {
    const size_t start = pos_;
    size_t end = pos_;
    while (end < text_.size() && (!is_ascii(text_[end]) || is_name_char(text_[end]))) ++end;
    const std::string_view word = text_.substr(start, end - start);
    const int aliased = field_with_alias(word, fields_);
    if (aliased >= 0) {
      fail(start, fmt::format("unknown field '{}' (write the field name: '{}')", word,
                              fields_[static_cast<size_t>(aliased)].name));
    }
    if (is_enum_value(word, fields_)) {
      fail(start, fmt::format("unknown field '{}' (to compare with a value, quote it: '{}')", word, word));
    }
    size_t len = 1;
    while (start + len < text_.size() && (static_cast<unsigned char>(text_[start + len]) & 0xC0) == 0x80) {
      ++len;
    }
    fail(start, fmt::format("unexpected character '{}'", text_.substr(start, len)));
  }

  [[noreturn]] void fail(size_t off, const std::string& message) const { fail_at(text_, off, message); }

  std::string_view text_;
  const std::vector<FieldSpec>& fields_;
  size_t pos_ = 0;
};

// ---- Type checking --------------------------------------------------------

// A parsed primary: a field, a literal, or a parenthesised condition.
struct Operand {
  enum class Kind : uint8_t { Field, Number, String, Condition };
  Kind kind = Kind::Condition;
  size_t off = 0;
  std::string_view text;   // as written
  int field = -1;          // Field
  double number = 0;       // Number
  std::string_view value;  // String, without quotes
  uint32_t node = 0;       // Condition
};

bool is_numeric(FieldType t) {
  return t == FieldType::Integer || t == FieldType::Number;
}

std::string_view type_phrase(FieldType t) {
  switch (t) {
    case FieldType::Integer:
    case FieldType::Number: return "a number";
    case FieldType::Date: return "a date";
    case FieldType::Enum: return "an enum";
    case FieldType::String: return "text";
  }
  return "?";
}

// The operator that gives the same result with the operands swapped.
Op mirror(Op op) {
  switch (op) {
    case Op::Lt: return Op::Gt;
    case Op::Le: return Op::Ge;
    case Op::Gt: return Op::Lt;
    case Op::Ge: return Op::Le;
    default: return op;
  }
}

std::string value_codes(const FieldSpec& f) {
  std::string out;
  for (const auto& v : f.values) {
    if (!out.empty()) out += ", ";
    out += v.code;
  }
  return out;
}

// ---- Parser ---------------------------------------------------------------

class Parser {
 public:
  Parser(std::string_view text, const std::vector<FieldSpec>& fields, Expr& out)
      : text_(text), fields_(fields), out_(out), tokens_(Lexer(text, fields).run()) {}

  void run() {
    if (peek().kind == Tok::End) fail(0, "empty expression");
    out_.root = parse_or();
    if (peek().kind != Tok::End) fail(peek().off, fmt::format("unexpected {}", describe(peek())));
  }

 private:
  const Token& peek() const { return tokens_[pos_]; }
  const Token& take() { return tokens_[pos_++]; }
  bool accept(Tok kind) {
    if (peek().kind != kind) return false;
    ++pos_;
    return true;
  }

  [[noreturn]] void fail(size_t off, const std::string& message) const { fail_at(text_, off, message); }

  void enter(size_t off) {
    if (++depth_ > kMaxDepth) {
      fail(off, fmt::format("expression nested too deeply (more than {} levels of parentheses "
                            "and 'not')",
                            kMaxDepth));
    }
  }

  uint32_t add(const Node& node) {
    out_.nodes.push_back(node);
    return static_cast<uint32_t>(out_.nodes.size() - 1);
  }

  // or := and ("or" and)*  and  and := not ("and" not)*, as n-ary nodes so
  // that long chains do not make deep trees.
  uint32_t parse_or() { return parse_chain(Tok::Or, NodeKind::Or); }
  uint32_t parse_and() { return parse_chain(Tok::And, NodeKind::And); }

  uint32_t parse_chain(Tok separator, NodeKind kind) {
    auto operand = [&] { return separator == Tok::Or ? parse_and() : parse_not(); };
    const uint32_t first = operand();
    if (peek().kind != separator) return first;
    std::vector<uint32_t> items{first};
    while (accept(separator)) items.push_back(operand());
    Node node;
    node.kind = kind;
    node.first = static_cast<uint32_t>(out_.children.size());
    node.count = static_cast<uint32_t>(items.size());
    out_.children.insert(out_.children.end(), items.begin(), items.end());
    return add(node);
  }

  uint32_t parse_not() {
    if (peek().kind != Tok::Not) return parse_cmp();
    enter(take().off);
    Node node;
    node.kind = NodeKind::Not;
    node.first = parse_not();
    --depth_;
    return add(node);
  }

  uint32_t parse_cmp() {
    const Operand lhs = parse_primary();
    if (peek().kind == Tok::Cmp) {
      const Token& op = take();
      return comparison(lhs, op, parse_primary());
    }
    if (peek().kind == Tok::In) {
      const Token& in = take();
      return membership(lhs, in);
    }
    if (lhs.kind != Operand::Kind::Condition) {
      fail(lhs.off, fmt::format("expected a comparison after '{}'", lhs.text));
    }
    return lhs.node;
  }

  Operand parse_primary() {
    const Token& t = peek();
    if (t.kind == Tok::LParen) {
      ++pos_;
      enter(t.off);
      Operand condition;
      condition.off = t.off;
      condition.node = parse_or();
      if (!accept(Tok::RParen)) {
        fail(peek().off, fmt::format("expected ')', found {}", describe(peek())));
      }
      --depth_;
      condition.text = text_.substr(t.off, tokens_[pos_ - 1].off + 1 - t.off);
      return condition;
    }
    if (t.kind == Tok::Name) {
      ++pos_;
      Operand field;
      field.kind = Operand::Kind::Field;
      field.off = t.off;
      field.text = t.text;
      field.field = resolve_field(t);
      return field;
    }
    if (t.kind == Tok::Number || t.kind == Tok::String || t.kind == Tok::Minus) {
      return parse_literal("a field, number or quoted string");
    }
    fail(t.off, fmt::format("expected a field, number or quoted string, found {}", describe(t)));
  }

  // ["-"] NUMBER | STRING. `wanted` names what was expected, for errors.
  Operand parse_literal(std::string_view wanted) {
    const Token& t = take();
    Operand lit;
    lit.off = t.off;
    lit.text = t.text;
    if (t.kind == Tok::String) {
      lit.kind = Operand::Kind::String;
      lit.value = t.text.substr(1, t.text.size() - 2);
      return lit;
    }
    bool negative = false;
    const Token* number = &t;
    if (t.kind == Tok::Minus) {
      number = &take();
      if (number->kind != Tok::Number) {
        fail(number->off, fmt::format("expected a number after '-', found {}", describe(*number)));
      }
      negative = true;
      lit.text = text_.substr(t.off, number->off + number->text.size() - t.off);
    } else if (t.kind != Tok::Number) {
      std::string message = fmt::format("expected {}, found {}", wanted, describe(t));
      if (t.kind == Tok::Name) {
        message += fmt::format(" (to compare with a value, quote it: '{}')", t.text);
      }
      fail(t.off, message);
    }
    const double value = *parse_number(number->text);  // checked by the lexer
    lit.kind = Operand::Kind::Number;
    lit.number = negative && value != 0 ? -value : value;
    return lit;
  }

  int resolve_field(const Token& t) {
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (fields_[i].name != t.text) continue;
      const int index = static_cast<int>(i);
      bool seen = false;
      for (int used : out_.fields) seen = seen || used == index;
      if (!seen) out_.fields.push_back(index);
      return index;
    }
    fail(t.off, unknown_field_message(t.text, fields_));
  }

  const FieldSpec& spec(const Operand& field) const { return fields_[static_cast<size_t>(field.field)]; }

  void reject_condition(const Operand& operand, const Token& op) const {
    if (operand.kind == Operand::Kind::Condition) {
      fail(op.off, fmt::format("cannot compare the condition {} with {}; '{}' needs a field or a "
                               "value on each side",
                               operand.text, op.text == "in" ? "a list" : "a value", op.text));
    }
  }

  // OP on a field that only takes == and != (String, Enum).
  void require_equality(const Operand& field, const Token& op) const {
    if (op.op == Op::Eq || op.op == Op::Ne) return;
    fail(op.off, fmt::format("cannot use '{}' with {} ({}); use ==, != or in", op.text, field.text,
                             type_phrase(spec(field).type)));
  }

  [[noreturn]] void mismatch(const Operand& field, const Operand& lit) const {
    const FieldType type = spec(field).type;
    const bool number = lit.kind == Operand::Kind::Number;
    std::string message = fmt::format("{} is {}; cannot compare it with the {} {}", field.text,
                                      type_phrase(type), number ? "number" : "string", lit.text);
    if (type == FieldType::Date) message += " (write dates quoted, as 'YYYY-MM-DD')";
    if (type == FieldType::Enum) {
      message += fmt::format(" (quote one of its values: {})", value_codes(spec(field)));
    }
    if (type == FieldType::String) {
      message += fmt::format(" (to compare text, quote it: '{}')", lit.text);
    }
    fail(lit.off, message);
  }

  // The typed constant a non-String field is compared with: the number, the
  // enum value index or the day number.
  double constant_for(const Operand& field, const Operand& lit) const {
    const FieldSpec& f = spec(field);
    const bool number = lit.kind == Operand::Kind::Number;
    if (number != is_numeric(f.type)) mismatch(field, lit);
    if (number) return lit.number;
    if (f.type == FieldType::Date) {
      const auto day = parse_date(lit.value);
      if (!day) fail(lit.off, fmt::format("{} is not a date (expected YYYY-MM-DD)", lit.text));
      return static_cast<double>(*day);
    }
    const int index = f.find_value(lit.value);
    if (index < 0) {
      fail(lit.off, fmt::format("{} is not a value of {} (values: {})", lit.text, f.name, value_codes(f)));
    }
    return static_cast<double>(index);
  }

  void check_string_literal(const Operand& field, const Operand& lit) const {
    if (lit.kind != Operand::Kind::String) mismatch(field, lit);
  }

  uint32_t comparison(Operand lhs, const Token& op_token, Operand rhs) {
    reject_condition(lhs, op_token);
    reject_condition(rhs, op_token);
    using K = Operand::Kind;
    if (lhs.kind != K::Field && rhs.kind != K::Field) {
      fail(lhs.off, fmt::format("{} {} {} compares two constants", lhs.text, op_token.text, rhs.text));
    }
    Op op = op_token.op;
    if (lhs.kind != K::Field) {
      std::swap(lhs, rhs);
      op = mirror(op);
    }
    if (rhs.kind == K::Field) return field_comparison(lhs, op_token, rhs);
    const FieldType type = spec(lhs).type;
    Node node;
    node.op = op;
    node.field = lhs.field;
    if (type == FieldType::String) {
      check_string_literal(lhs, rhs);
      require_equality(lhs, op_token);
      node.kind = NodeKind::StrCmp;
      node.first = static_cast<uint32_t>(out_.strings.size());
      node.count = 1;
      out_.strings.emplace_back(rhs.value);
      return add(node);
    }
    node.kind = NodeKind::NumCmp;
    node.value = constant_for(lhs, rhs);
    if (type == FieldType::Enum) require_equality(lhs, op_token);
    return add(node);
  }

  uint32_t field_comparison(const Operand& lhs, const Token& op, const Operand& rhs) {
    const FieldType a = spec(lhs).type, b = spec(rhs).type;
    const bool numbers = is_numeric(a) && is_numeric(b);
    const bool dates = a == FieldType::Date && b == FieldType::Date;
    if (!numbers && !dates) {
      fail(op.off, fmt::format("cannot compare {} ({}) with {} ({}); two fields can be compared "
                               "only when both are numbers or both are dates",
                               lhs.text, type_phrase(a), rhs.text, type_phrase(b)));
    }
    Node node;
    node.kind = NodeKind::FieldCmp;
    node.op = op.op;
    node.field = lhs.field;
    node.other = rhs.field;
    return add(node);
  }

  // primary "in" list
  uint32_t membership(const Operand& lhs, const Token& in) {
    reject_condition(lhs, in);
    if (lhs.kind != Operand::Kind::Field) {
      fail(lhs.off, fmt::format("{} in [...] compares constants; put a field before 'in'", lhs.text));
    }
    if (!accept(Tok::LBracket)) {
      fail(peek().off, fmt::format("expected '[' after 'in', found {}", describe(peek())));
    }
    const bool strings = spec(lhs).type == FieldType::String;
    Node node;
    node.kind = strings ? NodeKind::StrIn : NodeKind::NumIn;
    node.field = lhs.field;
    node.first = static_cast<uint32_t>(strings ? out_.strings.size() : out_.numbers.size());
    if (!accept(Tok::RBracket)) {
      do {
        const Operand lit = parse_literal("a number or quoted string");
        if (strings) {
          check_string_literal(lhs, lit);
          out_.strings.emplace_back(lit.value);
        } else {
          out_.numbers.push_back(constant_for(lhs, lit));
        }
        ++node.count;
      } while (accept(Tok::Comma));
      if (!accept(Tok::RBracket)) {
        fail(peek().off, fmt::format("expected ',' or ']', found {}", describe(peek())));
      }
    }
    return add(node);
  }

  std::string_view text_;
  const std::vector<FieldSpec>& fields_;
  Expr& out_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
};

// ---- Evaluation -----------------------------------------------------------

bool compare(double a, Op op, double b) {
  switch (op) {
    case Op::Eq: return a == b;
    case Op::Ne: return a != b;
    case Op::Lt: return a < b;
    case Op::Le: return a <= b;
    case Op::Gt: return a > b;
    case Op::Ge: return a >= b;
  }
  return false;
}

bool eval_node(const Expr& e, uint32_t index, const RecordBatch& batch, size_t row) {
  const Node& n = e.nodes[index];
  switch (n.kind) {
    case NodeKind::Or:
      for (uint32_t i = 0; i < n.count; ++i) {
        if (eval_node(e, e.children[n.first + i], batch, row)) return true;
      }
      return false;
    case NodeKind::And:
      for (uint32_t i = 0; i < n.count; ++i) {
        if (!eval_node(e, e.children[n.first + i], batch, row)) return false;
      }
      return true;
    case NodeKind::Not: return !eval_node(e, n.first, batch, row);
    case NodeKind::NumCmp: {
      const double v = batch.num(n.field, row);
      return !is_missing(v) && compare(v, n.op, n.value);
    }
    case NodeKind::FieldCmp: {
      const double a = batch.num(n.field, row), b = batch.num(n.other, row);
      return !is_missing(a) && !is_missing(b) && compare(a, n.op, b);
    }
    case NodeKind::NumIn: {
      const double v = batch.num(n.field, row);
      if (is_missing(v)) return false;
      for (uint32_t i = 0; i < n.count; ++i) {
        if (v == e.numbers[n.first + i]) return true;
      }
      return false;
    }
    case NodeKind::StrCmp: {
      const std::string_view s = batch.str(n.field, row);
      if (s.empty()) return false;
      return (s == e.strings[n.first]) == (n.op == Op::Eq);
    }
    case NodeKind::StrIn: {
      const std::string_view s = batch.str(n.field, row);
      if (s.empty()) return false;
      for (uint32_t i = 0; i < n.count; ++i) {
        if (s == e.strings[n.first + i]) return true;
      }
      return false;
    }
  }
  return false;
}

}  // namespace
}  // namespace expression_impl

std::shared_ptr<const Expr> compile_expression(std::string_view text, const std::vector<FieldSpec>& fields) {
  using expression_impl::kMaxLength;
  if (text.size() > kMaxLength) {
    throw ExpressionError(
        1, fmt::format("expression is too long ({} bytes; the limit is {})", text.size(), kMaxLength));
  }
  const size_t bad = find_invalid_utf8(text);
  if (bad != std::string_view::npos) {
    throw ExpressionError(expression_impl::column_at(text, bad), "invalid UTF-8");
  }
  auto expr = std::make_shared<Expr>();
  expression_impl::Parser(text, fields, *expr).run();
  return expr;
}

bool evaluate(const Expr& expr, const RecordBatch& batch, size_t row) {
  return expression_impl::eval_node(expr, expr.root, batch, row);
}

std::vector<int> fields_used(const Expr& expr) {
  return expr.fields;
}

}  // namespace riskledger
