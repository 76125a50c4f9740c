#pragma once
// The grading pipeline as a library: read every input, type the records,
// reject bad and duplicate ones, decide every grade, rank. The CLI commands
// are thin layers over these steps.
#include <cstdint>
#include <string>
#include <vector>

#include "grading.hpp"
#include "raw_rows.hpp"
#include "records.hpp"
#include "rules.hpp"

namespace riskledger {

// Records per chunk read from an input: `grade` keeps every chunk; the
// streaming `score` keeps one at a time, so its chunks are smaller.
inline constexpr size_t kChunkRows = 65536;
inline constexpr size_t kStreamChunkRows = 8192;

// Columns the rules do not know, across all inputs: their names in order of
// first appearance, and per input file where each of its extra columns goes.
struct ExtraColumns {
  std::vector<std::string> names;
  std::vector<std::vector<int>> of_file;  // [file][local extra index] -> index into names

  void add_file(const std::vector<std::string>& file_extra_names);
};

// Everything read from the inputs of one run.
struct LoadedInputs {
  std::vector<std::string> files;               // input paths, as given
  std::vector<RecordBatch> batches;             // valid records, in input order
  std::vector<std::vector<uint8_t>> duplicate;  // per batch row: 1 when its id is duplicated
  std::vector<Problem> problems;                // every problem, sorted by file then line
  ExtraColumns extra;
  uint64_t read = 0;  // records read (rows after the header)
};

// The text cells a run keeps (the projection). Every cell is read and
// checked whatever is kept; a cell not kept is held empty, so that a run
// whose outputs show a few columns does not hold the text of the others (for
// 10 million records, over a gigabyte). By default, everything is kept.
struct TextProjection {
  bool all = true;
  std::vector<uint8_t> fields;     // unless `all`: per rules field, 1 to keep (String fields)
  std::vector<std::string> extra;  // unless `all`: passed-through columns to keep, by header name

  // One flag per slot of a batch read through `map` (String fields in rules
  // order, then the passed-through columns; BatchStorage::kept); empty when
  // everything is kept.
  std::vector<uint8_t> slots(const Rules& rules, const HeaderMap& map) const;

  // Only the text that deciding a record reads: the id, and the String
  // fields the overrides read.
  static TextProjection for_decisions(const Rules& rules);
};

// Reads and types every input. Records whose id appears more than once (in
// any input) are all rejected. Throws InputError when an input cannot be
// read at all. The id is kept whatever `text` says.
LoadedInputs load_inputs(const std::vector<std::string>& paths, const Rules& rules,
                         const std::string& encoding = "utf-8", unsigned threads = 0,
                         const TextProjection& text = {});

struct GradedRun {
  std::vector<Graded> graded;  // in ledger order after rank()
  std::vector<Problem> problems;
  uint64_t read = 0;
  uint64_t rejected = 0;  // distinct rejected records
  std::vector<uint64_t> per_grade;
};

// Decides every valid, non-duplicate record. Records that cannot be scored
// (no indicator of their category measured) become problems.
GradedRun grade_inputs(const LoadedInputs& inputs, const Rules& rules, unsigned threads = 0);

// Ledger order: grade (highest first), score descending, id in byte order.
void rank(std::vector<Graded>& graded, const LoadedInputs& inputs, const Rules& rules, unsigned threads = 0);

// Number of distinct records (file, line) among the problems.
uint64_t count_rejected(const std::vector<Problem>& problems);

// Sorts problems by file then line, keeping each record's problems in the
// order found.
void sort_problems(std::vector<Problem>& problems);

}  // namespace riskledger
