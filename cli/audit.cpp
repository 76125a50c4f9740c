#include "audit.hpp"

#include <algorithm>
#include <filesystem>
#include <future>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "error.hpp"
#include "grading.hpp"
#include "grouping.hpp"
#include "labels.hpp"
#include "messages.hpp"

namespace riskledger::cli {

void add_audit_options(CLI::App* sub, AuditOptions& options) {
  sub->add_option(
      "--group-by", options.group_by,
      "Also write one ledger per value of FIELD (e.g. district) and index.csv; ranks within each group");
  sub->add_option("--fail-on-grade", options.fail_on_grade,
                  "Gate: exit 4 (after writing everything) when any point is graded G or higher");
  sub->add_option("--fail-on-new-grade", options.fail_on_new_grade,
                  "Gate: exit 4 when a point is graded G or higher and was not G or higher in --baseline");
  sub->add_option("--baseline", options.baseline,
                  "Earlier ledger (csv, json or jsonl) that --fail-on-new-grade compares with");
  sub->add_option("--max-overdue", options.max_overdue, "Gate: exit 4 when more than N points are overdue")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--log-format", options.log_format,
                  "Messages on stderr: text, or json (one JSON summary line at the end, even with --quiet)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->add_option("--history", options.history,
                  "Append the run and every decision to this SQLite database (created when missing)");
  sub->add_option("--lock-wait", options.lock_wait,
                  "Seconds to wait when another run is writing to the same directory (default: 0, exit 1)")
      ->check(CLI::NonNegativeNumber);
}

std::vector<std::string> reading_order(std::vector<std::string> paths) {
  std::stable_sort(paths.begin(), paths.end());
  return paths;
}

std::vector<FileDigest> digest_inputs(const std::vector<std::string>& paths) {
  std::vector<FileDigest> out;
  for (const auto& p : paths) out.push_back(p == "-" ? FileDigest{p, 0, ""} : digest_file(p));
  return out;
}

// ---------------------------------------------------------------- RunLog

RunLog::RunLog(bool quiet, const std::string& format, Lang lang)
    : text_(!quiet && format != "json"), json_(format == "json"), lang_(lang) {}

void RunLog::warning(const std::string& message) {
  if (text_) fmt::print(stderr, "warning: {}\n", message);
  warnings_.push_back(message);
}

void RunLog::set(const std::string& key, const std::string& value) {
  fields_.emplace_back(key, nlohmann::ordered_json(value).dump());
}

void RunLog::set(const std::string& key, uint64_t value) {
  fields_.emplace_back(key, fmt::format("{}", value));
}

void RunLog::set_list(const std::string& key, const std::vector<std::string>& values) {
  fields_.emplace_back(key, nlohmann::ordered_json(values).dump());
}

void RunLog::counts(const GradedRun& run, const Rules& rules, uint64_t overdue) {
  nlohmann::ordered_json per_grade = nlohmann::ordered_json::object();
  for (size_t g = 0; g < rules.grades.size(); ++g) per_grade[rules.grades[g].name] = run.per_grade[g];
  if (text_) fmt::print(stderr, "{}\n", counts_line(run, rules, lang_));
  set("read", run.read);
  set("graded", run.graded.size());
  set("rejected", run.rejected);
  fields_.emplace_back("grades", per_grade.dump());
  set("overdue", overdue);
}

void RunLog::gates(const std::vector<Gate>& gates) {
  auto list = nlohmann::ordered_json::array();
  for (const auto& g : gates) {
    // A tripped gate is why the exit code is 4: said even with --quiet.
    if (g.tripped && !json_) fmt::print(stderr, "riskledger: {}\n", g.message);
    list.push_back({{"gate", g.name}, {"limit", g.limit}, {"count", g.count}, {"tripped", g.tripped}});
  }
  fields_.emplace_back("gates", list.dump());
}

void RunLog::finish(int exit_code) const {
  if (!json_) return;
  std::string line = fmt::format(R"({{"command":"grade","exit":{})", exit_code);
  for (const auto& [key, value] : fields_)
    line += fmt::format(",{}:{}", nlohmann::ordered_json(key).dump(), value);
  line += fmt::format(R"(,"warnings":{}}})", nlohmann::ordered_json(warnings_).dump());
  fmt::print(stderr, "{}\n", line);
}

