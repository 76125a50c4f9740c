#pragma once
// Permuting a large array in place, on several threads.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "parallel.hpp"

namespace riskledger {

// Applies a permutation in place: position i of `items` receives the
// element at keys[i].index (a uint32_t); a done position is marked by
// index == i, so every key's index is its own position afterwards.
//
// Following each cycle from one element to the next costs a cache miss per
// element, one after the other. So each cycle is cut into stretches at fixed
// positions (every kStride-th), whose elements are saved first; a stretch
// runs from its start to the next start on its cycle, where it takes the
// saved element. Stretches are independent: they run on every thread, and
// several at once on each, so that their cache misses overlap. Cycles that
// pass through no start (short ones) are followed one by one at the end.
template <typename T, typename Key>
void permute_in_place(std::vector<T>& items, std::vector<Key>& keys, unsigned threads) {
  constexpr size_t kStride = 1024;  // a stretch starts at every multiple of this
  constexpr size_t kWalkers = 8;    // stretches followed at once on a thread
  const size_t n = items.size();
  const size_t starts = (n + kStride - 1) / kStride;
  std::vector<T> saved(starts);
  for (size_t s = 0; s < starts; ++s) saved[s] = items[s * kStride];
  const size_t parts = 4 * resolve_threads(threads);
  parallel_for(parts, threads, [&](size_t part) {
    size_t next = starts * part / parts;
    const size_t end = starts * (part + 1) / parts;
    size_t at[kWalkers];
    size_t active = 0;
    for (;;) {
      while (active < kWalkers && next < end) {
        const size_t start = next++ * kStride;
        if (keys[start].index != start) at[active++] = start;
      }
      if (active == 0) break;
      for (size_t w = 0; w < active;) {
        const size_t here = at[w];
        const size_t from = keys[here].index;
        keys[here].index = static_cast<uint32_t>(here);
        if (from % kStride == 0) {  // the next stretch's start: its element was saved
          items[here] = saved[from / kStride];
          at[w] = at[--active];
          continue;
        }
        items[here] = items[from];
        at[w] = from;
        __builtin_prefetch(&items[keys[from].index]);
        ++w;
      }
    }
  });
  for (size_t i = 0; i < n; ++i) {
    if (keys[i].index == i) continue;
    const T first = items[i];
    size_t at = i;
    while (keys[at].index != i) {
      const size_t from = keys[at].index;
      items[at] = items[from];
      keys[at].index = static_cast<uint32_t>(at);
      at = from;
    }
    items[at] = first;
    keys[at].index = static_cast<uint32_t>(at);
  }
}

}  // namespace riskledger
