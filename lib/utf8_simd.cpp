// UTF-8 validation with AVX2, 32 bytes at a time: the lookup algorithm of
// Keiser and Lemire ("Validating UTF-8 In Less Than One Instruction Per
// Byte", Software: Practice and Experience, 2021), as used in simdjson and
// simdutf. Three table lookups on the nibbles of each byte and the byte
// before it flag every invalid two-byte pattern (too short, too long,
// overlong, surrogate, above U+10FFFF); a saturating subtraction checks that
// the third and fourth bytes of long sequences are continuations.
//
// It only answers "valid or not": on "not", find_invalid_utf8 (text.cpp)
// runs its scalar scan to say where. Chosen at run time: machines without
// AVX2 use the scalar scan alone.
#include <immintrin.h>

#include <cstdint>
#include <cstring>
#include <string_view>

namespace riskledger {

#if defined(__x86_64__) || defined(__i386__)

// clang (the sanitizer and fuzz build) has no `#pragma GCC target`.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2")
#endif

namespace {

constexpr uint8_t kTooShort = 1 << 0;
constexpr uint8_t kTooLong = 1 << 1;
constexpr uint8_t kOverlong3 = 1 << 2;
constexpr uint8_t kTooLarge = 1 << 3;
constexpr uint8_t kSurrogate = 1 << 4;
constexpr uint8_t kOverlong2 = 1 << 5;
constexpr uint8_t kTooLarge1000 = 1 << 6;
constexpr uint8_t kOverlong4 = 1 << 6;
constexpr uint8_t kTwoConts = 1 << 7;
constexpr uint8_t kCarry = kTooShort | kTooLong | kTwoConts;

inline __m256i table(uint8_t t0, uint8_t t1, uint8_t t2, uint8_t t3, uint8_t t4, uint8_t t5, uint8_t t6,
                     uint8_t t7, uint8_t t8, uint8_t t9, uint8_t t10, uint8_t t11, uint8_t t12, uint8_t t13,
                     uint8_t t14, uint8_t t15) {
  return _mm256_setr_epi8(
      static_cast<char>(t0), static_cast<char>(t1), static_cast<char>(t2), static_cast<char>(t3),
      static_cast<char>(t4), static_cast<char>(t5), static_cast<char>(t6), static_cast<char>(t7),
      static_cast<char>(t8), static_cast<char>(t9), static_cast<char>(t10), static_cast<char>(t11),
      static_cast<char>(t12), static_cast<char>(t13), static_cast<char>(t14), static_cast<char>(t15),
      static_cast<char>(t0), static_cast<char>(t1), static_cast<char>(t2), static_cast<char>(t3),
      static_cast<char>(t4), static_cast<char>(t5), static_cast<char>(t6), static_cast<char>(t7),
      static_cast<char>(t8), static_cast<char>(t9), static_cast<char>(t10), static_cast<char>(t11),
      static_cast<char>(t12), static_cast<char>(t13), static_cast<char>(t14), static_cast<char>(t15));
}

inline __m256i high_nibbles(__m256i v) {
  return _mm256_and_si256(_mm256_srli_epi16(v, 4), _mm256_set1_epi8(0x0F));
}

// The 32 bytes ending N bytes before `input`'s: prev_input's last N, then input's first 32 - N.
template <int N>
inline __m256i prev(__m256i input, __m256i prev_input) {
  return _mm256_alignr_epi8(input, _mm256_permute2x128_si256(prev_input, input, 0x21), 16 - N);
}

inline __m256i special_cases(__m256i input, __m256i prev1) {
  const __m256i byte_1_high = _mm256_shuffle_epi8(
      table(kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong,  // 0_______
            kTwoConts, kTwoConts, kTwoConts, kTwoConts,                                      // 10______
            kTooShort | kOverlong2,                                                          // 1100____
            kTooShort,                                                                       // 1101____
            kTooShort | kOverlong3 | kSurrogate,                                             // 1110____
            kTooShort | kTooLarge | kTooLarge1000 | kOverlong4),                             // 1111____
      high_nibbles(prev1));
  const __m256i byte_1_low =
      _mm256_shuffle_epi8(table(kCarry | kOverlong3 | kOverlong2 | kOverlong4,  // ____0000
                                kCarry | kOverlong2,                            // ____0001
                                kCarry, kCarry,                                 // ____001_
                                kCarry | kTooLarge,                             // ____0100
                                kCarry | kTooLarge | kTooLarge1000,             // ____0101
                                kCarry | kTooLarge | kTooLarge1000,             // ____011_
                                kCarry | kTooLarge | kTooLarge1000,
                                kCarry | kTooLarge | kTooLarge1000,  // ____1___
                                kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
                                kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
                                kCarry | kTooLarge | kTooLarge1000 | kSurrogate,  // ____1101
                                kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000),
                          _mm256_and_si256(prev1, _mm256_set1_epi8(0x0F)));
  const __m256i byte_2_high = _mm256_shuffle_epi8(
      table(kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,
            kTooShort,                                                                    // 0_______
            kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge1000 | kOverlong4,  // 1000____
            kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge,                   // 1001____
            kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge,                   // 101_____
            kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge, kTooShort, kTooShort, kTooShort,
            kTooShort),  // 11______
      high_nibbles(input));
  return _mm256_and_si256(_mm256_and_si256(byte_1_high, byte_1_low), byte_2_high);
}

inline __m256i multibyte_lengths(__m256i input, __m256i prev_input, __m256i sc) {
  const __m256i prev2 = prev<2>(input, prev_input);
  const __m256i prev3 = prev<3>(input, prev_input);
  // Third bytes of 3- and 4-byte sequences, fourth bytes of 4-byte ones:
  // their high bit set after the saturating subtraction.
  const __m256i third = _mm256_subs_epu8(prev2, _mm256_set1_epi8(static_cast<char>(0xE0 - 0x80)));
  const __m256i fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8(static_cast<char>(0xF0 - 0x80)));
  const __m256i must23 =
      _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8(static_cast<char>(0x80)));
  return _mm256_xor_si256(must23, sc);
}

