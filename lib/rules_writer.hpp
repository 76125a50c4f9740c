#pragma once
// Writing derived weights into a copy of a rules file. The base file's text
// is kept as written except for its top-level `weights:` block, which is
// replaced; a comment block recording how the weights were derived is put at
// the top, so the rules file carries its own provenance.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rules.hpp"

namespace riskledger {

// The text of a rules file, resolved as load_rules_file() resolves it (a
// path, or "default" / "matrix" for a built-in rule set). Throws InputError.
std::string rules_file_text(const std::string& path);

// `base_text` (the rules `base` was loaded from) with its `weights:` block
// replaced by `units` (per category value, per indicator: weights in
// 10^-decimals units, each row summing to 10^decimals; zeros left out) and
// `provenance` prepended, one `# ` comment line per entry. Throws UsageError
// when the base has no weights block (method: matrix).
std::string rules_with_weights(std::string_view base_text, const Rules& base,
                               const std::vector<std::vector<int64_t>>& units, int decimals,
                               const std::vector<std::string>& provenance);

}  // namespace riskledger
