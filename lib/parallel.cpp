#include "parallel.hpp"

#include <condition_variable>

namespace riskledger {

namespace {

// Threads that wait for work between calls of run_on_threads.
class Pool {
 public:
  ~Pool() {
    {
      const std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }

  // False when the pool is already running a call: the caller makes
  // threads of its own then.
  bool run(size_t helpers, const std::function<void()>& work) {
    if (busy_.exchange(true)) return false;
    {
      const std::lock_guard lock(mutex_);
      while (threads_.size() < helpers) {
        const size_t index = threads_.size();
        threads_.emplace_back([this, index] { loop(index); });
      }
      work_ = &work;
      wanted_ = helpers;
      pending_ = helpers;
      ++generation_;
    }
    wake_.notify_all();
    work();
    std::unique_lock lock(mutex_);
    finished_.wait(lock, [&] { return pending_ == 0; });
    work_ = nullptr;
    lock.unlock();
    busy_ = false;
    return true;
  }

 private:
  void loop(size_t index) {
    uint64_t seen = 0;
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stop_ || (generation_ != seen && index < wanted_); });
      if (stop_) return;
      seen = generation_;
      const auto* work = work_;
      lock.unlock();
      (*work)();
      lock.lock();
      if (--pending_ == 0) finished_.notify_one();
    }
  }

  std::atomic<bool> busy_{false};
  std::mutex mutex_;
  std::condition_variable wake_, finished_;
  std::vector<std::thread> threads_;
  const std::function<void()>* work_ = nullptr;
  size_t wanted_ = 0, pending_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
};

}  // namespace

void run_on_threads(size_t helpers, const std::function<void()>& work) {
  if (helpers == 0) {
    work();
    return;
  }
  static Pool pool;
  if (pool.run(helpers, work)) return;
  std::vector<std::thread> own;
  for (size_t h = 0; h < helpers; ++h) own.emplace_back(work);
  work();
  for (auto& t : own) t.join();
}

}  // namespace riskledger
