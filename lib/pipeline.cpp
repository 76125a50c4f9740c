#include "pipeline.hpp"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "expression.hpp"
#include "memory.hpp"
#include "parallel.hpp"
#include "progress.hpp"
#include "yaml_reader.hpp"

namespace riskledger {

void ExtraColumns::add_file(const std::vector<std::string>& file_extra_names) {
  std::vector<int> map;
  for (const auto& name : file_extra_names) {
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      names.push_back(name);
      it = names.end() - 1;
    }
    map.push_back(static_cast<int>(it - names.begin()));
  }
  of_file.push_back(std::move(map));
}

std::vector<uint8_t> TextProjection::slots(const Rules& rules, const HeaderMap& map) const {
  if (all) return {};
  std::vector<uint8_t> kept;
  for (size_t f = 0; f < rules.fields.size(); ++f)
    if (rules.fields[f].type == FieldType::String)
      kept.push_back(static_cast<int>(f) == rules.id_field || (f < fields.size() && fields[f]));
  for (const auto& name : map.extra_names)
    kept.push_back(std::find(extra.begin(), extra.end(), name) != extra.end());
  return kept;
}

TextProjection TextProjection::for_decisions(const Rules& rules) {
  TextProjection text;
  text.all = false;
  text.fields.assign(rules.fields.size(), 0);
  if (rules.id_field >= 0) text.fields[static_cast<size_t>(rules.id_field)] = 1;
  for (const auto& ov : rules.overrides)
    for (const int f : fields_used(*ov.expr)) text.fields[static_cast<size_t>(f)] = 1;
  return text;
}

void sort_problems(std::vector<Problem>& problems) {
  std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
    if (a.file_index != b.file_index) return a.file_index < b.file_index;
    return a.record < b.record;
  });
}

uint64_t count_rejected(const std::vector<Problem>& problems) {
  uint64_t n = 0;
  for (size_t i = 0; i < problems.size(); ++i)
    if (i == 0 || problems[i].file_index != problems[i - 1].file_index ||
        problems[i].record != problems[i - 1].record)
      ++n;
  return n;
}

