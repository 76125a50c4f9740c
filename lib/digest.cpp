#include "digest.hpp"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "error.hpp"

namespace riskledger {

struct Sha256::Context {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  ~Context() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256() : ctx_(std::make_unique<Context>()) {
  if (ctx_->md == nullptr || EVP_DigestInit_ex(ctx_->md, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("OpenSSL: cannot start a SHA-256 digest");
}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view bytes) {
  if (EVP_DigestUpdate(ctx_->md, bytes.data(), bytes.size()) != 1)
    throw std::runtime_error("OpenSSL: SHA-256 update failed");
  bytes_ += bytes.size();
}

std::string Sha256::hex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx_->md, digest, &length) != 1)
    throw std::runtime_error("OpenSSL: SHA-256 final failed");
  std::string out;
  out.reserve(2 * length);
  for (unsigned i = 0; i < length; ++i) fmt::format_to(std::back_inserter(out), "{:02x}", digest[i]);
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 hash;
  hash.update(bytes);
  return hash.hex();
}

FileDigest digest_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw InputError(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  Sha256 hash;
  std::vector<char> block(1 << 20);
  size_t n = 0;
  while ((n = std::fread(block.data(), 1, block.size(), f)) > 0) hash.update({block.data(), n});
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (failed) throw InputError(fmt::format("cannot read {}: {}", path, std::strerror(err)));
  return {path, hash.bytes(), hash.hex()};
}

ByteSink hashing_sink(Sha256& hash, const ByteSink& next) {
  return [&hash, next](std::string_view bytes) {
    hash.update(bytes);
    next(bytes);
  };
}

}  // namespace riskledger
