#pragma once
// Large arrays that are visited in no order of memory (the decisions when
// ranked, the records' cells when the ledger is written in rank order) miss
// the TLB on almost every visit with 4 KiB pages. Backed by 2 MiB pages, one
// TLB entry covers 512 times as much.
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

namespace riskledger {

// Asks the kernel to back the whole 2 MiB pages inside [p, p + bytes) with
// transparent huge pages. Call it before the memory is first written (after
// reserve(), before resize() or appends), so pages come huge at their first
// fault. A hint only: nothing changes where transparent huge pages are off.
inline void advise_huge_pages(const void* p, size_t bytes) {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const auto begin = (reinterpret_cast<uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(kHuge - 1);
#ifdef MADV_HUGEPAGE
  if (begin < end) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
}

}  // namespace riskledger