namespace {

// Every record whose id is seen more than once is rejected: which one is
// right is a question for a person, and keeping none makes the ledger
// independent of input order. Records already rejected for another reason
// count too (their id is still taken), and get the duplicate noted.
void reject_duplicates(LoadedInputs& in, const Rules& rules, unsigned threads) {
  // A place is a valid record (batch, row), or a record already rejected for
  // another reason (batch == kRejected, row = index of its first problem).
  // Eight bytes each: this runs over every record of the run.
  constexpr uint32_t kRejected = UINT32_MAX;
  struct Place {
    uint32_t batch, row;
  };
  std::vector<Place> places;
  size_t total = 0;
  for (const auto& batch : in.batches) total += batch.size();
  reserve_huge(places, total + in.problems.size());
  in.duplicate.resize(in.batches.size());
  for (uint32_t b = 0; b < in.batches.size(); ++b) {
    in.duplicate[b].assign(in.batches[b].size(), 0);
    for (uint32_t r = 0; r < in.batches[b].size(); ++r) places.push_back({b, r});
  }
  sort_problems(in.problems);
  for (size_t i = 0; i < in.problems.size(); ++i) {
    const auto& p = in.problems[i];
    const bool first_of_record =
        i == 0 || p.file_index != in.problems[i - 1].file_index || p.record != in.problems[i - 1].record;
    if (first_of_record && !p.id.empty()) places.push_back({kRejected, static_cast<uint32_t>(i)});
  }
  auto id_of = [&](const Place& w) -> std::string_view {
    return w.batch == kRejected ? std::string_view(in.problems[w.row].id)
                                : in.batches[w.batch].str(rules.id_field, w.row);
  };
  auto where_of = [&](const Place& w) {
    if (w.batch == kRejected) {
      const auto& p = in.problems[w.row];
      return std::tuple{p.file_index, p.line, p.record};
    }
    const auto& batch = in.batches[w.batch];
    return std::tuple{batch.file, batch.lines[w.row], batch.record(w.row)};
  };

  // Open-addressing tables of first sightings; a later sighting of the same
  // id records which place it repeats. Each entry holds the place and the top
  // half of its id's hash, so that a probe compares ids only when those
  // match. Hashes are computed first (in parallel). The ids are split by hash
  // into one table per thread, each filled by its thread in place order: all
  // places of an id fall in one table, so the first sighting and the repeats
  // are the same for any number of tables. The table slot of a place a few
  // places ahead is prefetched.
  constexpr uint64_t kNone = UINT64_MAX;
  std::vector<uint64_t> hashes;
  reserve_touched(hashes, places.size(), threads);
  hashes.resize(places.size());
  const std::hash<std::string_view> hash;
  constexpr size_t kHashBlock = 65536;
  parallel_for((places.size() + kHashBlock - 1) / kHashBlock, threads, [&](size_t b) {
    for (size_t i = b * kHashBlock, end = std::min(places.size(), i + kHashBlock); i < end; ++i)
      hashes[i] = hash(id_of(places[i]));
  });
  const size_t parts =
      std::min<size_t>(resolve_threads(threads), std::max<size_t>(1, places.size() / kHashBlock));
  const auto part_of = [&](uint64_t h) { return static_cast<size_t>(((h >> 32) * parts) >> 32); };
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> found_repeats(parts);  // (place, first place)
  parallel_for(parts, threads, [&](size_t part) {
    size_t own = 0;
    for (const uint64_t h : hashes) own += part_of(h) == part ? size_t{1} : size_t{0};
    // At most 2/3 full: linear probing stays short, and the table (8 bytes
    // a slot, fresh memory) is half the size of one at most half full.
    size_t capacity = 16;
    while (capacity < own / 2 * 3) capacity *= 2;
    std::vector<uint64_t> table;
    reserve_huge(table, capacity);
    table.assign(capacity, kNone);
    auto& repeats = found_repeats[part];
    const size_t ahead = 8 * parts;
    for (uint32_t i = 0; i < places.size(); ++i) {
      if (i + ahead < places.size() && part_of(hashes[i + ahead]) == part)
        __builtin_prefetch(&table[hashes[i + ahead] & (capacity - 1)]);
      if (part_of(hashes[i]) != part) continue;
      const uint64_t tag = hashes[i] >> 32;
      for (size_t slot = hashes[i] & (capacity - 1);; slot = (slot + 1) & (capacity - 1)) {
        const uint64_t entry = table[slot];
        if (entry == kNone) {
          table[slot] = tag << 32 | i;
          break;
        }
        const auto other = static_cast<uint32_t>(entry);
        if (entry >> 32 == tag && id_of(places[other]) == id_of(places[i])) {
          repeats.emplace_back(i, other);
          break;
        }
      }
    }
  });
  hashes = {};
  // The repeats in place order, as one table would have found them.
  std::vector<std::pair<uint32_t, uint32_t>> all_repeats;
  for (auto& part : found_repeats) all_repeats.insert(all_repeats.end(), part.begin(), part.end());
  std::sort(all_repeats.begin(), all_repeats.end());

  // Group each duplicated id's places: its first sighting, then the repeats.
  std::vector<std::vector<uint32_t>> groups;
  std::unordered_map<uint32_t, size_t> group_of;  // first place -> group (duplicates only)
  for (const auto& [repeat, first] : all_repeats) {
    auto [it, fresh] = group_of.try_emplace(first, groups.size());
    if (fresh) groups.push_back({first});
    groups[it->second].push_back(repeat);
  }
  // New problems go to a separate list first: rejected places point into in.problems.
  std::vector<Problem> found;
  for (const auto& group : groups) {
    for (const uint32_t w_index : group) {
      const auto& w = places[w_index];
      if (w.batch != kRejected) in.duplicate[w.batch][w.row] = 1;
      std::vector<std::string> others;
      for (const uint32_t o_index : group) {
        if (o_index == w_index) continue;
        const auto [file, line, record] = where_of(places[o_index]);
        others.push_back(fmt::format("{}:{}", in.files[static_cast<size_t>(file)], line));
      }
      const auto [file, line, record] = where_of(w);
      const std::string id(id_of(w));
      found.push_back(Problem{file, in.files[static_cast<size_t>(file)], line, id, "id", id,
                              fmt::format("duplicate id (also at {})", fmt::join(others, ", ")), record});
    }
  }
  in.problems.insert(in.problems.end(), std::make_move_iterator(found.begin()),
                     std::make_move_iterator(found.end()));
}

// A mapped CSV file: segments are read and typed in parallel; each batch's
// first record, and its problems' record ordinals, are known once the
// segments before it have been counted.
void load_mapped(LoadedInputs& in, MappedCsv& csv, size_t f, const Rules& rules, unsigned threads,
                 const TextProjection& text, const std::shared_ptr<BatchArenas>& arenas) {
  in.files[f] = csv.name();
  const auto map = map_header(csv.header(), rules, csv.name());
  const BatchStorage storage{text.slots(rules, map), arenas};
  in.extra.add_file(map.extra_names);
  const size_t n = csv.segments();
  std::vector<RecordBatch> batches(n);
  std::vector<std::vector<Problem>> problems(n);
  std::vector<uint64_t> rows(n);
  csv.read(threads, [&](size_t k, const RawRows& raw) {
    rows[k] = raw.rows();
    problems[k].clear();
    batches[k] = build_batch(raw, map, rules, static_cast<int>(f), in.files[f], 0, problems[k], storage);
    progress_counters().read += rows[k] - batches[k].blank_rows;
  });
  uint64_t first_record = 0;
  for (size_t k = 0; k < n; ++k) {
    batches[k].first_record = first_record;
    for (auto& p : problems[k]) p.record += first_record;
    first_record += rows[k];
    in.read += rows[k] - batches[k].blank_rows;
    in.batches.push_back(std::move(batches[k]));
    in.problems.insert(in.problems.end(), std::make_move_iterator(problems[k].begin()),
                       std::make_move_iterator(problems[k].end()));
  }
}

}  // namespace

