#include "stream.hpp"

#include <memory>

#include "error.hpp"
#include "pipeline.hpp"
#include "yaml_reader.hpp"

namespace riskledger {

StreamResult score_stream(const std::vector<std::string>& paths, const Rules& rules,
                          const LedgerOptions& options, const std::string& columns,
                          const std::function<void(std::string_view)>& write,
                          const std::function<void(const Problem&)>& on_problem, const std::string& encoding,
                          bool with_sort_key) {
  // Open every input first so the passed-through columns are known before
  // the header is written.
  std::vector<std::unique_ptr<RecordSource>> sources;
  std::vector<HeaderMap> maps;
  ExtraColumns extra;
  for (const auto& path : paths) {
    sources.push_back(open_source(path, encoding));
    maps.push_back(map_header(sources.back()->header(), rules, sources.back()->name()));
    extra.add_file(maps.back().extra_names);
  }
  auto cols = columns.empty() ? default_columns(rules, extra, false) : parse_columns(columns, rules, extra);
  if (with_sort_key) cols.insert(cols.begin(), LedgerColumn{LedgerColumn::SortKey, -1, "sort_key"});
  for (const auto& c : cols)
    if (c.kind == LedgerColumn::Rank)
      throw UsageError("--columns: score has no rank (records stream in input order; use grade)");
  LedgerWriter writer(rules, extra, cols, options);

  StreamResult result;
  std::string out;
  if (options.format == LedgerFormat::Csv) writer.begin(out);
  RawRows raw;
  std::vector<Problem> problems;
  for (size_t f = 0; f < sources.size(); ++f) {
    uint64_t first_record = 0;
    while (sources[f]->read(raw, kStreamChunkRows)) {
      const auto rows = raw.rows();
      problems.clear();
      const auto batch = build_batch(std::move(raw), maps[f], rules, static_cast<int>(f), sources[f]->name(),
                                     first_record, problems);
      result.read += rows - batch.blank_rows;
      first_record += rows;
      raw = RawRows{};
      // Valid records and problems come out of build_batch separately; emit
      // both in line order.
      size_t p = 0;
      for (size_t r = 0; r < batch.size(); ++r) {
        while (p < problems.size() && problems[p].record < batch.record(r)) on_problem(problems[p++]);
        const auto g = summarize(rules, batch, r);
        if (g.grade < 0) {
          on_problem(Problem{static_cast<int>(f), sources[f]->name(), batch.lines[r],
                             std::string(batch.str(rules.id_field, r)), "", "",
                             unscorable_reason(rules, batch, r), batch.record(r)});
          ++result.rejected;
          continue;
        }
        writer.row(out, result.scored, batch, g);
        ++result.scored;
        if (out.size() > (1u << 20)) {
          write(out);
          out.clear();
        }
      }
      while (p < problems.size()) on_problem(problems[p++]);
      result.rejected += count_rejected(problems);
    }
  }
  writer.end(out, result.scored);
  write(out);
  return result;
}

}  // namespace riskledger
