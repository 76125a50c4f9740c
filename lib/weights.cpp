#include "weights.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include <fmt/format.h>
#include <Eigen/Eigenvalues>

namespace riskledger {

std::string_view to_string(AhpMethod m) {
  return m == AhpMethod::Eigenvector ? "eigenvector" : "geometric-mean";
}

std::string_view to_string(RiTable t) {
  return t == RiTable::Saaty ? "saaty" : "alonso-lamata";
}

std::string_view citation(RiTable t) {
  return t == RiTable::Saaty ? "Saaty (1980), The Analytic Hierarchy Process"
                             : "Alonso and Lamata (2006), Int. J. Uncertainty, Fuzziness and "
                               "Knowledge-Based Systems 14(4)";
}

namespace {

// RI(n) for n = 1..15. Saaty's classic table (with 1.48 at n = 12 as Saaty
// printed it), and Alonso and Lamata's table from 500,000 random matrices
// per n.
constexpr std::array<double, kMaxAhpItems> kSaatyRi = {0,    0,    0.58, 0.90, 1.12, 1.24, 1.32, 1.41,
                                                       1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59};
constexpr std::array<double, kMaxAhpItems> kAlonsoLamataRi = {0,      0,      0.5245, 0.8815, 1.1086,
                                                              1.2479, 1.3417, 1.4056, 1.4499, 1.4854,
                                                              1.5141, 1.5365, 1.5551, 1.5713, 1.5838};

}  // namespace

double random_index(RiTable table, size_t n) {
  if (n < 1 || n > kMaxAhpItems)
    throw std::out_of_range(
        fmt::format("no random index for n = {} (the tables cover 1 to {})", n, kMaxAhpItems));
  return (table == RiTable::Saaty ? kSaatyRi : kAlonsoLamataRi)[n - 1];
}

namespace {

// The principal (Perron) eigenvector of a positive matrix, scaled to sum 1,
// and its eigenvalue. Eigen's general real eigen solver; the Perron root is
// the eigenvalue with the largest real part, and it is real and simple.
std::pair<Eigen::VectorXd, double> principal_eigenvector(const Eigen::MatrixXd& a) {
  const Eigen::EigenSolver<Eigen::MatrixXd> solver(a);
  if (solver.info() != Eigen::Success) throw DegenerateWeights("the eigen solver did not converge");
  const auto& values = solver.eigenvalues();
  Eigen::Index best = 0;
  for (Eigen::Index i = 1; i < values.size(); ++i)
    if (values[i].real() > values[best].real()) best = i;
  Eigen::VectorXd w = solver.eigenvectors().col(best).real();
  w /= w.sum();  // also fixes the sign: every component of a Perron vector has the same sign
  if ((w.array() <= 0).any()) throw DegenerateWeights("the principal eigenvector is not positive");
  return {w, values[best].real()};
}

}  // namespace

AhpResult ahp_priorities(const Eigen::MatrixXd& a, AhpMethod method, RiTable table) {
  const auto n = static_cast<size_t>(a.rows());
  const double nd = static_cast<double>(n);
  AhpResult r;
  Eigen::VectorXd w;
  if (method == AhpMethod::Eigenvector) {
    std::tie(w, r.lambda_max) = principal_eigenvector(a);
  } else {
    // w_i = (prod_j a_ij)^(1/n), through logs: exp(mean_j ln a_ij).
    w = a.array().log().rowwise().mean().exp().matrix();
    w /= w.sum();
    // lambda_max = (1/n) sum_i (A w)_i / w_i
    r.lambda_max = ((a * w).array() / w.array()).mean();
  }
  r.weights.assign(w.data(), w.data() + w.size());
  r.ri = random_index(table, n);
  // CI = (lambda_max - n) / (n - 1); CR = CI / RI. For n <= 2 a reciprocal
  // matrix is consistent by construction and RI is 0: CI = CR = 0.
  if (n > 2) {
    r.ci = (r.lambda_max - nd) / (nd - 1);
    r.cr = r.ci / r.ri;
  } else {
    r.lambda_max = nd;
  }
  // Disagreement of each judgement with the weights: a_ij * w_j / w_i.
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j) {
      const auto ii = static_cast<Eigen::Index>(i), jj = static_cast<Eigen::Index>(j);
      const double implied = w[ii] / w[jj];
      r.disagreements.push_back({i, j, a(ii, jj), implied, a(ii, jj) / implied});
    }
  std::stable_sort(r.disagreements.begin(), r.disagreements.end(), [](const auto& x, const auto& y) {
    return std::fabs(std::log(x.ratio)) > std::fabs(std::log(y.ratio));
  });
  return r;
}

