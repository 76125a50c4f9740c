#include "encoding.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "error.hpp"

namespace riskledger {

bool is_utf8_name(std::string encoding) {
  std::transform(encoding.begin(), encoding.end(), encoding.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return encoding == "utf-8" || encoding == "utf8";
}

namespace {

class DecodingStream final : public ByteStream {
 public:
  DecodingStream(std::unique_ptr<ByteStream> in, iconv_t cd, std::string encoding, std::string name)
      : in_(std::move(in)), cd_(cd), encoding_(std::move(encoding)), name_(std::move(name)) {}
  ~DecodingStream() override { iconv_close(cd_); }
  DecodingStream(const DecodingStream&) = delete;
  DecodingStream& operator=(const DecodingStream&) = delete;

  // Hands out converted bytes from `out_`, converting another block of
  // input when it is used up (so any `n`, even 1, works).
  size_t read(char* dst, size_t n) override {
    if (out_pos_ == out_.size() && !convert()) return 0;
    const size_t k = std::min(n, out_.size() - out_pos_);
    std::memcpy(dst, out_.data() + out_pos_, k);
    out_pos_ += k;
    return k;
  }

 private:
  static constexpr size_t kBlock = 1 << 20;

  // Converts what input is pending (reading more as needed) into out_;
  // false at the end of input.
  bool convert() {
    out_.resize(4 * kBlock);
    out_pos_ = 0;
    bool need_more = pending_.size() < kBlock / 2;
    for (;;) {
      if ((need_more || pending_.empty()) && !eof_) refill();
      if (pending_.empty()) {
        out_.clear();
        return false;
      }
      char* in = pending_.data();
      size_t in_left = pending_.size();
      char* out = out_.data();
      size_t out_left = out_.size();
      const size_t result = iconv(cd_, &in, &in_left, &out, &out_left);
      const int err = errno;
      consume(pending_.size() - in_left);
      out_.resize(out_.size() - out_left);
      if (!out_.empty()) return true;
      if (result != static_cast<size_t>(-1)) continue;
      if (err == EILSEQ || (err == EINVAL && eof_)) throw bad_byte();
      if (err != EINVAL) throw InputError(fmt::format("{}: cannot convert from {}", name_, encoding_));
      need_more = true;  // an incomplete sequence at the end of what we have
      out_.resize(4 * kBlock);
    }
  }

  void refill() {
    const size_t old = pending_.size();
    pending_.resize(old + kBlock);
    const size_t got = in_->read(pending_.data() + old, kBlock);
    pending_.resize(old + got);
    if (got == 0) eof_ = true;
  }

  // Drops converted bytes, counting the lines they held (in GB18030 and GBK
  // the byte 0x0A is always a line feed, never part of a character).
  void consume(size_t bytes) {
    line_ += static_cast<uint32_t>(
        std::count(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(bytes), '\n'));
    pending_.erase(0, bytes);
  }

  InputError bad_byte() const {
    const auto byte = pending_.empty() ? 0u : static_cast<unsigned char>(pending_.front());
    return InputError(fmt::format("{}:{}: not valid {} (byte 0x{:02X}); check the file's encoding", name_,
                                  line_, encoding_, byte));
  }

  std::unique_ptr<ByteStream> in_;
  iconv_t cd_;
  std::string encoding_, name_;
  std::string pending_;  // input not yet converted
  std::string out_;      // converted output not yet handed out, from out_pos_
  size_t out_pos_ = 0;
  bool eof_ = false;
  uint32_t line_ = 1;
};

}  // namespace

std::unique_ptr<ByteStream> decoding_stream(std::unique_ptr<ByteStream> in, const std::string& encoding,
                                            const std::string& name) {
  if (is_utf8_name(encoding)) return in;
  iconv_t cd = iconv_open("UTF-8", encoding.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1))
    throw UsageError(fmt::format("--encoding: unknown encoding '{}' (try gb18030, gbk or utf-8)", encoding));
  return std::make_unique<DecodingStream>(std::move(in), cd, encoding, name);
}

}  // namespace riskledger
