#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <numeric>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include "parallel.hpp"
#include "permute.hpp"

using namespace riskledger;

namespace {

struct Key {
  uint32_t index;
};

// Permutes 0..n-1 in place by `perm` (position i receives element perm[i])
// and checks it against the out-of-place gather, and that every key is
// marked done (index == position).
void check_permutation(const std::vector<uint32_t>& perm, unsigned threads) {
  const size_t n = perm.size();
  std::vector<uint64_t> items(n);
  std::iota(items.begin(), items.end(), uint64_t{1000});  // item i is 1000 + i
  std::vector<Key> keys(n);
  for (size_t i = 0; i < n; ++i) keys[i].index = perm[i];
  permute_in_place(items, keys, threads);
  size_t wrong = 0, unmarked = 0;
  for (size_t i = 0; i < n; ++i) {
    wrong += items[i] != 1000 + uint64_t{perm[i]};
    unmarked += keys[i].index != i;
  }
  CHECK(wrong == 0);
  CHECK(unmarked == 0);
}

}  // namespace

TEST_CASE("permute_in_place equals the gather for any cycle structure and thread count") {
  for (const unsigned threads : {1u, 2u, 3u}) {
    CAPTURE(threads);
    SUBCASE("a random permutation: long cycles through many stretch starts") {
      std::vector<uint32_t> perm(100003);  // not a multiple of the stride (1024)
      std::iota(perm.begin(), perm.end(), 0u);
      std::mt19937 rng(7);
      std::shuffle(perm.begin(), perm.end(), rng);
      check_permutation(perm, threads);
    }
    SUBCASE("swapped neighbours: 2-cycles, most through no start (the serial pass)") {
      std::vector<uint32_t> perm(5001);
      std::iota(perm.begin(), perm.end(), 0u);
      for (size_t i = 1; i + 1 < perm.size(); i += 2) std::swap(perm[i], perm[i + 1]);
      check_permutation(perm, threads);
    }
    SUBCASE("one cycle whose only start is 0, and the reversal") {
      std::vector<uint32_t> shift(3000);
      for (uint32_t i = 0; i < shift.size(); ++i) shift[i] = (i + 1) % 3000;  // i <- i + 1
      check_permutation(shift, threads);
      std::vector<uint32_t> reverse(4096);
      for (uint32_t i = 0; i < reverse.size(); ++i) reverse[i] = 4095 - i;
      check_permutation(reverse, threads);
    }
    SUBCASE("the identity, and an empty array") {
      std::vector<uint32_t> identity(2048);
      std::iota(identity.begin(), identity.end(), 0u);
      check_permutation(identity, threads);
      check_permutation({}, threads);
    }
  }
}

TEST_CASE("parallel_for runs every task once, from the pool and from inside a task") {
  for (const unsigned threads : {1u, 2u, 4u}) {
    CAPTURE(threads);
    std::vector<std::atomic<int>> done(1000);
    // Each outer task runs a nested parallel_for (the pool is busy then: the
    // nested call gets threads of its own) over ten inner tasks.
    parallel_for(100, threads, [&](size_t outer) {
      parallel_for(10, threads, [&](size_t inner) { ++done[outer * 10 + inner]; });
    });
    CHECK(std::all_of(done.begin(), done.end(), [](const std::atomic<int>& d) { return d == 1; }));
  }
  // The first exception a task throws comes out of parallel_for; the pool
  // still works afterwards.
  CHECK_THROWS_AS(parallel_for(50, 2,
                               [](size_t i) {
                                 if (i == 17) throw std::runtime_error("task 17");
                               }),
                  std::runtime_error);
  std::atomic<size_t> sum{0};
  parallel_for(100, 2, [&](size_t i) { sum += i; });
  CHECK(sum == 4950);  // 0 + 1 + ... + 99 = 99 * 100 / 2
}

// merge_in_parallel gives std::merge's order, each element at its place, for
// runs of any lengths (one empty, one wholly before the other, interleaved)
// on 1-3 threads.
TEST_CASE("merge_in_parallel equals std::merge") {
  std::mt19937 random(7);
  const auto sorted_run = [&](size_t n, uint32_t from, uint32_t step) {
    std::vector<uint32_t> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = from + static_cast<uint32_t>(i) * step;
    return v;
  };
  std::vector<std::pair<std::vector<uint32_t>, std::vector<uint32_t>>> cases = {
      {{}, {}},
      {{}, sorted_run(5, 0, 1)},
      {sorted_run(7, 0, 1), {}},
      {sorted_run(100, 0, 1), sorted_run(50, 1000, 1)},   // a wholly before b
      {sorted_run(100, 1000, 1), sorted_run(50, 0, 1)},   // b wholly before a
      {sorted_run(1000, 0, 2), sorted_run(1001, 1, 2)},   // interleaved one by one
      {sorted_run(3, 10, 100), sorted_run(2000, 0, 1)}};  // lopsided
  // Random distinct values, split into two runs at random.
  std::vector<uint32_t> all(5000);
  std::iota(all.begin(), all.end(), 0u);
  std::shuffle(all.begin(), all.end(), random);
  std::vector<uint32_t> a(all.begin(), all.begin() + 1777), b(all.begin() + 1777, all.end());
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  cases.emplace_back(a, b);
  for (const auto& run : cases) {
    const auto& left = run.first;  // not a structured binding: CAPTURE cannot name one (clang 14)
    const auto& right = run.second;
    std::vector<uint32_t> expected;
    std::merge(left.begin(), left.end(), right.begin(), right.end(), std::back_inserter(expected));
    for (const unsigned threads : {1u, 2u, 3u}) {
      CAPTURE(left.size());
      CAPTURE(right.size());
      CAPTURE(threads);
      std::vector<uint32_t> got(expected.size(), UINT32_MAX);
      std::atomic<size_t> calls{0};
      merge_in_parallel(
          std::span<const uint32_t>(left), std::span<const uint32_t>(right), std::less<>(),
          [&](size_t k, uint32_t x) {
            got[k] = x;
            ++calls;
          },
          threads);
      CHECK(calls == expected.size());
      CHECK(got == expected);
    }
  }
}
