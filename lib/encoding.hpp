#pragma once
// Input encodings other than UTF-8, converted to UTF-8 with iconv as the
// bytes are read (files exported by Excel on Chinese Windows are GB18030/GBK).
#include <memory>
#include <string>

#include "csv_reader.hpp"

namespace riskledger {

// "utf-8" or "utf8", in any letter case.
bool is_utf8_name(std::string encoding);

// Returns `in` unchanged for "utf-8", otherwise a stream that yields `in`
// converted from `encoding` (gb18030, gbk, or any name iconv knows) to UTF-8.
// Throws UsageError for an unknown encoding; the stream throws InputError
// naming `name` and the line of the first byte that is not valid in
// `encoding`.
std::unique_ptr<ByteStream> decoding_stream(std::unique_ptr<ByteStream> in, const std::string& encoding,
                                            const std::string& name);

}  // namespace riskledger
