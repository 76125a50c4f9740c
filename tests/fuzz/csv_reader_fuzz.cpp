// Fuzzes the CSV reader (and the typing of its rows): any bytes give rows or
// an InputError, never a crash, a hang or unbounded memory.
#include <cstddef>
#include <cstdint>

#include "csv_reader.hpp"
#include "error.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace riskledger;
  try {
    CsvReader reader("fuzz.csv", fuzz::stream_of(data, size));
    fuzz::read_and_grade(reader);
  } catch (const InputError&) {
  }
  return 0;
}
