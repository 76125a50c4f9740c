#include "progress.hpp"

namespace riskledger {

ProgressCounters& progress_counters() {
  static ProgressCounters counters;
  return counters;
}

}  // namespace riskledger
