#pragma once
// What happens when a run is interrupted (SIGINT, SIGTERM, SIGHUP): the
// temporary files of outputs still being written are removed, a one-line
// note goes to stderr, and the process then dies of the same signal, so a
// shell reports exit 130 (SIGINT), 143 (SIGTERM) or 129 (SIGHUP). Outputs
// are only ever renamed into place whole, so the previous ledgers stay as
// they were.
//
// The registry is a fixed table read by an async-signal-safe handler: no
// allocation, no locks, only unlink(2) and write(2) in the handler.
#include <string>

namespace riskledger {

// Installs the handler for SIGINT, SIGTERM and SIGHUP. Called once, by the CLI.
void install_interrupt_cleanup();

// Remembers a temporary file to remove if the process is interrupted. A path
// that does not fit (over 4095 bytes, or more than kMaxTempFiles at once) is
// not remembered; it is still removed on every other way out.
void register_temp_file(const std::string& path);
// Forgets it again: it was renamed into place or removed.
void unregister_temp_file(const std::string& path);

// Holds off interruptions while it lives: a signal that arrives meanwhile
// takes effect when the last DeferInterrupts ends. Renaming a set of outputs
// into place is done under one, so an interruption never leaves some new
// and some old ledgers.
class DeferInterrupts {
 public:
  DeferInterrupts();
  ~DeferInterrupts();
  DeferInterrupts(const DeferInterrupts&) = delete;
  DeferInterrupts& operator=(const DeferInterrupts&) = delete;
};

}  // namespace riskledger
