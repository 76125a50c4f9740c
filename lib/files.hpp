#pragma once
// File output. Every ledger is written to a temporary file in the same
// directory and renamed into place, so a failed run never leaves a
// half-written file under the final name.
#include <string>
#include <string_view>
#include <vector>

namespace riskledger {

// Writes `bytes` to `path` atomically (temporary file + fsync + rename).
// Throws InputError naming the path on failure.
void write_file_atomic(const std::string& path, std::string_view bytes);

// A set of output files written all or nothing: add() writes each to a
// temporary file next to its destination; commit() renames them all into
// place. Destroyed without commit(), it removes its temporary files, so a run
// that fails part-way leaves every previous output as it was.
class OutputSet {
 public:
  OutputSet() = default;
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;
  ~OutputSet();
  void add(const std::string& path, std::string_view bytes);  // throws InputError
  void commit();                                              // throws InputError

 private:
  struct Staged {
    std::string temp, path;
  };
  std::vector<Staged> staged_;
};

// Creates a directory and its parents when missing. Throws InputError.
void make_directories(const std::string& path);

// Writes all of `bytes` to standard output. Throws InputError on failure.
void write_stdout(std::string_view bytes);

}  // namespace riskledger
