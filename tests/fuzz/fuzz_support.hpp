#pragma once
// Shared by the fuzz targets: the readers' inputs come from memory, handed
// out in pieces of a size the input itself chooses, so that block and refill
// boundaries fall everywhere; every record read is typed and graded with the
// default rules, so a reader's output is used the way the pipeline uses it.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "csv_reader.hpp"
#include "grading.hpp"
#include "raw_rows.hpp"
#include "records.hpp"
#include "rules.hpp"

namespace riskledger::fuzz {

// A stream that returns at most `piece` bytes per read.
class PieceStream final : public ByteStream {
 public:
  PieceStream(std::string bytes, size_t piece)
      : bytes_(std::move(bytes)), piece_(std::max<size_t>(piece, 1)) {}
  size_t read(char* dst, size_t n) override {
    const size_t got = std::min({n, piece_, bytes_.size() - pos_});
    std::memcpy(dst, bytes_.data() + pos_, got);
    pos_ += got;
    return got;
  }

 private:
  std::string bytes_;
  size_t piece_;
  size_t pos_ = 0;
};

// The first byte picks how the rest, the input, is read: all at once (below
// 0x80), or in pieces of 8 to 1024 bytes (0x80 to 0xFF). Each refill costs
// the reader a block-sized buffer, so pieces are not smaller than 8 bytes.
inline std::unique_ptr<ByteStream> stream_of(const uint8_t* data, size_t size) {
  if (size == 0) return std::make_unique<PieceStream>(std::string(), 1);
  const size_t piece = data[0] < 0x80 ? size : (size_t{data[0]} - 0x7F) * 8;
  return std::make_unique<PieceStream>(std::string(reinterpret_cast<const char*>(data) + 1, size - 1), piece);
}

inline const Rules& default_rules() {
  static const Rules rules = load_rules(builtin_rules_text("default"), "default.yaml");
  return rules;
}

// Reads every chunk of `source` (a few rows at a time), types it and decides
// every valid record. Checks what must hold whatever the input.
inline void read_and_grade(RecordSource& source) {
  const Rules& rules = default_rules();
  HeaderMap map;
  try {
    map = map_header(source.header(), rules, source.name());
  } catch (const std::exception&) {
    map = {};  // no usable header: still read every row
  }
  RawRows raw;
  uint64_t first = 0;
  std::vector<double> points(rules.indicators.size());
  while (source.read(raw, 3)) {
    if (raw.cells.size() != raw.rows() * raw.columns || raw.field_counts.size() != raw.rows())
      __builtin_trap();
    for (const Span s : raw.cells)
      if (size_t{s.off} + s.len > raw.text.size()) __builtin_trap();
    const size_t rows = raw.rows();
    if (map.column_of_field.empty()) {
      first += rows;
      continue;
    }
    std::vector<Problem> problems;
    const RecordBatch batch = build_batch(std::move(raw), map, rules, 0, source.name(), first, problems);
    first += rows;
    // Every row is a record, a blank row, or rejected with a problem.
    if (batch.size() + batch.blank_rows > rows) __builtin_trap();
    for (size_t r = 0; r < batch.size(); ++r) {
      const auto d = decide(rules, batch, r, points);
      if (d.grade >= static_cast<int>(rules.grades.size())) __builtin_trap();
      (void)summarize(rules, batch, r);
    }
    raw = {};
  }
}

}  // namespace riskledger::fuzz
