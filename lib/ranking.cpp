#include <algorithm>

#include "pipeline.hpp"

namespace riskledger {

// Ledger order: grade index ascending (A first), score units descending,
// then id compared as plain bytes. Ids are unique after duplicate rejection,
// so the order is total and does not depend on input order.
void rank(std::vector<Graded>& graded, const LoadedInputs& inputs, const Rules& rules) {
  const int id = rules.id_field;
  auto id_of = [&](const Graded& g) { return inputs.batches[g.batch].str(id, g.row); };
  std::sort(graded.begin(), graded.end(), [&](const Graded& a, const Graded& b) {
    if (a.grade != b.grade) return a.grade < b.grade;
    if (a.units != b.units) return a.units > b.units;
    return id_of(a) < id_of(b);
  });
}

}  // namespace riskledger
