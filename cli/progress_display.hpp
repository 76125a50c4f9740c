#pragma once
// Progress on stderr while a long run works: records read, their rate,
// records graded and the time elapsed, redrawn in place on one line. Shown
// only when stderr is a terminal and neither --no-progress nor --quiet was
// given, and only for runs longer than half a second; the line is cleared
// when the run ends, so what follows prints as it would without it.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "common.hpp"

namespace riskledger::cli {

// stderr is a terminal, and the options allow progress.
bool progress_wanted(const InputOptions& options);

// The line as shown: "read 1,234,567 records (456,789/s) · graded 1,000,000 · 2.7 s".
std::string progress_line(uint64_t read, uint64_t graded, double seconds);

class ProgressDisplay {
 public:
  // Starts drawing after the delay when `enabled`. RISKLEDGER_PROGRESS_DELAY_MS
  // sets the delay (default 500); 0 also draws a last line with the final
  // counts before clearing it, which tests use.
  explicit ProgressDisplay(bool enabled);
  ~ProgressDisplay();
  // Prints `line` and a line end on stderr. While the progress line is
  // shown, it is cleared first and drawn again below, so the two never mix.
  void print(std::string_view line);
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

 private:
  void draw();
  void run();

  bool enabled_;
  std::chrono::milliseconds delay_{500};
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

}  // namespace riskledger::cli
