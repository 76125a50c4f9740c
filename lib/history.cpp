#include "history.hpp"

#include <sqlite3.h>

#include <filesystem>

#include <fmt/format.h>

#include "error.hpp"
#include "grading.hpp"
#include "labels.hpp"
#include "records.hpp"

namespace riskledger {

namespace {

// The schema, created in the first run's transaction.
constexpr const char* kSchema = R"sql(
CREATE TABLE runs (
  run_id       INTEGER PRIMARY KEY,
  as_of        TEXT NOT NULL,            -- YYYY-MM-DD
  tool_version TEXT NOT NULL,
  rules_name   TEXT NOT NULL,
  rules_version TEXT NOT NULL,
  rules_sha256 TEXT NOT NULL,
  read         INTEGER NOT NULL,
  graded       INTEGER NOT NULL,
  rejected     INTEGER NOT NULL,
  overdue      INTEGER NOT NULL,
  grades       TEXT NOT NULL             -- per-grade counts, "A=10 B=20 C=30"
);
CREATE TABLE run_inputs (
  run_id INTEGER NOT NULL REFERENCES runs(run_id),
  path   TEXT NOT NULL,
  bytes  INTEGER NOT NULL,
  sha256 TEXT NOT NULL,                  -- '' for standard input
  PRIMARY KEY (run_id, path)
);
CREATE TABLE decisions (
  run_id     INTEGER NOT NULL REFERENCES runs(run_id),
  id         TEXT NOT NULL,              -- the risk point's id
  score      TEXT NOT NULL,              -- as printed in the ledger
  grade      TEXT NOT NULL,
  grade_rank INTEGER NOT NULL,           -- 0 for the highest grade
  decided_by TEXT NOT NULL,
  status     TEXT NOT NULL,
  deadline   TEXT NOT NULL,              -- YYYY-MM-DD or ''
  overdue    INTEGER NOT NULL,           -- 0 or 1
  PRIMARY KEY (run_id, id)
) WITHOUT ROWID;
CREATE INDEX decisions_by_id ON decisions (id, run_id);
)sql";

class Database {
 public:
  Database(const std::string& path, bool write) : path_(path) {
    if (!write && !std::filesystem::exists(path))
      throw InputError(fmt::format("cannot open {}: no such file", path));
    const int flags = write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) fail("cannot open");
    sqlite3_busy_timeout(db_, 30000);  // another run appending: wait for it
  }
  ~Database() { sqlite3_close(db_); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  [[noreturn]] void fail(std::string_view what) const {
    throw InputError(fmt::format("{}: {}: {}", path_, what, db_ ? sqlite3_errmsg(db_) : "out of memory"));
  }
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail("cannot write history");
  }
  int64_t single(const char* sql) {
    sqlite3_stmt* s = prepare(sql);
    const int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    return v;
  }
  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) fail("cannot read history");
    return s;
  }
  // Checks the schema version; creates the schema in an empty database.
  void check_schema(bool create) {
    const auto version = single("PRAGMA user_version");
    if (version == kHistorySchemaVersion) return;
    if (version == 0 && single("SELECT count(*) FROM sqlite_master") == 0) {
      if (!create) throw InputError(fmt::format("{}: no runs recorded yet", path_));
      exec(kSchema);
      exec(fmt::format("PRAGMA user_version = {}", kHistorySchemaVersion).c_str());
      return;
    }
    if (version == 0) throw InputError(fmt::format("{}: not a riskledger history database", path_));
    throw InputError(fmt::format("{}: history schema version {}; this riskledger knows version {}", path_,
                                 version, kHistorySchemaVersion));
  }
  sqlite3* get() const { return db_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

// A prepared statement, bound by position and stepped once per row.
class Statement {
 public:
  Statement(Database& db, const char* sql) : db_(db), s_(db.prepare(sql)) {}
  ~Statement() { sqlite3_finalize(s_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& text(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& integer(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  void run() {
    if (sqlite3_step(s_) != SQLITE_DONE) db_.fail("cannot write history");
    sqlite3_reset(s_);
  }
  bool next() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) db_.fail("cannot read history");
    return false;
  }
  std::string column_text(int i) const {
    const auto* p = sqlite3_column_text(s_, i);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s_, i)))
             : "";
  }
  int64_t column_int(int i) const { return sqlite3_column_int64(s_, i); }
  bool column_null(int i) const { return sqlite3_column_type(s_, i) == SQLITE_NULL; }

 private:
  Database& db_;
  sqlite3_stmt* s_;
};

}  // namespace

