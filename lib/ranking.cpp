#include <algorithm>
#include <cstring>
#include <span>

#include "memory.hpp"
#include "parallel.hpp"
#include "permute.hpp"
#include "pipeline.hpp"

namespace riskledger {

namespace {

constexpr size_t kBlock = 65536;  // decisions scanned as one task

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

// What both ways of sorting need: the decisions, their ids, the id prefix
// every id shares and the top score.
struct Ranking {
  std::vector<Graded>& graded;
  const LoadedInputs& inputs;
  int id_field;
  unsigned threads;
  size_t common = 0;
  int64_t top = 0;

  size_t size() const { return graded.size(); }
  std::string_view id_of(const Graded& g) const { return inputs.batches[g.batch].str(id_field, g.row); }
  // The id window after the common prefix (id_window) of decision i.
  uint64_t window(size_t i) const { return id_window(id_of(graded[i]), common); }
  // Ties of grade and score: by id, the windows first.
  bool id_before(uint64_t a_window, uint32_t a, uint64_t b_window, uint32_t b) const {
    if (a_window != b_window) return a_window < b_window;
    return id_of(graded[a]) < id_of(graded[b]);
  }
  // Score units turned so that the top score comes first.
  uint64_t inverted(const Graded& g) const {
    return static_cast<uint64_t>(top - std::max<int64_t>(g.units, 0));
  }
};

// Counts the decisions into one bucket per (grade, score) pair, in ledger
// order of the pairs, places a 16-byte slot per decision (its id window and
// index) into its bucket, sorts each bucket by id, and permutes.
void rank_by_buckets(const Ranking& r, size_t grades) {
  const size_t n = r.size();
  const size_t scores = static_cast<size_t>(r.top) + 1;
  const size_t buckets = grades * scores;
  // Bucket b holds grade b / scores and score top - b % scores.
  const auto bucket_of = [&](const Graded& g) {
    return static_cast<size_t>(static_cast<uint16_t>(g.grade)) * scores + static_cast<size_t>(r.inverted(g));
  };
  // Counted per part (a part per thread, in input order), so that each part
  // knows where its decisions go in every bucket.
  const size_t parts = std::min<size_t>(resolve_threads(r.threads), (n + kBlock - 1) / kBlock);
  std::vector<size_t> bound(parts + 1);
  for (size_t p = 0; p <= parts; ++p) bound[p] = n * p / parts;
  std::vector<std::vector<uint32_t>> at(parts);
  parallel_for(parts, r.threads, [&](size_t p) {
    auto& count = at[p];
    count.assign(buckets, 0);
    for (size_t i = bound[p]; i < bound[p + 1]; ++i) ++count[bucket_of(r.graded[i])];
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
    uint64_t window;
    uint32_t index;
  };
  std::vector<Slot> slots;
  reserve_touched(slots, n, r.threads);
  slots.resize(n);
  parallel_for(parts, r.threads, [&](size_t p) {
    auto& next = at[p];
    for (size_t i = bound[p]; i < bound[p + 1]; ++i)
      slots[next[bucket_of(r.graded[i])]++] = {r.window(i), static_cast<uint32_t>(i)};
  });
  at = {};
  // The buckets sorted by id, in pieces of about equal numbers of decisions,
  // several per thread.
  const auto by_id = [&](const Slot& a, const Slot& b) {
    return r.id_before(a.window, a.index, b.window, b.index);
  };
  const size_t pieces = 8 * resolve_threads(r.threads);
  std::vector<size_t> first(pieces + 1);
  for (size_t q = 0; q < pieces; ++q)
    first[q] = static_cast<size_t>(
        std::lower_bound(start.begin(), start.end() - 1, static_cast<uint32_t>(n * q / pieces)) -
        start.begin());
  first[pieces] = buckets;
  parallel_for(pieces, r.threads, [&](size_t q) {
    for (size_t b = first[q]; b < first[q + 1]; ++b)
      if (start[b + 1] - start[b] > 1)
        std::sort(slots.begin() + start[b], slots.begin() + start[b + 1], by_id);
  });
  permute_in_place(r.graded, slots, r.threads);
}

// Sorts 24-byte keys (grade and score packed in front where they fit in 64
// bits, then the id window) in one part per thread, merges them, and
// permutes.
void rank_by_keys(const Ranking& r) {
  const size_t n = r.size();
  const size_t blocks = (n + kBlock - 1) / kBlock;
  // Scores are clamped to [0, scale]: units fit in 48 bits for any sane
  // scale and precision; otherwise fall back to comparing the fields.
  const bool packable = r.top < (int64_t{1} << 47);
  struct Key {
    uint64_t hi, window;
    uint32_t index;
  };
  std::vector<Key> keys;
  reserve_touched(keys, n, r.threads);
  keys.resize(n);
  parallel_for(blocks, r.threads, [&](size_t b) {
    for (size_t i = b * kBlock, end = std::min(n, i + kBlock); i < end; ++i) {
      const uint64_t grade = static_cast<uint16_t>(r.graded[i].grade);
      keys[i] = {packable ? grade << 48 | r.inverted(r.graded[i]) : grade, r.window(i),
                 static_cast<uint32_t>(i)};
    }
  });
  const auto less = [&](const Key& a, const Key& b) {
    if (a.hi != b.hi) return a.hi < b.hi;
    const auto& ga = r.graded[a.index];
    const auto& gb = r.graded[b.index];
    if (!packable && ga.units != gb.units) return ga.units > gb.units;
    return r.id_before(a.window, a.index, b.window, b.index);
  };
  // One part per thread sorted in parallel, then merged. The order is total
  // (ids are unique), so the result does not depend on the split.
  const size_t parts = std::min<size_t>(resolve_threads(r.threads), std::max<size_t>(1, n / kBlock));
  std::vector<size_t> bound(parts + 1);
  for (size_t p = 0; p <= parts; ++p) bound[p] = n * p / parts;
  parallel_for(parts, r.threads, [&](size_t p) {
    std::sort(keys.begin() + static_cast<std::ptrdiff_t>(bound[p]),
              keys.begin() + static_cast<std::ptrdiff_t>(bound[p + 1]), less);
  });
  if (parts == 1) {
    permute_in_place(r.graded, keys, r.threads);
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
  reserve_touched(order, n, r.threads);
  order.resize(n);
  merge_in_parallel(
      std::span<const Key>(keys).first(split), std::span<const Key>(keys).subspan(split), less,
      [&](size_t at, const Key& k) { order[at].index = k.index; }, r.threads);
  keys = {};
  permute_in_place(r.graded, order, r.threads);
}

}  // namespace

// Ledger order: grade index ascending (A first), score units descending,
// then id compared as plain bytes. Ids are unique after duplicate rejection,
// so the order is total and does not depend on input order.
//
// Grade and score together take few values (3 grades × 10,001 scores with
// the default rules), so the decisions are sorted by bucket (rank_by_buckets);
// where the pairs are too many for buckets (a fine precision on a wide
// scale), by 24-byte keys (rank_by_keys). Either way whole ids are compared
// only when the eight bytes that follow the prefix every id shares (ids are
// often `R2026-000…`) tie, and the decisions are then permuted in place.
void rank(std::vector<Graded>& graded, const LoadedInputs& inputs, const Rules& rules, unsigned threads) {
  const size_t n = graded.size();
  if (n < 2) return;
  Ranking r{graded, inputs, rules.id_field, threads};

  // The id prefix every id shares, and the top score, per block in parallel.
  const size_t blocks = (n + kBlock - 1) / kBlock;
  const auto first_id = r.id_of(graded[0]);
  std::vector<size_t> block_common(blocks);
  std::vector<int64_t> block_top(blocks);
  parallel_for(blocks, threads, [&](size_t b) {
    size_t common = first_id.size();
    int64_t top = 0;
    for (size_t i = b * kBlock, end = std::min(n, i + kBlock); i < end; ++i) {
      const auto s = r.id_of(graded[i]);
      common = std::min(common, s.size());
      common = static_cast<size_t>(
          std::mismatch(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(common), first_id.begin()).first -
          s.begin());
      top = std::max(top, graded[i].units);
    }
    block_common[b] = common;
    block_top[b] = top;
  });
  r.common = *std::min_element(block_common.begin(), block_common.end());
  r.top = *std::max_element(block_top.begin(), block_top.end());

  // Buckets while there are no more of them than decisions (at least
  // 65,536, at most 4,194,304).
  const size_t grades = std::max<size_t>(1, rules.grades.size());
  const size_t max_buckets = std::min<size_t>(size_t{1} << 22, std::max<size_t>(size_t{1} << 16, n));
  if (r.top < (int64_t{1} << 47) && static_cast<size_t>(r.top) + 1 <= max_buckets / grades)
    rank_by_buckets(r, grades);
  else
    rank_by_keys(r);
}

}  // namespace riskledger
