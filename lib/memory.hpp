#pragma once
// Large arrays that are visited in no order of memory (the decisions when
// ranked, the records' cells when the ledger is written in rank order) miss
// the TLB on almost every visit with 4 KiB pages. Backed by 2 MiB pages, one
// TLB entry covers 512 times as much, and one page fault maps 512 times as
// much memory (a fault is costly, on virtual machines most of all).
#include <sys/mman.h>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <vector>

namespace riskledger {

inline constexpr size_t kHugePage = size_t{2} << 20;

// Asks the kernel to back the whole 2 MiB pages inside [p, p + bytes) with
// transparent huge pages. Call it before the memory is first written (after
// reserve(), before resize() or appends), so pages come huge at their first
// fault. A hint only: nothing changes where transparent huge pages are off.
inline void advise_huge_pages(const void* p, size_t bytes) {
  const auto begin = (reinterpret_cast<uintptr_t>(p) + kHugePage - 1) & ~(kHugePage - 1);
  const auto end = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(kHugePage - 1);
#ifdef MADV_HUGEPAGE
  if (begin < end) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
}

// Reserves room for `n` elements in an empty `v`, backed by huge pages
// where the kernel allows.
template <typename T>
void reserve_huge(std::vector<T>& v, size_t n) {
  v.reserve(n);
  advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

// Memory of at least kHugeAllocation bytes mapped on its own, starting on a
// 2 MiB boundary, its whole 2 MiB pages advised huge (malloc would start it
// anywhere, leaving up to 2 MiB at each end in small pages). Throws
// std::bad_alloc.
inline constexpr size_t kHugeAllocation = kHugePage;
void* map_huge(size_t bytes);
void unmap_huge(void* p, size_t bytes);
// See release_unused below: [p + used, p + bytes) of a buffer from map_huge.
void release_unused_pages(const void* p, size_t used, size_t bytes);

// An allocator for the large buffers a batch is built into.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  explicit HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    return static_cast<T*>(bytes < kHugeAllocation ? ::operator new(bytes) : map_huge(bytes));
  }
  void deallocate(T* p, size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugeAllocation)
      ::operator delete(p);
    else
      unmap_huge(p, bytes);
  }
  friend bool operator==(const HugePageAllocator&, const HugePageAllocator&) { return true; }
};

using HugeString = std::basic_string<char, std::char_traits<char>, HugePageAllocator<char>>;
template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

// Gives the pages of a HugeString or HugeVector past its size back to the
// kernel (a huge page its end falls in is split): a buffer reserved for more
// than it took does not keep the rest resident. Only buffers from map_huge
// are touched; the container must not grow afterwards.
template <typename C>
requires std::same_as<typename C::allocator_type, HugePageAllocator<typename C::value_type>>
void release_unused(const C& c) {
  using T = typename C::value_type;
  release_unused_pages(c.data(), c.size() * sizeof(T), c.capacity() * sizeof(T));
}

}  // namespace riskledger
