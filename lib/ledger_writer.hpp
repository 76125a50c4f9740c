#pragma once
// Ledger rows in CSV, JSON, JSON Lines, Markdown and YAML. The writer appends to a string
// buffer; callers decide where the bytes go (a file written atomically, or
// standard output).
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "dates.hpp"
#include "labels.hpp"
#include "pipeline.hpp"
#include "records.hpp"
#include "rules.hpp"
#include "text.hpp"

namespace riskledger {

enum class LedgerFormat { Csv, Json, Jsonl, Md, Yaml };
enum class Lang { En, Zh };

LedgerFormat parse_ledger_format(std::string_view name);  // throws UsageError
Lang parse_lang(std::string_view name);                   // throws UsageError
std::string_view extension(LedgerFormat format);          // "csv", "json", "jsonl", "md", "yaml"

struct LedgerColumn {
  enum Kind {
    Rank,
    Field,
    Score,
    Grade,
    DecidedBy,
    Handling,
    Lead,
    Deadline,
    Overdue,
    TopFactors,
    SortKey,
    Extra
  };
  Kind kind = Rank;
  int index = -1;    // rules field (Field) or extra column (Extra)
  std::string name;  // English name
};

// rank, id, title, category, subtype, district, township, village, grid,
// responsible_unit, found_on, status, score, grade, decided_by, handling,
// lead, deadline, overdue, top_factors, then the passed-through columns.
// Fields the rules do not declare are left out. `with_rank` false for the
// streamed `score` output, which has no rank.
std::vector<LedgerColumn> default_columns(const Rules& rules, const ExtraColumns& extra,
                                          bool with_rank = true);

// Columns named by --columns: any ledger column, any rules field, any
// passed-through column. Throws UsageError naming an unknown column.
std::vector<LedgerColumn> parse_columns(std::string_view list, const Rules& rules, const ExtraColumns& extra);

// The column a ledger header names (English, or the Chinese header --lang zh
// writes), or false when no ledger column or rules field has that name.
bool find_column(std::string_view name, const Rules& rules, const ExtraColumns& extra, LedgerColumn& out);

// A column's header in `lang`: English names; with zh the rules field's
// label or the fixed Chinese name of a computed column.
std::string column_header(const LedgerColumn& c, const Rules& rules, Lang lang);

struct LedgerOptions {
  LedgerFormat format = LedgerFormat::Csv;
  Lang lang = Lang::En;
  bool bom = false;  // CSV only: a UTF-8 byte order mark so Excel reads Chinese
  Day as_of = 0;
};

class LedgerWriter {
 public:
  LedgerWriter(const Rules& rules, const ExtraColumns& extra, std::vector<LedgerColumn> columns,
               LedgerOptions options);
  void begin(std::string& out) const;
  // One ledger row, with what comes before it (JSON separators), rendered
  // into `out`. `index` is its 0-based position in the output (rank is
  // index + 1); `g` is the record's decision (summarize()). With `cells`,
  // the record's text cells are those (slots() of them, BatchStorage::views)
  // and not the batch's; `source`, when not empty, is the input text they
  // point into (a chunk of rows as read): in CSV, a run of the row's columns
  // that lies there byte for byte as the ledger writes it is copied from it
  // at once (see copy_run). Not thread-safe: use one writer per thread.
  void row(RowBuffer& out, uint64_t index, const RecordBatch& batch, const Graded& g,
           const CellRef* cells = nullptr, std::string_view source = {}) const;
  // The same, rendered into the writer's own buffer and appended to `out`.
  void row(std::string& out, uint64_t index, const RecordBatch& batch, const Graded& g,
           const CellRef* cells = nullptr, std::string_view source = {}) const;
  void end(std::string& out, uint64_t rows) const;
  // Loads the first bytes of a record's cells (and typed values, when a
  // column shows one) so that row() finds them in cache; returns something
  // computed from them, so that the loads are not left out.
  unsigned touch(const RecordBatch& batch, const Graded& g) const;

