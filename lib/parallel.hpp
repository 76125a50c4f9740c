#pragma once
// Minimal data parallelism: split work into tasks, run them on a few
// threads. Every task writes only its own output, so results do not depend
// on the number of threads or on scheduling.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace riskledger {

// 0 means one thread per core.
inline unsigned resolve_threads(unsigned threads) {
  if (threads > 0) return threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

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
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < count;) {
      try {
        task(i);
      } catch (...) {
        const std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        next = count;
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace riskledger