// Bytes that would need more bytes after the block: a lead byte in the
// last three positions that its sequence does not fit behind.
inline __m256i incomplete(__m256i input) {
  const __m256i max = _mm256_setr_epi8(
      -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
      -1, -1, -1, static_cast<char>(0xF0 - 1), static_cast<char>(0xE0 - 1), static_cast<char>(0xC0 - 1));
  return _mm256_subs_epu8(input, max);
}

bool valid_utf8_avx2(const char* data, size_t n) {
  __m256i error = _mm256_setzero_si256();
  __m256i prev_input = _mm256_setzero_si256();
  __m256i prev_incomplete = _mm256_setzero_si256();
  const auto block = [&](__m256i input) __attribute__((always_inline)) {
    if (_mm256_movemask_epi8(input) == 0) {  // all ASCII: only a sequence cut off before it can be wrong
      error = _mm256_or_si256(error, prev_incomplete);
      prev_incomplete = _mm256_setzero_si256();
    } else {
      const __m256i prev1 = prev<1>(input, prev_input);
      const __m256i sc = special_cases(input, prev1);
      error = _mm256_or_si256(error, multibyte_lengths(input, prev_input, sc));
      prev_incomplete = incomplete(input);
    }
    prev_input = input;
  };
  size_t i = 0;
  for (; i + 32 <= n; i += 32) block(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i)));
  if (i < n) {  // the tail, padded with NUL bytes (ASCII)
    alignas(32) char tail[32] = {};
    std::memcpy(tail, data + i, n - i);
    block(_mm256_load_si256(reinterpret_cast<const __m256i*>(tail)));
  }
  error = _mm256_or_si256(error, prev_incomplete);
  return _mm256_testz_si256(error, error) != 0;
}

}  // namespace

#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

// 1 valid, 0 invalid, -1 cannot tell here (no AVX2).
int valid_utf8_fast(std::string_view s) {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (!avx2) return -1;
  return valid_utf8_avx2(s.data(), s.size()) ? 1 : 0;
}

#else

int valid_utf8_fast(std::string_view) {
  return -1;
}

#endif

}  // namespace riskledger
