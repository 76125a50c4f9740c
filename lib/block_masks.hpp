#pragma once
// The byte classes the fast CSV row scan looks for, as bit masks of a
// 64-byte block: with SSE2 (every x86-64), with AVX-512 where the CPU has it
// (chosen at run time: one load and one compare a mask), or byte by byte.
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define RISKLEDGER_WIDE_MASKS 1
#endif

namespace riskledger {

// Bit i of each mask is set when byte i of a 64-byte block is that byte.
struct BlockMasks {
  uint64_t comma = 0, lf = 0, quote = 0;
  uint64_t odd = 0;  // a byte below 0x20 or a backslash: not plain text (with `quote`)
};

// Byte by byte: what the others must give.
inline BlockMasks scalar_block_masks(const char* p) {
  BlockMasks m;
  for (int i = 0; i < 64; ++i) {
    const uint64_t bit = uint64_t{1} << i;
    switch (p[i]) {
      case ',': m.comma |= bit; break;
      case '\n': m.lf |= bit; break;
      case '"': m.quote |= bit; break;
      default: break;
    }
    if (static_cast<unsigned char>(p[i]) < 0x20 || p[i] == '\\') m.odd |= bit;
  }
  return m;
}

#if defined(__SSE2__)
inline BlockMasks block_masks(const char* p) {
  const auto match16 = [](__m128i v, char c, int shift) {
    const auto eq = _mm_cmpeq_epi8(v, _mm_set1_epi8(c));
    return static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(eq))) << shift;
  };
  BlockMasks m;
  for (int i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    m.comma |= match16(v, ',', 16 * i);
    m.lf |= match16(v, '\n', 16 * i);
    m.quote |= match16(v, '"', 16 * i);
    m.odd |= match16(v, '\\', 16 * i);
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);  // v <= 0x1F
    m.odd |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(control))) << (16 * i);
  }
  return m;
}
#else
inline BlockMasks block_masks(const char* p) {
  return scalar_block_masks(p);
}
#endif

#if defined(RISKLEDGER_WIDE_MASKS)
// Only where has_wide_block_masks() says so.
__attribute__((target("avx512f,avx512bw"))) inline BlockMasks wide_block_masks(const char* p) {
  const __m512i v = _mm512_loadu_si512(p);
  BlockMasks m;
  m.comma = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(','));
  m.lf = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n'));
  m.quote = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
  m.odd =
      _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\')) | _mm512_cmple_epu8_mask(v, _mm512_set1_epi8(0x1F));
  return m;
}

inline bool has_wide_block_masks() {
  static const bool wide = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  return wide;
}
#else
inline bool has_wide_block_masks() {
  return false;
}
#endif

}  // namespace riskledger
