#pragma once
// RFC 4180 CSV reader: quoted fields with commas, doubled quotes and line
// breaks; UTF-8 with or without BOM; LF or CRLF line ends. Reads its input in
// large blocks, so memory stays bounded by the chunk size, not the file size.
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "raw_rows.hpp"

namespace riskledger {

// Where bytes come from; lets tests read from memory.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Reads up to `n` bytes into `dst`; returns the count, 0 at end of input.
  // Throws InputError on a read error.
  virtual size_t read(char* dst, size_t n) = 0;
};
std::unique_ptr<ByteStream> open_file_stream(const std::string& path);  // "-" is stdin
std::unique_ptr<ByteStream> memory_stream(std::string bytes);

class CsvReader final : public RecordSource {
 public:
  // Reads the header row. Throws InputError for an unterminated quote (naming
  // the line where it opened) or invalid UTF-8 (naming the line and
  // suggesting --encoding gb18030). An empty file has an empty header.
  CsvReader(std::string name, std::unique_ptr<ByteStream> in);
  const std::vector<std::string>& header() const override { return header_; }
  bool read(RawRows& out, size_t max_rows) override;
  const std::string& name() const override { return name_; }

 private:
  bool fill();  // reads more bytes into buf_; false at end of input
  std::string name_;
  std::unique_ptr<ByteStream> in_;
  std::vector<std::string> header_;
  std::string buf_;    // unparsed bytes
  size_t pos_ = 0;     // parse position in buf_
  uint32_t line_ = 1;  // line number at pos_
  bool eof_ = false;
};

// A CSV file read whole through a memory map, in segments on several
// threads. It gives the same rows and the same errors as CsvReader (the first
// error in the file wins). Pages are handed back to the page cache as each
// segment is done, so memory does not grow with the file.
class MappedCsv {
 public:
  // About this many bytes of rows per segment.
  static constexpr size_t kSegmentBytes = size_t{8} << 20;

  // Maps `path` and reads its header (errors as CsvReader's constructor).
  // Returns nullptr when `path` is not a regular file that can be mapped:
  // read it with CsvReader then.
  static std::unique_ptr<MappedCsv> open(const std::string& path);
  ~MappedCsv();
  MappedCsv(const MappedCsv&) = delete;
  MappedCsv& operator=(const MappedCsv&) = delete;

  const std::vector<std::string>& header() const { return header_; }
  const std::string& name() const { return name_; }

  // segments() says how many segments read() will make.
  // Splits the rows after the header into segments of about `segment_bytes`
  // and calls each(k, rows) for every segment k, in parallel on `threads`
  // (0: one per core); returns the number of segments. A segment starts at
  // the first line end after its nominal offset: a guess, checked once every
  // segment is scanned (a quoted field may span lines). A segment guessed
  // wrong is scanned again and `each` is called again for it, so each(k, …)
  // must replace whatever an earlier call for k produced. Throws the first
  // error of the file, as CsvReader would.
  size_t segments(size_t segment_bytes = kSegmentBytes) const {
    return header_.empty() || data_start_ >= size_
               ? 0
               : (size_ - data_start_ + segment_bytes - 1) / segment_bytes;
  }
  //
  // With a `window`, segments are read that many at a time: a window is
  // scanned (in parallel), its guesses checked, and done(k) called for each
  // of its segments in file order before the next window starts, so memory
  // stays bounded by the window and a caller can hand results on in order
  // (0: one window of every segment). done(k) comes after each(k, …)'s
  // last call for k, and not at all for a segment with an error or after it.
  //
  // A window's segments are read with pread() into buffers kept from one
  // window to the next, a little past each segment's end so its last row is
  // whole. Only a segment with an error, or one that must start before its
  // buffer (after a row longer than that little), is scanned from the
  // mapping. Reading costs less than first touching mapped pages, and the
  // buffers stay in cache. Without a window the file is scanned through the
  // mapping.
  size_t read(unsigned threads, const std::function<void(size_t, const RawRows&)>& each,
              size_t segment_bytes = kSegmentBytes, size_t window = 0,
              const std::function<void(size_t)>& done = nullptr);

 private:
  MappedCsv() = default;
  std::string name_;
  const char* data_ = nullptr;
  size_t size_ = 0;
  int fd_ = -1;  // open for pread() as long as the map
  std::vector<std::string> header_;
  size_t data_start_ = 0;   // offset of the first byte after the header row
  uint32_t data_line_ = 1;  // line on which data_start_ is
};

}  // namespace riskledger
