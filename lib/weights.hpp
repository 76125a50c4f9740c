#pragma once
// Deriving weights: AHP from pairwise judgements, and the entropy and CRITIC
// methods from the indicators' sub-scores over a data set. These never run at
// grading time (design principle 1): `riskledger weights` writes their result
// into a rules file, which is then frozen and versioned. Formulas and
// conventions are in docs/weights.md.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Dense>

namespace riskledger {

// A weighting method cannot give weights for this input (a single record, a
// constant indicator everywhere, ...). The message says why.
class DegenerateWeights : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// ---- AHP -------------------------------------------------------------------

enum class AhpMethod { Eigenvector, GeometricMean };
std::string_view to_string(AhpMethod m);

// Random consistency index tables (the mean CI of random reciprocal matrices).
enum class RiTable { Saaty, AlonsoLamata };
std::string_view to_string(RiTable t);
std::string_view citation(RiTable t);

// Largest n a table covers (15 for both).
inline constexpr size_t kMaxAhpItems = 15;

// RI(n) of a table, n in 1..15.
double random_index(RiTable table, size_t n);

// One judgement a_ij (i < j) and how far the derived weights disagree with it:
// ratio = a_ij * w_j / w_i (1 when the weights reproduce the judgement).
struct Disagreement {
  size_t i = 0, j = 0;
  double judged = 0;   // a_ij
  double implied = 0;  // w_i / w_j
  double ratio = 0;    // judged / implied
};

struct AhpResult {
  std::vector<double> weights;  // sum 1, all > 0
  double lambda_max = 0;
  double ci = 0;  // (lambda_max - n) / (n - 1); 0 for n <= 2
  double ri = 0;  // RI(n) of the table
  double cr = 0;  // ci / ri; 0 for n <= 2 (a 2x2 reciprocal matrix is always consistent)
  // Every judgement above the diagonal, worst first (largest |ln ratio|).
  std::vector<Disagreement> disagreements;
};

// Priorities of a positive reciprocal matrix `a` (n x n, a_ji = 1 / a_ij).
//   Eigenvector:   A w = lambda_max w, w the principal (Perron) eigenvector,
//                  scaled to sum 1.
//   GeometricMean: w_i = (prod_j a_ij)^(1/n), scaled to sum 1;
//                  lambda_max = (1/n) sum_i (A w)_i / w_i.
//   CI = (lambda_max - n) / (n - 1), CR = CI / RI(n).
AhpResult ahp_priorities(const Eigen::MatrixXd& a, AhpMethod method, RiTable table);

// The consistency threshold: CR below it is acceptable (Saaty: 0.10).
inline constexpr double kMaxConsistencyRatio = 0.10;

// ---- Objective weights over a data set ---------------------------------------

// What a method computed for one indicator (a column of sub-scores).
struct ColumnStats {
  size_t measured = 0;  // records with a value
  double a = 0;         // entropy: e_j;      CRITIC: sigma_j
  double b = 0;         // entropy: 1 - e_j;  CRITIC: C_j = sigma_j * sum_k (1 - r_jk)
};

struct ObjectiveResult {
  std::vector<double> weights;  // sum 1
  std::vector<ColumnStats> columns;
  std::vector<std::string> notes;  // e.g. "opinion is constant: weight 0"
};

// `x` holds sub-scores in [0, 1], one row per record and one column per
// indicator; NaN marks a value that was not measured. Each column is used over
// the records that measured it (CRITIC's correlations over the records that
// measured both). `names` label the columns in notes. Throws DegenerateWeights
// when no weights can be derived: fewer than 2 records, an indicator with
// fewer than 2 values, or no indicator that varies.
//
// Entropy:  p_ij = x_ij / sum_i x_ij;  e_j = -(1 / ln m_j) sum_i p_ij ln p_ij
//           (0 ln 0 = 0; a column summing to 0 has e_j = 1);
//           w_j = (1 - e_j) / sum_k (1 - e_k).
ObjectiveResult entropy_weights(const Eigen::MatrixXd& x, const std::vector<std::string>& names);

// CRITIC:   sigma_j = sample standard deviation of column j;
//           r_jk = Pearson correlation of columns j and k;
//           C_j = sigma_j * sum_k (1 - r_jk);  w_j = C_j / sum_k C_k.
//           A constant column gets weight 0 and is left out of the sums.
ObjectiveResult critic_weights(const Eigen::MatrixXd& x, const std::vector<std::string>& names);

// Subjective-objective combination: w = (1 - share) * derived + share * base,
// both rows summing to 1, share in [0, 1].
std::vector<double> blend_weights(const std::vector<double>& derived, const std::vector<double>& base,
                                  double share);

// Rounds a row of weights (summing to 1) to `decimals` decimals so that the
// rounded row sums to exactly 1 (largest remainder: the units lost to
// rounding go to the weights with the largest remainders, ties to the first).
// Returns integer units of 10^-decimals.
std::vector<int64_t> round_weights(const std::vector<double>& weights, int decimals);

}  // namespace riskledger
