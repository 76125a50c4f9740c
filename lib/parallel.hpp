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

}  // namespace riskledger
