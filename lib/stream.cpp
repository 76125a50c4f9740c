#include "stream.hpp"

#include <memory>

#include "csv_reader.hpp"
#include "error.hpp"
#include "parallel.hpp"
#include "pipeline.hpp"
#include "progress.hpp"
#include "yaml_reader.hpp"

namespace riskledger {

namespace {

// An input as score reads it: a mapped CSV file (read in parallel segments)
// or a record source (standard input, GB18030/GBK, YAML).
struct Input {
  std::unique_ptr<MappedCsv> mapped;
  std::unique_ptr<RecordSource> source;
  const std::string& name() const { return mapped ? mapped->name() : source->name(); }
  const std::vector<std::string>& header() const { return mapped ? mapped->header() : source->header(); }
};

// One chunk of rows scored: its rendered rows, and its problems in line order.
// On cache lines of its own: parts are filled on several threads at once, and
// `out` changes size with every field appended.
struct alignas(64) Part {
  RowBuffer out;
  std::vector<Problem> problems;
  std::vector<CellRef> views;  // the text cells of the records of the chunk, as read
  uint64_t rows = 0, read = 0, scored = 0, rejected = 0;
};

// Types, scores and renders one chunk of rows, keeping in the batch only the
// text cells `kept` flags. Problem records count from `first_record`. Rows
// are rendered with `first_index` as the index of the first (only JSON's
// first row differs).
void score_part(const RawRows& raw, const HeaderMap& map, const std::vector<uint8_t>& kept,
                const Rules& rules, const LedgerWriter& writer, int file, const std::string& name,
                uint64_t first_record, uint64_t first_index, Part& part) {
  part.out.clear();
  part.problems.clear();
  part.rows = raw.rows();
  std::vector<Problem> problems;
  // The batch holds only the text deciding reads; the rows are written from
  // the cells as read (views into `raw`), not from a copy.
  auto& views = part.views;
  views.clear();
  const BatchStorage storage{kept, nullptr, &views};
  const auto batch = build_batch(raw, map, rules, file, name, first_record, problems, storage);
  part.read = part.rows - batch.blank_rows;
  part.rejected = count_rejected(problems);
  part.scored = 0;
  // Valid records and problems come out of build_batch separately; keep
  // both in line order.
  size_t p = 0;
  for (size_t r = 0; r < batch.size(); ++r) {
    while (p < problems.size() && problems[p].record < batch.record(r))
      part.problems.push_back(problems[p++]);
    const auto g = summarize(rules, batch, r);
    if (g.grade < 0) {
      part.problems.push_back(Problem{file, name, batch.lines[r], std::string(batch.str(rules.id_field, r)),
                                      "", "", unscorable_reason(rules, batch, r), batch.record(r)});
      ++part.rejected;
      continue;
    }
    writer.row(part.out, first_index + part.scored, batch, g, views.data() + r * batch.slots(), raw.source());
    ++part.scored;
  }
  while (p < problems.size()) part.problems.push_back(problems[p++]);
}

}  // namespace

StreamResult score_stream(const std::vector<std::string>& paths, const Rules& rules,
                          const LedgerOptions& options, const std::string& columns,
                          const std::function<void(std::string_view)>& write,
                          const std::function<void(const Problem&)>& on_problem, const std::string& encoding,
                          bool with_sort_key, unsigned threads) {
  // Open every input first so the passed-through columns are known before
  // the header is written.
  std::vector<Input> inputs;
  std::vector<HeaderMap> maps;
  // Per input: the text cells its batches keep (what deciding reads).
  const auto decision_text = TextProjection::for_decisions(rules);
  std::vector<std::vector<uint8_t>> kept;
  ExtraColumns extra;
  for (const auto& path : paths) {
    Input in;
    in.mapped = open_mapped(path, encoding);
    if (!in.mapped) in.source = open_source(path, encoding);
    inputs.push_back(std::move(in));
    maps.push_back(map_header(inputs.back().header(), rules, inputs.back().name()));
    kept.push_back(decision_text.slots(rules, maps.back()));
    extra.add_file(maps.back().extra_names);
  }
  auto cols = columns.empty() ? default_columns(rules, extra, false) : parse_columns(columns, rules, extra);
  if (with_sort_key) cols.insert(cols.begin(), LedgerColumn{LedgerColumn::SortKey, -1, "sort_key"});
  for (const auto& c : cols)
    if (c.kind == LedgerColumn::Rank)
      throw UsageError("--columns: score has no rank (records stream in input order; use grade)");
  const LedgerWriter writer(rules, extra, cols, options);

  StreamResult result;
  std::string out;
  writer.begin(out);
  write(out);
  // A part is handed on: problems first, then its rows.
  const auto hand_on = [&](Part& part) {
    for (const auto& problem : part.problems) on_problem(problem);
    if (!part.out.empty()) write(part.out.view());
    result.read += part.read;
    result.scored += part.scored;
    result.rejected += part.rejected;
    progress_counters().read += part.read;
    progress_counters().graded += part.scored;
  };
  for (size_t f = 0; f < inputs.size(); ++f) {
    const auto& name = inputs[f].name();
    const int file = static_cast<int>(f);
    if (auto* csv = inputs[f].mapped.get()) {
      // Segments of 256 KiB (what a segment's steps touch stays in a core's
      // cache from one step to the next), a window of two per thread at a
      // time: scored in parallel, handed on in file order.
      const size_t window = 2 * resolve_threads(threads);
      std::vector<Part> parts(window);
      // A writer keeps scratch buffers: one for each part (a part is filled
      // by one task at a time).
      std::vector<LedgerWriter> writers;
      writers.reserve(window);
      for (size_t w = 0; w < window; ++w) writers.emplace_back(rules, extra, cols, options);
      uint64_t first_record = 0;
      csv->read(
          threads,
          [&](size_t k, const RawRows& raw) {
            // Record numbers are fixed up in order, below.
            score_part(raw, maps[f], kept[f], rules, writers[k % window], file, name, 0, 1,
                       parts[k % window]);
          },
          kStreamSegmentBytes, window,
          [&](size_t k) {
            auto& part = parts[k % window];
            for (auto& problem : part.problems) problem.record += first_record;
            first_record += part.rows;
            hand_on(part);
          });
      continue;
    }
    uint64_t first_record = 0;
    Part part;
    for (RawRows raw; inputs[f].source->read(raw, kStreamChunkRows); raw = RawRows{}) {
      score_part(raw, maps[f], kept[f], rules, writer, file, name, first_record, result.scored, part);
      first_record += part.rows;
      hand_on(part);
    }
  }
  out.clear();
  writer.end(out, result.scored);
  write(out);
  return result;
}

}  // namespace riskledger
