#pragma once
// Synthetic risk-point records for demos and benchmarks: realistic rows in
// the default schema (Guiyang-like districts, Chinese titles per category,
// skewed values), written as CSV. The same options give the same bytes on
// every machine: the generator is its own integer PRNG (splitmix64), every
// choice is integer arithmetic and every number is printed from integers.
// Output streams in large chunks, so memory stays flat whatever the count.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rules.hpp"

namespace riskledger {

struct SynthOptions {
  uint64_t count = 0;   // records to write (after the header)
  uint64_t seed = 0;    // same seed, same bytes
  double bad_rate = 0;  // in [0, 1]: the share of records given one injected problem
};

struct SynthStats {
  uint64_t records = 0;
  uint64_t injected = 0;  // records given a problem: each is rejected exactly once by grade
};

// Bytes handed to `write` per call (the last call may be shorter).
inline constexpr size_t kSynthChunkBytes = size_t{4} << 20;

// The columns written, in order: the default schema's fields in English
// canonical names, then `remark` (a column the rules do not know, carried
// through to the ledger).
std::span<const std::string_view> synth_columns();

// The columns of synth_columns() that `rules` does not declare (`remark`
// aside). Empty when the rules can grade the generated records' schema.
std::vector<std::string> synth_missing_fields(const Rules& rules);

// Writes the header and `count` records as CSV (LF line ends, RFC 4180
// quoting) through `write`, in chunks of about kSynthChunkBytes. Each record
// is drawn from its own stream seeded by (seed, record number), so a record
// does not depend on the count, and a bad rate changes only the records it
// picks. Ids are R2026-<9-digit record number>, unique within one output.
// Throws UsageError when bad_rate is outside [0, 1].
SynthStats synth(const SynthOptions& options, const std::function<void(std::string_view)>& write);

// synth() into `path`, atomically: streamed to a temporary file beside it,
// flushed to disk, then renamed into place. A failed run leaves any previous
// file as it was. A path that is not a regular file (/dev/null, a FIFO) is
// written in place, never renamed over. Throws InputError naming the path.
SynthStats synth_to_file(const SynthOptions& options, const std::string& path);

}  // namespace riskledger
