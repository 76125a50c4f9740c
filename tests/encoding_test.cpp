#include "encoding.hpp"

#include <doctest/doctest.h>

#include "error.hpp"

using namespace riskledger;

namespace {
std::string read_all(ByteStream& in, size_t step) {
  std::string out;
  std::string buf(step, '\0');
  while (const size_t n = in.read(buf.data(), buf.size())) out.append(buf.data(), n);
  return out;
}
}  // namespace

TEST_CASE("GB18030 input is converted to UTF-8") {
  // 社会治安 in GB18030: C9E7 BBE1 D6CE B0B2.
  const std::string gb = "id,\xC9\xE7\xBB\xE1\xD6\xCE\xB0\xB2\nx\n";
  for (size_t step : {size_t{1}, size_t{3}, size_t{4096}}) {
    auto in = decoding_stream(memory_stream(gb), "gb18030", "t.csv");
    CHECK(read_all(*in, step) == "id,社会治安\nx\n");
  }
}

TEST_CASE("utf-8 passes through; unknown encodings are usage errors") {
  auto in = decoding_stream(memory_stream("中文"), "UTF-8", "t.csv");
  CHECK(read_all(*in, 16) == "中文");
  CHECK_THROWS_AS(decoding_stream(memory_stream(""), "klingon", "t.csv"), UsageError);
}

TEST_CASE("a byte that is not valid in the encoding names its line") {
  auto in = decoding_stream(memory_stream("a\nb\n\xC9\xE7\xFF\n"), "gbk", "t.csv");
  CHECK_THROWS_WITH_AS(read_all(*in, 4096), "t.csv:3: not valid gbk (byte 0xFF); check the file's encoding",
                       InputError);
}
