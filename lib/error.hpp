#pragma once
// Error types. Everything thrown by the library derives from std::runtime_error.
#include <stdexcept>
#include <string>
#include <vector>

namespace riskledger {

// The run cannot go on: an unreadable file, a missing required column, an
// unterminated quote, invalid UTF-8. Maps to exit code 1.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A rules file failed to load. Carries every problem found, each already
// prefixed with `file:line:col: key.path:`. Maps to exit code 1.
class RulesError : public std::runtime_error {
 public:
  explicit RulesError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// A problem with the command line that the parser could not catch (for
// example `--columns` naming an unknown column). Maps to exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace riskledger
