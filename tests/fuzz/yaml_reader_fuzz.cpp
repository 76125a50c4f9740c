// Fuzzes the YAML records reader (and the typing of its records): any bytes
// give records or an InputError, never a crash, a hang or unbounded memory.
#include <cstddef>
#include <cstdint>

#include "error.hpp"
#include "fuzz_support.hpp"
#include "yaml_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace riskledger;
  try {
    YamlReader reader("fuzz.yaml", fuzz::stream_of(data, size));
    fuzz::read_and_grade(reader);
  } catch (const InputError&) {
  }
  return 0;
}
