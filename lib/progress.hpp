#pragma once
// What a long run has done so far, for a progress display: records read and
// records graded, counted by the pipeline as it goes (process-wide, atomic;
// a handful of additions per chunk, so counting costs nothing measurable).
#include <atomic>
#include <cstdint>

namespace riskledger {

struct ProgressCounters {
  std::atomic<uint64_t> read{0};    // records read and typed (load_inputs)
  std::atomic<uint64_t> graded{0};  // records decided (grade_inputs)
};

ProgressCounters& progress_counters();

}  // namespace riskledger
