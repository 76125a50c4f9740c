#pragma once
// Streaming scoring: records in, scored and graded records out, in input
// order, one chunk at a time. Memory does not grow with the input (for CSV;
// a YAML document is parsed whole). A CSV file is read through a memory map
// in segments of kStreamSegmentBytes, a few at a time on `threads` threads
// (0: one per core); the output does not depend on `threads`. A pure per-record map: no ranking and no
// duplicate-id check, which need the whole data set (use `grade`).
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger_writer.hpp"
#include "records.hpp"
#include "rules.hpp"

namespace riskledger {

inline constexpr size_t kStreamSegmentBytes = size_t{1} << 18;

struct StreamResult {
  uint64_t read = 0, scored = 0, rejected = 0;
};

StreamResult score_stream(const std::vector<std::string>& paths, const Rules& rules,
                          const LedgerOptions& options, const std::string& columns,
                          const std::function<void(std::string_view)>& write,
                          const std::function<void(const Problem&)>& on_problem,
                          const std::string& encoding = "utf-8", bool with_sort_key = false,
                          unsigned threads = 0);

}  // namespace riskledger
