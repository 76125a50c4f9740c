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
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
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

// Writes a byte in every 4 KiB page of the `bytes` at `p` (memory just
// allocated), on `threads` threads (0: one per core). Touching fresh memory
// for the first time is what costs on the project's machine (the kernel
// zeroes, the host supplies; docs/performance.md), so a large buffer that
// would be filled on one thread is faulted in on all of them first.
void touch_pages(void* p, size_t bytes, unsigned threads);

// reserve_huge, then touch_pages over the room reserved.
template <typename T>
void reserve_touched(std::vector<T>& v, size_t n, unsigned threads) {
  reserve_huge(v, n);
  touch_pages(v.data(), v.capacity() * sizeof(T), threads);
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

// Buffers for many batches built at once, carved one after the other from
// 256 MiB chunks of huge pages, a separate run of chunks for each thread. A
// batch's buffer is reserved larger than it turns out, then cut back
// (shrink); allocated on their own, each buffer would end inside a huge page
// that the cut splits into small pages (a TLB miss on almost every random
// visit there: up to 1.5 MB of a batch's 3.5 MB of cells for a ledger of a
// few columns). Back to back, the next buffer goes on where the last one
// ended.
// Memory goes back to the kernel when the arena is destroyed, not before:
// for buffers that live as long as the run. Thread-safe.
class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena();
  // Room for `bytes` (64-byte aligned) after the calling thread's last buffer.
  void* allocate(size_t bytes);
  // Keeps the first `used` of the `bytes` at p: when p is the calling
  // thread's last buffer, the next one starts after them.
  void shrink(const void* p, size_t bytes, size_t used);

 private:
  struct Lane {
    std::thread::id thread;
    char* top = nullptr;
    char* end = nullptr;
  };
  Lane& lane();  // the calling thread's, with mutex_ held
  std::mutex mutex_;
  std::vector<Lane> lanes_;
  std::vector<std::pair<void*, size_t>> chunks_;
};

// An allocator for the large buffers a batch is built into: from an Arena,
// or (without one) each large buffer mapped on its own by map_huge and
// small ones by operator new. The allocator goes with the buffer when it is
// moved or swapped.
template <typename T>
struct HugePageAllocator {
  using value_type = T;
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_copy_assignment = std::true_type;
  using propagate_on_container_swap = std::true_type;
  Arena* arena = nullptr;
  HugePageAllocator() = default;
  explicit HugePageAllocator(Arena* from) : arena(from) {}
  template <typename U>
  explicit HugePageAllocator(const HugePageAllocator<U>& other) : arena(other.arena) {}
  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (arena) return static_cast<T*>(arena->allocate(bytes));
    return static_cast<T*>(bytes < kHugeAllocation ? ::operator new(bytes) : map_huge(bytes));
  }
  void deallocate(T* p, size_t n) {
    if (arena) return;  // freed with the arena
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugeAllocation)
      ::operator delete(p);
    else
      unmap_huge(p, bytes);
  }
  friend bool operator==(const HugePageAllocator& a, const HugePageAllocator& b) {
    return a.arena == b.arena;
  }
};

using HugeString = std::basic_string<char, std::char_traits<char>, HugePageAllocator<char>>;
template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

// A string's allocation holds one more element than its capacity (the NUL).
template <typename C>
inline constexpr size_t kTerminator = 0;
template <>
inline constexpr size_t kTerminator<HugeString> = 1;

// Gives the pages of a HugeString or HugeVector past its size back to the
// kernel (a huge page its end falls in is split), or to its arena: a buffer
// reserved for more than it took does not keep the rest resident. Only
// buffers from map_huge or an arena are touched; the container must not
// grow afterwards.
template <typename C>
requires std::same_as<typename C::allocator_type, HugePageAllocator<typename C::value_type>>
void release_unused(const C& c) {
  using T = typename C::value_type;
  if (auto* arena = c.get_allocator().arena) {
    const size_t allocated = c.capacity() + kTerminator<C>;
    arena->shrink(c.data(), allocated * sizeof(T), c.size() * sizeof(T));
  } else {
    release_unused_pages(c.data(), c.size() * sizeof(T), c.capacity() * sizeof(T));
  }
}

}  // namespace riskledger