namespace {

// The values of column j that were measured (not NaN), and the rows they are in.
std::vector<Eigen::Index> measured_rows(const Eigen::MatrixXd& x, Eigen::Index j) {
  std::vector<Eigen::Index> rows;
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    if (!std::isnan(x(i, j))) rows.push_back(i);
  return rows;
}

// The checks both methods share: at least 2 records, and every indicator
// measured on at least 2 of them.
void check_enough(const Eigen::MatrixXd& x, const std::vector<std::string>& names) {
  if (x.rows() < 2)
    throw DegenerateWeights(
        fmt::format("{} record{}: at least 2 are needed", x.rows(), x.rows() == 1 ? "" : "s"));
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const auto m = measured_rows(x, j).size();
    if (m < 2)
      throw DegenerateWeights(fmt::format("{} has a value in {} record{}: at least 2 are needed",
                                          names[static_cast<size_t>(j)], m, m == 1 ? "" : "s"));
  }
}

}  // namespace

ObjectiveResult entropy_weights(const Eigen::MatrixXd& x, const std::vector<std::string>& names) {
  check_enough(x, names);
  const auto k = static_cast<size_t>(x.cols());
  ObjectiveResult r;
  r.columns.resize(k);
  double total = 0;
  for (size_t j = 0; j < k; ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    const auto rows = measured_rows(x, jj);
    auto& col = r.columns[j];
    col.measured = rows.size();
    // p_ij = x_ij / sum_i x_ij over the m_j measured records;
    // e_j = -(1 / ln m_j) sum_i p_ij ln p_ij, with 0 ln 0 = 0.
    double sum = 0;
    for (auto i : rows) sum += x(i, jj);
    double e = 1;  // a column of zeros carries no information
    if (sum > 0) {
      double h = 0;
      for (auto i : rows) {
        const double p = x(i, jj) / sum;
        if (p > 0) h -= p * std::log(p);
      }
      e = std::min(1.0, h / std::log(static_cast<double>(rows.size())));
      if (1 - e < 1e-12) {
        e = 1;
        r.notes.push_back(fmt::format("{} is the same in every record: weight 0", names[j]));
      }
    } else {
      r.notes.push_back(fmt::format("{} is 0 in every record: weight 0", names[j]));
    }
    col.a = e;
    col.b = 1 - e;  // degree of divergence d_j
    total += col.b;
  }
  if (!(total > 1e-12)) throw DegenerateWeights("no indicator varies over the records (every e_j is 1)");
  // w_j = (1 - e_j) / sum_k (1 - e_k)
  for (const auto& col : r.columns) r.weights.push_back(col.b / total);
  return r;
}

