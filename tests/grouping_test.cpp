#include "grouping.hpp"

#include <doctest/doctest.h>

using namespace riskledger;

TEST_CASE("safe_file_stem: the documented rule") {
  CHECK(safe_file_stem("南明区") == "南明区");
  CHECK(safe_file_stem("a/b\\c") == "a_b_c");
  CHECK(safe_file_stem("x<>:\"|?*y") == "x_______y");
  CHECK(safe_file_stem("tab\there\n") == "tab_here_");
  CHECK(safe_file_stem("  ..name.. ") == "name");
  CHECK(safe_file_stem("") == "_empty");
  CHECK(safe_file_stem("...") == "_empty");
  CHECK(safe_file_stem("index") == "index_");
  CHECK(safe_file_stem("REJECTS") == "REJECTS_");
  CHECK(safe_file_stem("Manifest") == "Manifest_");
  CHECK(safe_file_stem("con") == "con_");
  CHECK(safe_file_stem("COM7") == "COM7_");
  CHECK(safe_file_stem("COM0") == "COM0");
  CHECK(safe_file_stem("lpt1") == "lpt1_");
  // 30 three-byte characters (90 bytes) are cut to 26 (78 bytes), never inside one.
  const std::string long_name = "区区区区区区区区区区区区区区区区区区区区区区区区区区区区区区";
  const auto cut = safe_file_stem(long_name);
  CHECK(cut.size() == 78);
  CHECK(cut == long_name.substr(0, 78));
}

TEST_CASE("assign_file_stems: collisions get ~2, ~3 in order, ignoring ASCII case") {
  std::vector<LedgerGroup> groups;
  for (std::string_view value : {"A/B", "A_B", "a:b", "a_b~2", "b"}) {
    groups.emplace_back();
    groups.back().value.assign(value.begin(), value.end());
  }
  assign_file_stems(groups);
  CHECK(groups[0].file_stem == "A_B");
  CHECK(groups[1].file_stem == "A_B~2");
  CHECK(groups[2].file_stem == "a_b~3");
  CHECK(groups[3].file_stem == "a_b~2~2");
  CHECK(groups[4].file_stem == "b");
}
