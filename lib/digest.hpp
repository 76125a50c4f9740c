#pragma once
// SHA-256 digests of files and of bytes as they are written, for the manifest
// and for verify. The hashing itself is OpenSSL's (libcrypto).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace riskledger {

// An incremental SHA-256: update() with the bytes in order, then hex().
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  // The digest as 64 lowercase hex digits. Call once, after the last update.
  std::string hex();
  uint64_t bytes() const { return bytes_; }

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
  uint64_t bytes_ = 0;
};

// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

struct FileDigest {
  std::string path;  // as given
  uint64_t bytes = 0;
  std::string sha256;
};

// Reads `path` in blocks and hashes it. Throws InputError naming the path
// when it cannot be opened or read.
FileDigest digest_file(const std::string& path);

// A sink that hashes what passes through it on the way to `next`: wrap the
// sink a writer feeds, and the digest is of the exact bytes written.
using ByteSink = std::function<void(std::string_view)>;
ByteSink hashing_sink(Sha256& hash, const ByteSink& next);

}  // namespace riskledger
