#include "memory.hpp"

#include <doctest/doctest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <thread>
#include <utility>

using namespace riskledger;

TEST_CASE("an arena hands out buffers back to back, 64-byte aligned") {
  Arena arena;
  auto* a = static_cast<char*>(arena.allocate(100));
  auto* b = static_cast<char*>(arena.allocate(1));
  CHECK(reinterpret_cast<uintptr_t>(a) % 64 == 0);
  CHECK(b == a + 128);  // 100 rounded up to 64
  // Cutting back a buffer that is not the last one changes nothing ...
  arena.shrink(a, 100, 10);
  auto* c = static_cast<char*>(arena.allocate(256));
  CHECK(c == b + 64);
  // ... cutting back the last one moves the next one down: c keeps 1 byte of
  // its 256, so the next starts 64 after it, not 256.
  arena.shrink(c, 256, 1);
  // An empty container that never allocated has no buffer to cut back.
  arena.shrink(nullptr, 0, 0);
  CHECK(arena.allocate(8) == c + 64);
  a[0] = 'x';  // the memory is there to use
  b[127] = 'y';
}

TEST_CASE("each thread carves from its own chunks") {
  Arena arena;
  auto* mine = static_cast<char*>(arena.allocate(64));
  char* theirs = nullptr;
  std::thread other([&] { theirs = static_cast<char*>(arena.allocate(64)); });
  other.join();
  // The other thread's buffer did not take the room after mine.
  CHECK(theirs != mine + 64);
  CHECK(arena.allocate(64) == mine + 64);
}

TEST_CASE("a buffer larger than a chunk gets a chunk of its own") {
  Arena arena;
  const size_t big = (size_t{256} << 20) + 1;
  auto* p = static_cast<char*>(arena.allocate(big));
  p[0] = 1;
  p[big - 1] = 2;
  CHECK(p[big - 1] == 2);
}

TEST_CASE("release_unused gives an arena buffer's rest back to the arena; the allocator moves with it") {
  Arena arena;
  HugeString s{HugePageAllocator<char>(&arena)};
  // 1025 bytes with the NUL, 1088 in the arena: were the NUL not counted,
  // the arena would not know the buffer for its last and keep all of it.
  s.reserve(1024);
  s.append(100, 'x');
  release_unused(s);
  HugeVector<double> v{HugePageAllocator<double>(&arena)};
  v.reserve(4);
  CHECK(reinterpret_cast<const char*>(v.data()) == s.data() + 128);
  HugeString moved;
  moved = std::move(s);
  CHECK(moved.get_allocator().arena == &arena);
  CHECK(moved.size() == 100);
}

// reserve_touched leaves the vector empty, with every page of the room it
// reserved already in memory (mincore: resident), touched on two threads.
TEST_CASE("reserve_touched faults in the room it reserves") {
  std::vector<uint64_t> v;
  constexpr size_t kCount = size_t{3} << 20;  // 24 MiB: two 16 MiB pieces
  reserve_touched(v, kCount, 2);
  CHECK(v.empty());
  REQUIRE(v.capacity() >= kCount);
  const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto from = (reinterpret_cast<uintptr_t>(v.data()) + page - 1) / page * page;
  const auto to = (reinterpret_cast<uintptr_t>(v.data() + v.capacity())) / page * page;
  std::vector<unsigned char> resident((to - from) / page);
  REQUIRE(::mincore(reinterpret_cast<void*>(from), to - from, resident.data()) == 0);
  size_t in_memory = 0;
  for (const unsigned char r : resident) in_memory += r & 1;
  CHECK(in_memory == resident.size());
}
