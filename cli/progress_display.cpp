#include "progress_display.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "progress.hpp"

namespace riskledger::cli {

bool progress_wanted(const InputOptions& options) {
  return !options.quiet && !options.no_progress && isatty(STDERR_FILENO) == 1;
}

namespace {

// 1234567 -> "1,234,567".
std::string grouped(uint64_t n) {
  auto digits = std::to_string(n);
  for (auto at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, 1, ',');
  return digits;
}

}  // namespace

std::string progress_line(uint64_t read, uint64_t graded, double seconds) {
  const auto rate = seconds > 0 ? static_cast<uint64_t>(static_cast<double>(read) / seconds) : 0;
  auto line = fmt::format("read {} records ({}/s)", grouped(read), grouped(rate));
  if (graded > 0) line += fmt::format(" · graded {}", grouped(graded));
  return line + fmt::format(" · {:.1f} s", seconds);
}

ProgressDisplay::ProgressDisplay(bool enabled) : enabled_(enabled), start_(std::chrono::steady_clock::now()) {
  if (!enabled_) return;
  if (const char* ms = std::getenv("RISKLEDGER_PROGRESS_DELAY_MS"))
    delay_ = std::chrono::milliseconds(std::atol(ms));
  progress_counters().read = 0;
  progress_counters().graded = 0;
  thread_ = std::thread([this] { run(); });
}

ProgressDisplay::~ProgressDisplay() {
  if (!enabled_) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_one();
  thread_.join();
  if (delay_.count() == 0) draw();
  if (drawn_) {
    std::fputs("\r\x1b[K", stderr);  // clear the line
    std::fflush(stderr);
  }
}

void ProgressDisplay::print(std::string_view line) {
  if (!enabled_) {
    fmt::print(stderr, "{}\n", line);
    return;
  }
  std::lock_guard lock(mutex_);
  if (!drawn_) {
    fmt::print(stderr, "{}\n", line);
    return;
  }
  fmt::print(stderr, "\r{}\x1b[K\n", line);
  draw();
}

void ProgressDisplay::draw() {
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
  const auto line = progress_line(progress_counters().read, progress_counters().graded, elapsed.count());
  fmt::print(stderr, "\r{}\x1b[K", line);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressDisplay::run() {
  std::unique_lock lock(mutex_);
  if (stop_.wait_for(lock, delay_, [this] { return stopping_; })) return;
  while (true) {
    draw();
    if (stop_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stopping_; })) return;
  }
}

}  // namespace riskledger::cli