void RunLog::failure(const std::string& command, int exit_code, const std::vector<std::string>& errors) {
  nlohmann::ordered_json j;
  j["command"] = command;
  j["exit"] = exit_code;
  j["errors"] = errors;
  fmt::print(stderr, "{}\n", j.dump());
}

// ---------------------------------------------------------------- gates

uint64_t count_overdue(const GradedRun& run, Day as_of) {
  return static_cast<uint64_t>(std::count_if(run.graded.begin(), run.graded.end(),
                                             [&](const Graded& g) { return overdue(g, as_of); }));
}

namespace {

int grade_option(const Rules& rules, const std::string& option, const std::string& name) {
  const int g = rules.find_grade(name);
  if (g >= 0) return g;
  std::string names;
  for (const auto& grade : rules.grades) names += fmt::format("{}{}", names.empty() ? "" : ", ", grade.name);
  throw UsageError(fmt::format("{}: unknown grade '{}' (the rules' grades: {})", option, name, names));
}

std::string_view record_id(const Rules& rules, const LoadedInputs& inputs, const Graded& g) {
  return inputs.batches[g.batch].str(rules.id_field, g.row);
}

// "A-1, A-2, A-3 and 4 more" (zh: "A-1、A-2、A-3 等另 4 个"): the first
// few ids, in ledger order.
std::string some_ids(const std::vector<std::string_view>& ids, bool zh) {
  constexpr size_t kShown = 5;
  std::string out;
  for (size_t i = 0; i < ids.size() && i < kShown; ++i)
    out += fmt::format("{}{}", i ? (zh ? "、" : ", ") : "", ids[i]);
  if (ids.size() > kShown)
    out += zh ? fmt::format(" 等另 {} 个", ids.size() - kShown)
              : fmt::format(" and {} more", ids.size() - kShown);
  return out;
}

}  // namespace

void check_gate_options(const AuditOptions& options, const Rules& rules) {
  if (!options.fail_on_grade.empty()) grade_option(rules, "--fail-on-grade", options.fail_on_grade);
  if (!options.fail_on_new_grade.empty()) {
    grade_option(rules, "--fail-on-new-grade", options.fail_on_new_grade);
    if (options.baseline.empty()) throw UsageError("--fail-on-new-grade needs --baseline OLD_LEDGER");
  } else if (!options.baseline.empty()) {
    throw UsageError("--baseline is only used with --fail-on-new-grade");
  }
}

std::vector<RunLog::Gate> evaluate_gates(const AuditOptions& options, const GradedRun& run,
                                         const LoadedInputs& inputs, const Rules& rules,
                                         const LedgerOptions& ledger,
                                         const std::function<int(std::string_view)>& baseline_grade) {
  const Day as_of = ledger.as_of;
  const bool zh = ledger.lang == Lang::Zh;
  std::vector<RunLog::Gate> gates;
  const auto plural = [](uint64_t n) { return n == 1 ? "point" : "points"; };
  if (!options.fail_on_grade.empty()) {
    const int limit = grade_option(rules, "--fail-on-grade", options.fail_on_grade);
    std::vector<std::string_view> ids;
    for (const auto& g : run.graded)
      if (g.grade >= 0 && g.grade <= limit) ids.push_back(record_id(rules, inputs, g));
    RunLog::Gate gate{"fail-on-grade", options.fail_on_grade, ids.size(), !ids.empty(), ""};
    gate.message =
        zh ? fmt::format("门槛 --fail-on-grade {}：{} 个风险点定为{}{}：{}", gate.limit, ids.size(),
                         grade_text_zh(rules, static_cast<size_t>(limit)), limit > 0 ? "或以上" : "",
                         some_ids(ids, zh))
           : fmt::format("gate --fail-on-grade {}: {} {} graded {}{}: {}", gate.limit, ids.size(),
                         plural(ids.size()), gate.limit, limit > 0 ? " or higher" : "", some_ids(ids, zh));
    gates.push_back(std::move(gate));
  }
  if (!options.fail_on_new_grade.empty()) {
    const int limit = grade_option(rules, "--fail-on-new-grade", options.fail_on_new_grade);
    std::vector<std::string_view> ids;
    for (const auto& g : run.graded) {
      if (g.grade < 0 || g.grade > limit) continue;
      const auto id = record_id(rules, inputs, g);
      const int before = baseline_grade(id);
      if (before < 0 || before > limit) ids.push_back(id);
    }
    const auto* or_higher = limit > 0 ? " or higher" : "";
    RunLog::Gate gate{"fail-on-new-grade", options.fail_on_new_grade, ids.size(), !ids.empty(), ""};
    const auto grade_zh = grade_text_zh(rules, static_cast<size_t>(limit)) + (limit > 0 ? "或以上" : "");
    gate.message =
        zh ? fmt::format("门槛 --fail-on-new-grade {}：{} 个风险点为{}，而基线 {} 中不是：{}", gate.limit,
                         ids.size(), grade_zh, options.baseline, some_ids(ids, zh))
           : fmt::format("gate --fail-on-new-grade {}: {} {} graded {}{} that {} not {}{} in {}: {}",
                         gate.limit, ids.size(), plural(ids.size()), gate.limit, or_higher,
                         ids.size() == 1 ? "was" : "were", gate.limit, or_higher, options.baseline,
                         some_ids(ids, zh));
    gates.push_back(std::move(gate));
  }
  if (options.max_overdue >= 0) {
    const auto limit = static_cast<uint64_t>(options.max_overdue);
    const auto n = count_overdue(run, as_of);
    RunLog::Gate gate{"max-overdue", fmt::format("{}", limit), n, n > limit, ""};
    gate.message =
        zh ? fmt::format("门槛 --max-overdue {}：截至 {} 逾期 {} 个风险点", limit, format_date(as_of), n)
           : fmt::format("gate --max-overdue {}: {} {} overdue as of {}", limit, n, plural(n),
                         format_date(as_of));
    gates.push_back(std::move(gate));
  }
  return gates;
}

