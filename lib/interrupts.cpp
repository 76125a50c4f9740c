#include "interrupts.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <string_view>

namespace riskledger {

namespace {

constexpr size_t kMaxTempFiles = 64;
constexpr size_t kMaxPath = 4096;

// One remembered path. `state` is kFree, kWriting (a thread is copying the
// path in) or kRegistered; the handler only reads registered slots.
enum : int { kFree = 0, kWriting = 1, kRegistered = 2 };
struct Slot {
  std::atomic<int> state{kFree};
  char path[kMaxPath] = {};
};
static_assert(std::atomic<int>::is_always_lock_free, "the handler needs lock-free atomics");

Slot g_slots[kMaxTempFiles];
std::atomic<int> g_defer_depth{0};  // live DeferInterrupts
std::atomic<int> g_pending{0};      // signal that arrived while deferred

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

void remove_temp_files() {
  for (auto& slot : g_slots)
    if (slot.state.load(std::memory_order_acquire) == kRegistered) ::unlink(slot.path);
}

void write_stderr(std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(STDERR_FILENO, text.data(), text.size());
    if (n <= 0) return;
    text.remove_prefix(static_cast<size_t>(n));
  }
}

// Removes the temporary files, says so, and dies of `sig` with its default
// action, so the parent sees how the process ended (a shell: 128 + sig).
void die_of(int sig) {
  remove_temp_files();
  const char* name = sig == SIGINT    ? "SIGINT"
                     : sig == SIGTERM ? "SIGTERM"
                     : sig == SIGHUP  ? "SIGHUP"
                                      : "a signal";
  write_stderr("riskledger: interrupted by ");
  write_stderr(name);
  write_stderr(": temporary files removed, previous outputs left as they were\n");
  ::signal(sig, SIG_DFL);
  ::raise(sig);  // in the handler: delivered as soon as it returns
}

extern "C" void on_interrupt(int sig) {
  if (g_defer_depth.load() > 0) {
    g_pending.store(sig);
    return;
  }
  die_of(sig);
}

}  // namespace

void install_interrupt_cleanup() {
  for (const int sig : kSignals) {
    struct sigaction old {};
    // A signal ignored when we started (nohup, a background job of a script)
    // stays ignored, as the shell meant.
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    for (const int other : kSignals) sigaddset(&action.sa_mask, other);
    action.sa_flags = 0;
    ::sigaction(sig, &action, nullptr);
  }
}

void register_temp_file(const std::string& path) {
  if (path.size() >= kMaxPath) return;
  for (auto& slot : g_slots) {
    int expected = kFree;
    if (!slot.state.compare_exchange_strong(expected, kWriting)) continue;
    std::memcpy(slot.path, path.c_str(), path.size() + 1);
    slot.state.store(kRegistered, std::memory_order_release);
    return;
  }
}

void unregister_temp_file(const std::string& path) {
  for (auto& slot : g_slots) {
    if (slot.state.load(std::memory_order_acquire) == kRegistered && path == slot.path) {
      slot.state.store(kFree, std::memory_order_release);
      return;
    }
  }
}

DeferInterrupts::DeferInterrupts() {
  g_defer_depth.fetch_add(1);
}

DeferInterrupts::~DeferInterrupts() {
  if (g_defer_depth.fetch_sub(1) == 1) {
    if (const int sig = g_pending.exchange(0)) die_of(sig);
  }
}

}  // namespace riskledger
