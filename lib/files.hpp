#pragma once
// File output. Every ledger is written to a temporary file in the same
// directory and renamed into place, so a failed run never leaves a
// half-written file under the final name.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace riskledger {

// Writes `bytes` to `path` atomically (temporary file + fsync + rename; a
// device or pipe is written in place).
// Throws InputError naming the path on failure.
void write_file_atomic(const std::string& path, std::string_view bytes);

// A set of output files written all or nothing: add() writes each to a
// temporary file next to its destination; commit() renames them all into
// place. A destination that is a device or pipe (/dev/null, a FIFO) is
// written in place at commit instead (a rename would replace the device). Destroyed without commit(), it
// removes its temporary files, so a run that fails part-way leaves every previous output as it was.
class OutputSet {
 public:
  OutputSet() = default;
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;
  ~OutputSet();
  void add(const std::string& path, std::string_view bytes);  // throws InputError
  // Stages `path` with the bytes `produce` hands to its sink, in order.
  void add(const std::string& path,
           const std::function<void(const std::function<void(std::string_view)>&)>& produce);
  void commit();  // throws InputError

  // Whether add() flushes each file to disk (fsync) before commit() renames
  // it into place (the default). Without it, a crash of the machine soon
  // after the run may leave an empty or partial file under the final name;
  // a failed or interrupted run still leaves the previous outputs intact.
  void set_sync(bool sync) { sync_ = sync; }

  // Takes DIR/.riskledger.lock (flock) for as long as the set lives, so two
  // runs writing into one directory never interleave. When another process
  // holds it, waits up to `wait_seconds` (0: not at all), then throws
  // InputError naming the directory and the holder's pid. Once held, removes
  // the temporary files (.NAME.tmp.XXXXXX) a killed run left in DIR: with
  // the lock held, no other run can be writing them. The lock file is removed
  // when the set is destroyed; a killed holder releases it with its process.
  void lock(const std::string& dir, double wait_seconds);

 private:
  struct Staged {
    std::string temp, path;  // temp empty: a device or pipe, written in place at commit
    std::function<void(const std::function<void(std::string_view)>&)> produce;
  };
  std::vector<Staged> staged_;
  int lock_fd_ = -1;
  std::string lock_path_;
  bool sync_ = true;
};

// True when `path` exists and is not a regular file (a device or a pipe).
bool is_special_file(const std::string& path);

// Creates a directory and its parents when missing. Throws InputError.
void make_directories(const std::string& path);

// The whole of a file's bytes. Throws InputError "cannot open PATH: REASON".
std::string read_file(const std::string& path);

// Writes all of `bytes` to standard output. Throws InputError on failure.
void write_stdout(std::string_view bytes);

}  // namespace riskledger