 private:
  std::string header_name(const LedgerColumn& c) const;
  void render_row(RowBuffer& out, const RecordBatch& batch, const Graded& g, uint64_t rank) const;
  template <class Out>
  void text(Out& out, std::string_view value) const;
  void text(RowBuffer& out, const CellRef& cell) const;
  void empty(RowBuffer& out) const;
  // A value `render` makes (decided_by, top_factors): in CSV, rendered in
  // place and quoted after only when it has to be; else made apart, then
  // escaped.
  // `may_quote`: whether the value can hold a byte CSV quotes (false only
  // when every piece it is made of is plain, see DecisionText).
  using Render = void (DecisionText::*)(RowBuffer&, const Graded&) const;
  void generated(RowBuffer& out, Render render, const Graded& g, bool may_quote) const;
  template <class Out>
  static void md_text(Out& out, std::string_view value);
  void field(RowBuffer& out, int index, const RecordBatch& batch, const Graded& g) const;
  // Copies columns i, i + 1, ... of a CSV row from `source_` while they lie
  // there as they would be written; returns the column after the last one
  // copied (i when none is).
  size_t copy_run(RowBuffer& out, size_t i, const RecordBatch& batch, const Graded& g) const;

  const Rules& rules_;
  std::vector<LedgerColumn> columns_;
  LedgerOptions options_;
  std::vector<std::string> json_keys_;          // `"name": ` per column
  bool needs_cells_ = false;                    // some column shows a text cell
  bool needs_nums_ = false;                     // some column shows a number field
  mutable std::vector<CellRef> decoded_;        // the current row's text cells, decoded from its batch
  mutable const CellRef* row_cells_ = nullptr;  // the current row's text cells (decoded_ or the caller's)
  mutable std::string_view source_;             // the input text they point into, or empty
  // CSV only, per column: where a run of columns that copy_run may copy
  // from the input at once ends when it starts there (0 for none). A run is
  // text fields (String) with up to kRunEnums enum fields between two of
  // them, and starts and ends with a text field.
  static constexpr size_t kRunEnums = 4;
  std::vector<size_t> run_end_;
  // Per column in a run, looked up once: a text field's cell slot, or an
  // enum field's place in the record header (RecordBatch::init's layout).
  struct RunColumn {
    int32_t slot = -1;    // text field: its slot in the record's cells; -1 for an enum
    uint32_t header = 0;  // enum field: offset of its value in the record header
    uint32_t field = 0;   // enum field: its index in the rules
  };
  std::vector<RunColumn> run_columns_;
  std::vector<std::vector<int>> extra_local_;  // [file][column] -> local extra column, or -1
  mutable RowBuffer row_;                      // a row for row(std::string&)
  mutable RowBuffer scratch_;                  // reused for decided_by and top_factors
  // Text that is the same in every row it is in, rendered once: per grade,
  // its name, handling and lead; per enum field, each value.
  std::vector<std::array<std::string, 3>> grade_text_;
  DecisionText decision_text_;                       // decided_by and top_factors, in the ledger's language
  std::vector<std::vector<std::string>> enum_text_;  // [field][value]
};

}  // namespace riskledger

namespace riskledger {

// The sort_key column's text for a record (see ledger_writer.cpp).
template <class Out>  // std::string or RowBuffer
void append_sort_key(Out& out, const Rules& rules, const Graded& g, std::string_view id);

// The whole ledger in ledger order (run.graded after rank()), rendered by
// `threads` threads (0: one per core) and handed to `sink` in blocks. The
// bytes do not depend on the thread count.
void write_ledger(const GradedRun& run, const LoadedInputs& inputs, const Rules& rules,
                  const std::vector<LedgerColumn>& columns, const LedgerOptions& options, unsigned threads,
                  const std::function<void(std::string_view)>& sink);

// rejects.csv: one row per problem, `file,line,id,field,value,reason`, in
// input order. A record with several problems has several rows with the same
// file and line (count distinct file+line pairs to count rejected records).
std::string format_rejects_csv(const std::vector<Problem>& problems);

// One problem as a message line: `file:line: field='value': reason`.
std::string format_problem(const Problem& p);

}  // namespace riskledger
