#pragma once
// Limits on YAML documents, checked before a document is built into nodes,
// so that no input can exhaust the stack or memory: nesting depth, aliases
// (each `*name`), and nodes reached through aliases (the "billion laughs"
// bomb: a few lines whose aliases expand to billions of nodes). An alias to
// a node that contains it (a cycle) is refused too, and so is a second
// document (a reader would see only the first). See docs/reliability.md.
#include <cstddef>
#include <string>
#include <string_view>

#include "error.hpp"

namespace riskledger {

inline constexpr int kMaxYamlDepth = 32;              // nested sequences and mappings
inline constexpr size_t kMaxYamlAliases = 1000;       // `*name` references
inline constexpr size_t kMaxYamlAliasNodes = 100000;  // nodes reached through them, all told

// A document past a limit. `line` and `column` are 1-based; what() is the
// message without a position.
class YamlLimitError : public InputError {
 public:
  YamlLimitError(int line, int column, const std::string& message)
      : InputError(message), line_(line), column_(column) {}
  int line() const { return line_; }
  int column() const { return column_; }

 private:
  int line_, column_;
};

// Checks `text`. Throws YamlLimitError past a limit,
// and YAML::ParserException for a syntax error (as YAML::Load would).
void check_yaml_limits(std::string_view text);

}  // namespace riskledger
