#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "files.hpp"

using namespace riskledger;

namespace {

// `size` bytes of a pattern that repeats every 251 bytes (a prime: no block
// or buffer boundary lines up with it), so a byte written twice, dropped or
// put in the wrong place changes the content.
std::string pattern(size_t size) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>('a' + i % 251 % 26);
  return bytes;
}

}  // namespace

// A durable output is written with O_DIRECT where the file system allows it:
// 4 MiB aligned buffers, then the tail that is not a whole 4096-byte block;
// otherwise, or with RISKLEDGER_NO_DIRECT_IO=1, through the page cache with
// a write-behind every 8 MiB. Either way the file must hold exactly the
// bytes produced, handed over in pieces of any size.
TEST_CASE("OutputSet writes exactly the bytes produced, across buffer and block boundaries") {
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("riskledger-files-{}", ::getpid());
  std::filesystem::create_directories(dir);
  const auto path = (dir / "ledger.csv").string();
  for (const bool declined : {false, true}) {
    CAPTURE(declined);
    if (declined)
      ::setenv("RISKLEDGER_NO_DIRECT_IO", "1", 1);
    else
      ::unsetenv("RISKLEDGER_NO_DIRECT_IO");
    // 0 bytes; less than a block; one block exactly; the 4 MiB buffer plus a
    // block and a tail (4194304 + 4096 + 1234 = 4199634); two buffers, a block
    // and a tail (8388608 + 4096 + 1234 = 8393938); four buffers and one byte
    // (16777217).
    for (const size_t size :
         {size_t{0}, size_t{100}, size_t{4096}, size_t{4199634}, size_t{8393938}, size_t{16777217}}) {
      for (const bool sync : {true, false}) {
        CAPTURE(size);
        CAPTURE(sync);
        const std::string bytes = pattern(size);
        OutputSet out;
        out.set_sync(sync);
        // Pieces of 1, 4097 and 1000003 bytes in turn, as a ledger's blocks
        // come in sizes that have nothing to do with the disk's.
        out.add(path, [&](const std::function<void(std::string_view)>& sink) {
          const size_t pieces[] = {1, 4097, 1000003};
          for (size_t at = 0, k = 0; at < bytes.size(); ++k) {
            const size_t take = std::min(pieces[k % 3], bytes.size() - at);
            sink(std::string_view(bytes).substr(at, take));
            at += take;
          }
        });
        out.commit();
        const std::string back = read_file(path);
        CHECK(back.size() == size);
        CHECK(back == bytes);
      }
    }
  }
  std::filesystem::remove_all(dir);
  ::unsetenv("RISKLEDGER_NO_DIRECT_IO");
}
