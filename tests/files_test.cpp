#include <doctest/doctest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "error.hpp"
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
// 16 MiB aligned buffers, two of them taking turns (one written by a thread
// of the writer's own while the other fills), then the tail that is not a
// whole 4096-byte block;
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
    // 0 bytes; less than a block; one block exactly; one 16 MiB buffer
    // exactly (16777216), handed over and nothing left; a buffer, a block and
    // a tail (16777216 + 4096 + 1234 = 16782546); three buffers (the third
    // fills the first again once it is written), a block and a tail
    // (3 * 16777216 + 4096 + 1234 = 50336978).
    for (const size_t size :
         {size_t{0}, size_t{100}, size_t{4096}, size_t{16777216}, size_t{16782546}, size_t{50336978}}) {
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

// A write that fails (here: the file grows past the process's file size
// limit, EFBIG) reaches the caller as an error naming the file. The
// destination keeps its old contents and no temporary file is left beside it.
//
// Where it shows depends on how the file is written; the bytes the caller
// got to hand over (in pieces of 1000003) before the error say which:
// - With O_DIRECT, a full 16 MiB buffer is written by the writing thread. A
//   limit of 8 MiB fails the first buffer; the caller hears of it when it
//   hands over the second, in the piece that ends at or after 32 MiB:
//   33554432 / 1000003 = 33.55, so 33 pieces (33000099 bytes) went through.
//   A limit of 24 MiB fails the second buffer of 32 MiB: the last one, with
//   nothing after it to write, so all 32 MiB go through and only the writing
//   thread's error, passed on at the end, can say that the file is short.
// - Through the page cache, the caller writes and fails itself, in the piece
//   that crosses the limit: 8388608 / 1000003 = 8.39, so 8 pieces (8000024
//   bytes); 25165824 / 1000003 = 25.17, so 25 pieces (25000075 bytes).
// The first run allows O_DIRECT; a file system that refuses it makes that run
// the same as the second.
TEST_CASE("OutputSet: a failed write reaches the caller; the old file stays and no temporary file is left") {
  const auto dir =
      std::filesystem::temp_directory_path() / fmt::format("riskledger-files-full-{}", ::getpid());
  std::filesystem::create_directories(dir);
  const auto path = (dir / "ledger.csv").string();
  write_file_atomic(path, "old\n");
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of a signal
  rlimit saved{};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
  for (const bool declined : {false, true}) {
    if (declined)
      ::setenv("RISKLEDGER_NO_DIRECT_IO", "1", 1);
    else
      ::unsetenv("RISKLEDGER_NO_DIRECT_IO");
    struct Case {
      size_t limit, size, direct, buffered;  // bytes handed over before the error
    };
    for (const auto& c : {Case{size_t{8} << 20, size_t{64} << 20, 33000099, 8000024},
                          Case{size_t{24} << 20, size_t{32} << 20, size_t{32} << 20, 25000075}}) {
      CAPTURE(declined);
      CAPTURE(c.limit);
      const size_t size = c.size, limit = c.limit;
      const std::string bytes = pattern(size);
      rlimit lower = saved;
      lower.rlim_cur = limit;
      REQUIRE(::setrlimit(RLIMIT_FSIZE, &lower) == 0);
      std::string message;
      size_t handed = 0;
      try {
        OutputSet out;
        out.add(path, [&](const std::function<void(std::string_view)>& sink) {
          for (size_t at = 0; at < bytes.size(); at += 1000003) {
            const auto piece = std::string_view(bytes).substr(at, 1000003);
            sink(piece);
            handed += piece.size();
          }
        });
        out.commit();
      } catch (const InputError& e) {
        message = e.what();
      }
      REQUIRE(::setrlimit(RLIMIT_FSIZE, &saved) == 0);
      CHECK(message == fmt::format("cannot write {}: {}", path, std::strerror(EFBIG)));
      if (declined)
        CHECK(handed == c.buffered);
      else
        CHECK((handed == c.direct || handed == c.buffered));
      CHECK(read_file(path) == "old\n");
      size_t files = 0;
      for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
      CHECK(files == 1);
    }
  }
  std::signal(SIGXFSZ, old_handler);
  ::unsetenv("RISKLEDGER_NO_DIRECT_IO");
  std::filesystem::remove_all(dir);
}