// ---------------------------------------------------------------- outputs

Manifest write_out_dir(OutputSet& outputs, const std::string& out_dir, const std::string& rejects_path,
                       const std::vector<std::string>& formats, const std::string& group_by,
                       const GradedRun& run, const LoadedInputs& inputs, const Rules& rules,
                       const LedgerOptions& ledger, Manifest manifest, const LedgerProducer& produce) {
  const Day as_of = ledger.as_of;
  const auto in_dir = [&](const std::string& name) {
    return (std::filesystem::path(out_dir) / name).string();
  };
  // Stages one output, hashing the exact bytes written. A device or pipe is
  // written at commit, so its bytes are rendered once more for the digest.
  const auto stage = [&](const std::string& path, ManifestOutput entry,
                         const std::function<void(const ByteSink&)>& write) {
    Sha256 hash;
    if (is_special_file(path)) {
      write([&](std::string_view bytes) { hash.update(bytes); });
      outputs.add(path, write);
    } else {
      outputs.add(path, [&](const ByteSink& sink) { write(hashing_sink(hash, sink)); });
    }
    entry.file = relative_to(path, out_dir);
    entry.bytes = hash.bytes();
    entry.sha256 = hash.hex();
    manifest.outputs.push_back(std::move(entry));
  };

  // 1. The ledgers: the whole run, and with --group-by one per group and index.csv.
  for (const auto& format : formats)
    stage(in_dir(fmt::format("ledger.{}", format)), {"", "ledger", format, "", run.graded.size(), 0, ""},
          [&](const ByteSink& sink) { produce(run, format, sink); });
  if (!group_by.empty()) {
    const auto groups = group_ledger(run, inputs, rules, group_by, as_of);
    for (const auto& format : formats)
      for (const auto& group : groups)
        stage(in_dir(fmt::format("{}.{}", group.file_stem, format)),
              {"", "group", format, group.value, group.part.graded.size(), 0, ""},
              [&](const ByteSink& sink) { produce(group.part, format, sink); });
    const auto index = format_index_csv(groups, rules, group_by, formats.front(), ledger.lang);
    stage(in_dir("index.csv"), {"", "index", "csv", "", groups.size(), 0, ""},
          [&](const ByteSink& sink) { sink(index); });
  }
  // 2. The rejects.
  const auto rejects = format_rejects(run.problems, rules, ledger.lang);
  stage(rejects_path, {"", "rejects", "csv", "", run.problems.size(), 0, ""},
        [&](const ByteSink& sink) { sink(rejects); });
  // 3. The manifest, with the digests of all of the above; then all renamed
  //    into place together.
  const auto manifest_text = manifest_json(manifest);
  outputs.add(in_dir("manifest.json"), manifest_text);
  outputs.commit();
  return manifest;
}

}  // namespace riskledger::cli