// Chunks are read one after the other (parsing CSV needs to know where the
// previous chunk ended) and typed in parallel, a few chunks at a time; each
// chunk's problems are kept apart and appended in input order.
LoadedInputs load_inputs(const std::vector<std::string>& paths, const Rules& rules,
                         const std::string& encoding, unsigned threads, const TextProjection& text) {
  LoadedInputs in;
  in.files = paths;
  const size_t wave = 2 * resolve_threads(threads);
  // Every batch is kept to the end of the run: their buffers lie back to back.
  const auto arenas = std::make_shared<BatchArenas>();
  for (size_t f = 0; f < paths.size(); ++f) {
    if (auto mapped = open_mapped(paths[f], encoding)) {
      load_mapped(in, *mapped, f, rules, threads, text, arenas);
      continue;
    }
    auto source = open_source(paths[f], encoding);
    in.files[f] = source->name();  // "<stdin>" for "-"
    const auto map = map_header(source->header(), rules, source->name());
    const BatchStorage storage{text.slots(rules, map), arenas};
    in.extra.add_file(map.extra_names);
    uint64_t first_record = 0;
    for (bool more = true; more;) {
      // Read a wave of chunks, then type them in parallel.
      std::vector<RawRows> raws;
      std::vector<uint64_t> firsts;
      for (RawRows raw; raws.size() < wave && (more = source->read(raw, kChunkRows)); raw = RawRows{}) {
        firsts.push_back(first_record);
        first_record += raw.rows();
        raws.push_back(std::move(raw));
      }
      std::vector<RecordBatch> batches(raws.size());
      std::vector<std::vector<Problem>> problems(raws.size());
      std::vector<uint64_t> rows(raws.size());
      parallel_for(raws.size(), threads, [&](size_t k) {
        rows[k] = raws[k].rows();
        batches[k] = build_batch(std::move(raws[k]), map, rules, static_cast<int>(f), in.files[f], firsts[k],
                                 problems[k], storage);
      });
      for (size_t k = 0; k < batches.size(); ++k) {
        in.read += rows[k] - batches[k].blank_rows;
        progress_counters().read += rows[k] - batches[k].blank_rows;
        in.batches.push_back(std::move(batches[k]));
        in.problems.insert(in.problems.end(), std::make_move_iterator(problems[k].begin()),
                           std::make_move_iterator(problems[k].end()));
      }
    }
  }
  reject_duplicates(in, rules, threads);
  sort_problems(in.problems);
  return in;
}

