#include "digest.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "error.hpp"

using namespace riskledger;

TEST_CASE("SHA-256 of known messages (FIPS 180-2 examples)") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("a hashing sink digests exactly the bytes it passes on, in any blocks") {
  Sha256 hash;
  std::string passed;
  const auto sink = hashing_sink(hash, [&](std::string_view b) { passed += b; });
  sink("ab");
  sink("");
  sink("c");
  CHECK(passed == "abc");
  CHECK(hash.bytes() == 3);
  CHECK(hash.hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("digest_file reads the file; a missing file is an InputError naming it") {
  const auto path = (std::filesystem::temp_directory_path() / "riskledger_digest_test.txt").string();
  std::ofstream(path, std::ios::binary) << "abc";
  const auto d = digest_file(path);
  CHECK(d.bytes == 3);
  CHECK(d.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::remove(path.c_str());
  CHECK_THROWS_WITH_AS(digest_file(path), doctest::Contains("riskledger_digest_test.txt"), InputError);
}
