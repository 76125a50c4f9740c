#pragma once
// File output. Every ledger is written to a temporary file in the same
// directory and renamed into place, so a failed run never leaves a
// half-written file under the final name.
#include <string>
#include <string_view>

namespace riskledger {

// Writes `bytes` to `path` atomically (temporary file + fsync + rename).
// Throws InputError naming the path on failure.
void write_file_atomic(const std::string& path, std::string_view bytes);

// Creates a directory and its parents when missing. Throws InputError.
void make_directories(const std::string& path);

// Writes all of `bytes` to standard output. Throws InputError on failure.
void write_stdout(std::string_view bytes);

}  // namespace riskledger