// Every batch is decided on its own (in parallel); the results are joined in
// input order, so `seq` and the problem order do not depend on threads.
GradedRun grade_inputs(const LoadedInputs& inputs, const Rules& rules, unsigned threads) {
  GradedRun run;
  run.read = inputs.read;
  run.problems = inputs.problems;
  run.per_grade.assign(rules.grades.size(), 0);
  // Each batch writes its records' decisions into its own slice of one
  // vector (sized for every record), then the vector is compacted in place:
  // no second copy of ten million decisions.
  const size_t nbatches = inputs.batches.size();
  std::vector<size_t> start(nbatches + 1, 0);
  for (size_t b = 0; b < nbatches; ++b) start[b + 1] = start[b] + inputs.batches[b].size();
  reserve_touched(run.graded, start[nbatches], threads);
  run.graded.resize(start[nbatches]);
  std::vector<std::vector<Problem>> problems(nbatches);
  parallel_for(nbatches, threads, [&](size_t b) {
    const auto& batch = inputs.batches[b];
    progress_counters().graded += batch.size();
    for (uint32_t r = 0; r < batch.size(); ++r) {
      auto& g = run.graded[start[b] + r];
      if (inputs.duplicate[b][r]) {
        g.grade = -1;
        continue;
      }
      g = summarize(rules, batch, r);
      g.batch = static_cast<uint32_t>(b);
      if (g.grade < 0)
        problems[b].push_back(Problem{batch.file, inputs.files[static_cast<size_t>(batch.file)],
                                      batch.lines[r], std::string(batch.str(rules.id_field, r)), "", "",
                                      unscorable_reason(rules, batch, r), batch.record(r)});
    }
  });
  // Compacted batch by batch: a batch's decisions move to `to[b]`, after the
  // kept decisions of the batches before it. Batches with nothing rejected
  // before them stay in their own slice and are done in parallel; the rest,
  // moving into slices before their own, one after the other in order.
  std::vector<std::vector<uint64_t>> per_grade_in(nbatches, std::vector<uint64_t>(rules.grades.size(), 0));
  parallel_for(nbatches, threads, [&](size_t b) {
    for (size_t i = start[b]; i < start[b + 1]; ++i) {
      const int grade = run.graded[i].grade;
      if (grade < 0) continue;
      ++per_grade_in[b][static_cast<size_t>(grade)];
    }
  });
  std::vector<size_t> to(nbatches + 1, 0);
  for (size_t b = 0; b < nbatches; ++b) {
    to[b + 1] = to[b];
    for (size_t k = 0; k < rules.grades.size(); ++k) {
      run.per_grade[k] += per_grade_in[b][k];
      to[b + 1] += per_grade_in[b][k];  // a batch keeps the records it graded
    }
  }
  const auto compact = [&](size_t b) {
    size_t kept = to[b];
    for (size_t i = start[b]; i < start[b + 1]; ++i) {
      if (run.graded[i].grade < 0) continue;
      run.graded[i].seq = static_cast<uint32_t>(kept);
      if (kept != i) run.graded[kept] = run.graded[i];
      ++kept;
    }
  };
  size_t in_place = 0;  // batches before this one have all their decisions kept
  while (in_place < nbatches && to[in_place] == start[in_place]) ++in_place;
  parallel_for(in_place, threads, compact);
  for (size_t b = in_place; b < nbatches; ++b) compact(b);
  run.graded.resize(to[nbatches]);
  for (auto& part : problems) run.problems.insert(run.problems.end(), part.begin(), part.end());
  sort_problems(run.problems);
  run.rejected = count_rejected(run.problems);
  return run;
}

}  // namespace riskledger
