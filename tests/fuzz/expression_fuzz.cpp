// Fuzzes the `when` expression parser against the default rules' fields, and
// evaluates what compiles on a few records: any text compiles or gives an
// ExpressionError with a column inside the text (or 1 for the whole of it).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "csv_reader.hpp"
#include "expression.hpp"
#include "fuzz_support.hpp"

namespace {

const riskledger::RecordBatch& sample_batch() {
  using namespace riskledger;
  static const RecordBatch batch = [] {
    const Rules& rules = fuzz::default_rules();
    CsvReader reader("sample.csv",
                     memory_stream("id,category,severity,likelihood,urgency,people_involved,trend,found_on,"
                                   "status,casualties,opinion_heat,economic_loss,title\n"
                                   "A-1,public_order,5,4,3,120,rising,2026-11-01,open,3,88.5,1e6,窃电\n"
                                   "A-2,社会矛盾,1,1,1,0,easing,2026-01-31,已销号,0,0,0,\n"
                                   "A-3,cyber_security,,,,,,,,,,,\n"));
    const auto map = map_header(reader.header(), rules, "sample.csv");
    RawRows raw;
    reader.read(raw, 10);
    std::vector<Problem> problems;
    return build_batch(std::move(raw), map, rules, 0, "sample.csv", 0, problems);
  }();
  return batch;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace riskledger;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto expr = compile_expression(text, fuzz::default_rules().fields);
    const auto& batch = sample_batch();
    for (size_t r = 0; r < batch.size(); ++r) (void)evaluate(*expr, batch, r);
    (void)fields_used(*expr);
  } catch (const ExpressionError& e) {
    if (e.column() < 1 || e.column() > size + 1) __builtin_trap();
  }
  return 0;
}
