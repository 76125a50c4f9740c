#pragma once
// RFC 4180 CSV reader: quoted fields with commas, doubled quotes and line
// breaks; UTF-8 with or without BOM; LF or CRLF line ends. Reads its input in
// large blocks, so memory stays bounded by the chunk size, not the file size.
#include <cstdio>
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

}  // namespace riskledger
