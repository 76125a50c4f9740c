#include <algorithm>
#include <cstring>
#include <span>

#include "memory.hpp"
#include "parallel.hpp"
#include "permute.hpp"
#include "pipeline.hpp"

namespace riskledger {

namespace {

// Eight bytes of `id` from `from`, big-endian, zero-padded: comparing two
// such numbers orders the ids by those bytes; when they are equal the ids
// must be compared whole.
uint64_t id_window(std::string_view id, size_t from) {
  unsigned char bytes[8] = {};
  if (from < id.size()) std::memcpy(bytes, id.data() + from, std::min<size_t>(8, id.size() - from));
  uint64_t v = 0;
  for (const unsigned char b : bytes) v = v << 8 | b;
  return v;
}

}  // namespace

// Ledger order: grade index ascending (A first), score units descending,
// then id compared as plain bytes. Ids are unique after duplicate rejection,
// so the order is total and does not depend on input order.
//
// Grade and score together take few values (3 grades × 10,001 scores with
// the default rules), so the decisions are first counted into one bucket per
// (grade, score) pair, in ledger order of the pairs, and then each bucket,
// small, is sorted by id. What is sorted is a 16-byte slot per decision: the
// eight bytes of the id that follow the prefix every id shares (ids are
// often `R2026-000…`) and the decision's index; whole ids are compared only
// when those bytes tie. The decisions are then permuted in place.
//
// Where the pairs are too many for buckets (a fine precision on a wide
// scale), 24-byte keys with the grade and score packed in front are sorted
// instead: one part per thread, then merged.
void rank(std::vector<Graded>& graded, const LoadedInputs& inputs, const Rules& rules, unsigned threads) {
  const int id = rules.id_field;
  auto id_of = [&](const Graded& g) { return inputs.batches[g.batch].str(id, g.row); };
  const size_t n = graded.size();
  if (n < 2) return;

  // The id prefix every id shares, the top score and the top grade, per
  // block in parallel.
  constexpr size_t kBlock = 65536;
  const size_t blocks = (n + kBlock - 1) / kBlock;
  const auto first_id = id_of(graded[0]);
  std::vector<size_t> block_common(blocks);
  std::vector<int64_t> block_top(blocks);
  std::vector<uint16_t> block_grade(blocks);
  parallel_for(blocks, threads, [&](size_t b) {
    size_t common = first_id.size();
    int64_t top = 0;
    uint16_t grade = 0;
    for (size_t i = b * kBlock, end = std::min(n, i + kBlock); i < end; ++i) {
      const auto s = id_of(graded[i]);
      common = std::min(common, s.size());
      common = static_cast<size_t>(
          std::mismatch(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(common), first_id.begin()).first -
          s.begin());
      top = std::max(top, graded[i].units);
      grade = std::max(grade, static_cast<uint16_t>(graded[i].grade));
    }
    block_common[b] = common;
    block_top[b] = top;
    block_grade[b] = grade;
  });
  const size_t common = *std::min_element(block_common.begin(), block_common.end());
  const int64_t top = *std::max_element(block_top.begin(), block_top.end());
  const size_t grades = size_t{*std::max_element(block_grade.begin(), block_grade.end())} + 1;
  // Scores are clamped to [0, scale]: units fit in 48 bits for any sane
  // scale and precision; otherwise fall back to comparing the fields.
  const bool packable = top < (int64_t{1} << 47);
  // Bucket b holds grade b / (top + 1) and score top - b % (top + 1).
  const auto scores = static_cast<size_t>(top) + 1;
  const size_t max_buckets = std::min<size_t>(size_t{1} << 22, std::max<size_t>(size_t{1} << 16, n));
  if (packable && scores <= max_buckets / grades) {
    const size_t buckets = grades * scores;
    const auto bucket_of = [&](const Graded& g) {
      return static_cast<size_t>(static_cast<uint16_t>(g.grade)) * scores +
             static_cast<size_t>(top - std::max<int64_t>(g.units, 0));
    };
    // Counted per part (a part per thread, in input order), so that each
    // part knows where its decisions go in every bucket.
    const size_t parts = std::min<size_t>(resolve_threads(threads), blocks);
    std::vector<size_t> bound(parts + 1);
    for (size_t p = 0; p <= parts; ++p) bound[p] = n * p / parts;
    std::vector<std::vector<uint32_t>> at(parts);
    parallel_for(parts, threads, [&](size_t p) {
      auto& count = at[p];
      count.assign(buckets, 0);
      for (size_t i = bound[p]; i < bound[p + 1]; ++i) ++count[bucket_of(graded[i])];
    });
    std::vector<uint32_t> start(buckets + 1);
    uint32_t placed = 0;
    for (size_t b = 0; b < buckets; ++b) {
      start[b] = placed;
      for (auto& count : at) {
        const uint32_t c = count[b];
        count[b] = placed;
        placed += c;
      }
    }
    start[buckets] = placed;

    struct Slot {
      uint64_t lo;
      uint32_t index;
    };
    std::vector<Slot> slots;
    reserve_touched(slots, n, threads);
    slots.resize(n);
    parallel_for(parts, threads, [&](size_t p) {
      auto& next = at[p];
      for (size_t i = bound[p]; i < bound[p + 1]; ++i) {
        const auto& g = graded[i];
        slots[next[bucket_of(g)]++] = {id_window(id_of(g), common), static_cast<uint32_t>(i)};
      }
    });
    at = {};
    // The buckets sorted by id, in pieces of about equal numbers of
    // decisions, several per thread.
    const auto by_id = [&](const Slot& a, const Slot& b) {
      if (a.lo != b.lo) return a.lo < b.lo;
      return id_of(graded[a.index]) < id_of(graded[b.index]);
    };
    const size_t pieces = 8 * resolve_threads(threads);
    std::vector<size_t> first(pieces + 1);
    for (size_t q = 0; q < pieces; ++q)
      first[q] = static_cast<size_t>(
          std::lower_bound(start.begin(), start.end() - 1, static_cast<uint32_t>(n * q / pieces)) -
          start.begin());
    first[pieces] = buckets;
    parallel_for(pieces, threads, [&](size_t q) {
      for (size_t b = first[q]; b < first[q + 1]; ++b)
        if (start[b + 1] - start[b] > 1)
          std::sort(slots.begin() + start[b], slots.begin() + start[b + 1], by_id);
    });
    permute_in_place(graded, slots, threads);
    return;
  }

  struct Key {
    uint64_t hi, lo;
    uint32_t index;
  };
  std::vector<Key> keys;
  reserve_touched(keys, n, threads);
  keys.resize(n);
  parallel_for(blocks, threads, [&](size_t b) {
    for (size_t i = b * kBlock, end = std::min(n, i + kBlock); i < end; ++i) {
      const auto& g = graded[i];
      const uint64_t grade = static_cast<uint16_t>(g.grade);
      const uint64_t inverted = static_cast<uint64_t>(top - std::max<int64_t>(g.units, 0));
      keys[i] = {packable ? grade << 48 | inverted : grade, id_window(id_of(g), common),
                 static_cast<uint32_t>(i)};
    }
  });
  const auto less = [&](const Key& a, const Key& b) {
    if (a.hi != b.hi) return a.hi < b.hi;
    const auto& ga = graded[a.index];
    const auto& gb = graded[b.index];
    if (!packable && ga.units != gb.units) return ga.units > gb.units;
    if (a.lo != b.lo) return a.lo < b.lo;
    return id_of(ga) < id_of(gb);
  };
  // One part per thread sorted in parallel, then merged. The order is total
  // (ids are unique), so the result does not depend on the split.
  const size_t parts = std::min<size_t>(resolve_threads(threads), std::max<size_t>(1, n / kBlock));
  std::vector<size_t> bound(parts + 1);
  for (size_t p = 0; p <= parts; ++p) bound[p] = n * p / parts;
  parallel_for(parts, threads, [&](size_t p) {
    std::sort(keys.begin() + static_cast<std::ptrdiff_t>(bound[p]),
              keys.begin() + static_cast<std::ptrdiff_t>(bound[p + 1]), less);
  });
  if (parts == 1) {
    permute_in_place(graded, keys, threads);
    return;
  }
  // All parts but the last merged into one, in place; then the last merge
  // (of the two runs left) on every thread, into the ledger order's indexes.
  const size_t split = bound[parts - 1];
  for (size_t p = 1; p + 1 < parts; ++p)
    std::inplace_merge(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(bound[p]),
                       keys.begin() + static_cast<std::ptrdiff_t>(bound[p + 1]), less);
  struct Order {
    uint32_t index;
  };
  std::vector<Order> order;
  reserve_touched(order, n, threads);
  order.resize(n);
  merge_in_parallel(
      std::span<const Key>(keys).first(split), std::span<const Key>(keys).subspan(split), less,
      [&](size_t at, const Key& k) { order[at].index = k.index; }, threads);
  keys = {};
  permute_in_place(graded, order, threads);
}

}  // namespace riskledger
