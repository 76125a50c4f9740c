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
// The sort works on 24-byte keys, not on the decisions: grade and score
// packed into one number, and the eight bytes of the id that follow the
// prefix every id shares (ids are often `R2026-000…`). Whole ids are compared
// only when both numbers tie. The decisions are then permuted in place.
void rank(std::vector<Graded>& graded, const LoadedInputs& inputs, const Rules& rules, unsigned threads) {
  const int id = rules.id_field;
  auto id_of = [&](const Graded& g) { return inputs.batches[g.batch].str(id, g.row); };
  const size_t n = graded.size();
  if (n < 2) return;

  // The id prefix every id shares, and the top score, per block in parallel.
  constexpr size_t kBlock = 65536;
  const size_t blocks = (n + kBlock - 1) / kBlock;
  const auto first_id = id_of(graded[0]);
  std::vector<size_t> block_common(blocks);
  std::vector<int64_t> block_top(blocks);
  parallel_for(blocks, threads, [&](size_t b) {
    size_t common = first_id.size();
    int64_t top = 0;
    for (size_t i = b * kBlock, end = std::min(n, i + kBlock); i < end; ++i) {
      const auto s = id_of(graded[i]);
      common = std::min(common, s.size());
      common = static_cast<size_t>(
          std::mismatch(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(common), first_id.begin()).first -
          s.begin());
      top = std::max(top, graded[i].units);
    }
    block_common[b] = common;
    block_top[b] = top;
  });
  const size_t common = *std::min_element(block_common.begin(), block_common.end());
  const int64_t top = *std::max_element(block_top.begin(), block_top.end());
  // Scores are clamped to [0, scale]: units fit in 48 bits for any sane
  // scale and precision; otherwise fall back to comparing the fields.
  const bool packable = top < (int64_t{1} << 47);

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