int64_t append_history(const std::string& path, const HistoryRun& info, const GradedRun& run,
                       const LoadedInputs& inputs, const Rules& rules, Day as_of) {
  Database db(path, true);
  // One transaction: a run that fails or is killed part-way adds nothing.
  db.exec("BEGIN IMMEDIATE");
  try {
    db.check_schema(true);
    std::string grades;
    for (const auto& [name, n] : info.per_grade)
      grades += fmt::format("{}{}={}", grades.empty() ? "" : " ", name, n);
    Statement add_run(
        db,
        "INSERT INTO runs (as_of, tool_version, rules_name, rules_version, rules_sha256, read, graded, "
        "rejected, overdue, grades) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    add_run.text(1, info.as_of)
        .text(2, info.tool_version)
        .text(3, info.rules_name)
        .text(4, info.rules_version);
    add_run.text(5, info.rules_sha256).integer(6, static_cast<int64_t>(info.read));
    add_run.integer(7, static_cast<int64_t>(info.graded)).integer(8, static_cast<int64_t>(info.rejected));
    add_run.integer(9, static_cast<int64_t>(info.overdue)).text(10, grades);
    add_run.run();
    const int64_t run_id = sqlite3_last_insert_rowid(db.get());

    Statement add_input(
        db, "INSERT OR REPLACE INTO run_inputs (run_id, path, bytes, sha256) VALUES (?, ?, ?, ?)");
    for (const auto& in : info.inputs) {
      add_input.integer(1, run_id)
          .text(2, in.path)
          .integer(3, static_cast<int64_t>(in.bytes))
          .text(4, in.sha256);
      add_input.run();
    }

    // score as the ledger prints it: units / 10^precision with `precision` decimals.
    Statement add(
        db,
        "INSERT INTO decisions (run_id, id, score, grade, grade_rank, decided_by, status, deadline, overdue) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    std::string decided_by, score;
    const auto unit = rules.units_per_point();
    const DecisionText text(rules, false);
    for (const auto& g : run.graded) {
      const auto& batch = inputs.batches[g.batch];
      decided_by.clear();
      text.decided_by(decided_by, g);
      const auto whole = g.units / unit, frac = g.units % unit;
      score = rules.precision > 0 ? fmt::format("{}.{:0{}}", whole, frac, rules.precision)
                                  : fmt::format("{}", whole);
      add.integer(1, run_id).text(2, batch.str(rules.id_field, g.row)).text(3, score);
      add.text(4, rules.grades[static_cast<size_t>(g.grade)].name).integer(5, g.grade).text(6, decided_by);
      add.text(7, rules.status_field >= 0 ? field_text(rules, batch, rules.status_field, g.row) : "");
      add.text(8, g.deadline == Graded::kNoDeadline ? "" : format_date(g.deadline));
      add.integer(9, overdue(g, as_of) ? 1 : 0);
      add.run();
    }
    db.exec("COMMIT");
    return run_id;
  } catch (...) {
    sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<PointHistory> point_history(const std::string& path, std::string_view id) {
  Database db(path, false);
  db.check_schema(false);
  Statement q(db,
              "SELECT r.run_id, r.as_of, r.rules_version, r.rules_sha256, d.score, d.grade, d.grade_rank, "
              "d.decided_by, d.status, d.deadline, d.overdue "
              "FROM runs r LEFT JOIN decisions d ON d.run_id = r.run_id AND d.id = ? "
              "ORDER BY r.as_of, r.run_id");
  q.text(1, id);
  std::vector<PointHistory> out;
  while (q.next()) {
    PointHistory h;
    h.run_id = q.column_int(0);
    h.as_of = q.column_text(1);
    h.rules_version = q.column_text(2);
    h.rules_sha256 = q.column_text(3);
    h.present = !q.column_null(4);
    if (h.present) {
      h.score = q.column_text(4);
      h.grade = q.column_text(5);
      h.grade_rank = static_cast<int>(q.column_int(6));
      h.decided_by = q.column_text(7);
      h.status = q.column_text(8);
      h.deadline = q.column_text(9);
      h.overdue = q.column_int(10) != 0;
    }
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace riskledger
