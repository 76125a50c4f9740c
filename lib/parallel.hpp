#pragma once
// Minimal data parallelism: split work into tasks, run them on a few
// threads. Every task writes only its own output, so results do not depend
// on the number of threads or on scheduling.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace riskledger {

// 0 means one thread per core.
inline unsigned resolve_threads(unsigned threads) {
  if (threads > 0) return threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

// Runs `work` on the calling thread and on `helpers` other threads at once;
// returns when every call has returned. The other threads are kept from one
// call to the next (a fresh thread each time would start with cold caches
// and fresh memory, a page fault per page it touches). A call made while
// another is running (from inside `work`, or from a second thread) gets
// threads of its own. `work` must not throw.
void run_on_threads(size_t helpers, const std::function<void()>& work);

// Calls task(i) for every i in [0, count), on up to `threads` threads (0:
// one per core). Rethrows the first exception a task threw.
template <typename Task>
void parallel_for(size_t count, unsigned threads, Task&& task) {
  const size_t workers = std::min<size_t>(resolve_threads(threads), count);
  if (workers <= 1) {
    for (size_t i = 0; i < count; ++i) task(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  run_on_threads(workers - 1, [&] {
    for (size_t i; (i = next.fetch_add(1)) < count;) {
      try {
        task(i);
      } catch (...) {
        const std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        next = count;
      }
    }
  });
  if (error) std::rethrow_exception(error);
}

// Merges the runs `a` and `b`, each sorted by `less` (a strict total order
// on their elements: no two equal), on up to `threads` threads: emit(k, x)
// is called with each element x and its place k in the merged order. The
// output is cut into pieces; where a piece starts in each run is found by a
// binary search (how many of the first k merged elements come from `a`), so
// the pieces are merged independently and the result does not depend on
// `threads`.
template <typename T, typename Less, typename Emit>
void merge_in_parallel(std::span<const T> a, std::span<const T> b, const Less& less, const Emit& emit,
                       unsigned threads) {
  const size_t n = a.size() + b.size();
  const auto from_a = [&](size_t k) {
    size_t lo = k > b.size() ? k - b.size() : 0, hi = std::min(k, a.size());
    while (lo < hi) {  // the first i for which a[i] does not come before b[k - i - 1]
      const size_t i = lo + (hi - lo) / 2;
      if (less(a[i], b[k - i - 1]))
        lo = i + 1;
      else
        hi = i;
    }
    return lo;
  };
  const size_t pieces = 4 * static_cast<size_t>(resolve_threads(threads));
  parallel_for(pieces, threads, [&](size_t p) {
    const size_t from = n * p / pieces, to = n * (p + 1) / pieces;
    size_t i = from_a(from), j = from - i;
    const size_t i_end = from_a(to), j_end = to - i_end;
    for (size_t k = from; k < to; ++k) {
      if (j == j_end || (i < i_end && less(a[i], b[j])))
        emit(k, a[i++]);
      else
        emit(k, b[j++]);
    }
  });
}

}  // namespace riskledger
