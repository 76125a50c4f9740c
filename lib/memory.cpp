#include "memory.hpp"

#include "parallel.hpp"

#include <unistd.h>

#include <algorithm>

namespace riskledger {

namespace {

size_t page_size() {
  static const auto size = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

size_t round_up(size_t bytes, size_t to) {
  return (bytes + to - 1) / to * to;
}

}  // namespace

void* map_huge(size_t bytes) {
  const size_t size = round_up(bytes, page_size());
  // Map 2 MiB more than needed, then give back what lies before the first
  // 2 MiB boundary and after the end.
  const size_t mapped = size + kHugePage;
  void* p = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<uintptr_t>(p);
  const auto aligned = round_up(start, kHugePage);
  if (aligned > start) ::munmap(p, aligned - start);
  const auto end = start + mapped;
  if (end > aligned + size) ::munmap(reinterpret_cast<void*>(aligned + size), end - (aligned + size));
  // Only whole huge pages inside what was asked for: a huge page past the
  // end of what is used would still be counted in full once touched.
  advise_huge_pages(reinterpret_cast<void*>(aligned), bytes);
  return reinterpret_cast<void*>(aligned);
}

void release_unused_pages(const void* p, size_t used, size_t bytes) {
  if (bytes < kHugeAllocation) return;  // not from map_huge (a string's allocation is one more)
  const auto begin = round_up(reinterpret_cast<uintptr_t>(p) + used, page_size());
  const auto end = reinterpret_cast<uintptr_t>(p) + round_up(bytes, page_size());
  if (begin < end) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

void unmap_huge(void* p, size_t bytes) {
  ::munmap(p, round_up(bytes, page_size()));
}

namespace {
constexpr size_t kArenaChunk = size_t{256} << 20;
constexpr size_t kArenaAlign = 64;
}  // namespace

Arena::~Arena() {
  for (const auto& [p, bytes] : chunks_) unmap_huge(p, bytes);
}

Arena::Lane& Arena::lane() {
  const auto self = std::this_thread::get_id();
  for (auto& l : lanes_)
    if (l.thread == self) return l;
  return lanes_.emplace_back(Lane{self});
}

void* Arena::allocate(size_t bytes) {
  bytes = round_up(std::max<size_t>(bytes, 1), kArenaAlign);
  const std::lock_guard lock(mutex_);
  auto& l = lane();
  if (static_cast<size_t>(l.end - l.top) < bytes) {
    // A new chunk; what is left of the old one was never touched.
    const size_t size = std::max(kArenaChunk, round_up(bytes, kHugePage));
    chunks_.reserve(chunks_.size() + 1);
    l.top = static_cast<char*>(map_huge(size));
    l.end = l.top + size;
    chunks_.emplace_back(l.top, size);
  }
  void* p = l.top;
  l.top += bytes;
  return p;
}

void Arena::shrink(const void* p, size_t bytes, size_t used) {
  if (p == nullptr) return;  // an empty container that never allocated
  const std::lock_guard lock(mutex_);
  auto& l = lane();
  const auto* begin = static_cast<const char*>(p);
  if (begin + round_up(std::max<size_t>(bytes, 1), kArenaAlign) == l.top)
    l.top = const_cast<char*>(begin) + round_up(used, kArenaAlign);
}

void touch_pages(void* p, size_t bytes, unsigned threads) {
  constexpr size_t kPiece = size_t{16} << 20;  // a task: 16 MiB
  auto* bytes_at = static_cast<volatile unsigned char*>(p);
  parallel_for((bytes + kPiece - 1) / kPiece, threads, [&](size_t piece) {
    for (size_t at = piece * kPiece, end = std::min(bytes, at + kPiece); at < end; at += page_size())
      bytes_at[at] = 0;
  });
}

}  // namespace riskledger