ObjectiveResult critic_weights(const Eigen::MatrixXd& x, const std::vector<std::string>& names) {
  check_enough(x, names);
  const auto k = static_cast<size_t>(x.cols());
  ObjectiveResult r;
  r.columns.resize(k);
  // sigma_j: sample standard deviation over the m_j measured records,
  // sqrt(sum_i (x_ij - mean_j)^2 / (m_j - 1)).
  std::vector<bool> varies(k, false);
  for (size_t j = 0; j < k; ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    const auto rows = measured_rows(x, jj);
    double mean = 0;
    for (auto i : rows) mean += x(i, jj);
    mean /= static_cast<double>(rows.size());
    double ss = 0;
    for (auto i : rows) ss += (x(i, jj) - mean) * (x(i, jj) - mean);
    r.columns[j].measured = rows.size();
    r.columns[j].a = std::sqrt(ss / static_cast<double>(rows.size() - 1));
    varies[j] = r.columns[j].a > 1e-12;
    if (!varies[j]) {
      r.columns[j].a = 0;
      r.notes.push_back(fmt::format("{} is the same in every record: weight 0", names[j]));
    }
  }
  const auto varying = static_cast<size_t>(std::count(varies.begin(), varies.end(), true));
  if (varying == 0) throw DegenerateWeights("no indicator varies over the records (every sigma_j is 0)");
  if (varying == 1) {
    const auto j = static_cast<size_t>(std::find(varies.begin(), varies.end(), true) - varies.begin());
    throw DegenerateWeights(fmt::format(
        "only {} varies over the records: CRITIC needs at least two indicators that vary", names[j]));
  }
  // r_jk: Pearson correlation over the records that measured both. When fewer
  // than 2 records measured both, or one of them is constant on those, r_jk
  // is undefined and taken as 0 (no evidence of redundancy), with a note.
  auto pearson = [&](size_t j, size_t l) {
    const auto jj = static_cast<Eigen::Index>(j), ll = static_cast<Eigen::Index>(l);
    double sx = 0, sy = 0;
    size_t m = 0;
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      if (!std::isnan(x(i, jj)) && !std::isnan(x(i, ll))) {
        sx += x(i, jj);
        sy += x(i, ll);
        ++m;
      }
    double sxy = 0, sxx = 0, syy = 0;
    if (m >= 2) {
      const double mx = sx / static_cast<double>(m), my = sy / static_cast<double>(m);
      for (Eigen::Index i = 0; i < x.rows(); ++i)
        if (!std::isnan(x(i, jj)) && !std::isnan(x(i, ll))) {
          sxy += (x(i, jj) - mx) * (x(i, ll) - my);
          sxx += (x(i, jj) - mx) * (x(i, jj) - mx);
          syy += (x(i, ll) - my) * (x(i, ll) - my);
        }
    }
    if (m < 2 || !(sxx > 1e-24) || !(syy > 1e-24)) {
      r.notes.push_back(
          fmt::format("r({}, {}) is undefined on the {} record{} that measured both: taken as 0", names[j],
                      names[l], m, m == 1 ? "" : "s"));
      return 0.0;
    }
    return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
  };
  std::vector<std::vector<double>> corr(k, std::vector<double>(k, 1.0));
  for (size_t j = 0; j < k; ++j)
    for (size_t l = j + 1; l < k; ++l)
      if (varies[j] && varies[l]) corr[j][l] = corr[l][j] = pearson(j, l);
  // C_j = sigma_j * sum_k (1 - r_jk) over the varying indicators.
  double total = 0;
  for (size_t j = 0; j < k; ++j) {
    if (!varies[j]) continue;
    double conflict = 0;
    for (size_t l = 0; l < k; ++l)
      if (varies[l]) conflict += 1 - corr[j][l];
    r.columns[j].b = r.columns[j].a * conflict;
    total += r.columns[j].b;
  }
  if (!(total > 1e-12)) throw DegenerateWeights("the indicators are perfectly correlated: every C_j is 0");
  // w_j = C_j / sum_k C_k
  for (const auto& col : r.columns) r.weights.push_back(col.b / total);
  return r;
}

std::vector<double> blend_weights(const std::vector<double>& derived, const std::vector<double>& base,
                                  double share) {
  std::vector<double> w(derived.size());
  for (size_t j = 0; j < w.size(); ++j) w[j] = (1 - share) * derived[j] + share * base[j];
  return w;
}

std::vector<int64_t> round_weights(const std::vector<double>& weights, int decimals) {
  int64_t units = 1;
  for (int i = 0; i < decimals; ++i) units *= 10;
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<int64_t> out(weights.size());
  std::vector<double> remainder(weights.size());
  int64_t given = 0;
  for (size_t j = 0; j < weights.size(); ++j) {
    const double q = weights[j] / total * static_cast<double>(units);
    out[j] = static_cast<int64_t>(std::floor(q));
    remainder[j] = q - static_cast<double>(out[j]);
    given += out[j];
  }
  std::vector<size_t> order(weights.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return remainder[x] > remainder[y]; });
  for (size_t i = 0; given < units && i < order.size(); ++i, ++given) ++out[order[i]];
  return out;
}

}  // namespace riskledger
