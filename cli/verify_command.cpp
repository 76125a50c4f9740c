#include "verify_command.hpp"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "error.hpp"
#include "files.hpp"
#include "grade_command.hpp"
#include "manifest.hpp"
#include "text.hpp"

namespace riskledger::cli {

void setup_verify(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<VerifyOptions>();
  auto* sub = app.add_subcommand(
      "verify", "Re-run the grading a manifest.json records and compare every input, rules and output hash");
  sub->add_option("manifest", options->manifest, "manifest.json written by grade")->required();
  sub->add_option("--threads", options->threads, "Worker threads for the re-run (0: one per core)")
      ->capture_default_str();
  sub->footer(std::string("Input and rules paths are read as recorded (relative paths from the current\n"
                          "directory); output files are looked up next to the manifest.\n"
                          "Exit 0 when everything matches, 5 when anything differs or is missing.\n"
                          "Example: riskledger verify ledger/manifest.json\n") +
              kExitCodesHelp);
  sub->callback([options, &exit_code] { exit_code = run_verify(*options); });
}

namespace {

std::string short_hash(const std::string& h) {
  return h.size() > 12 ? h.substr(0, 12) : h;
}

// A temporary directory, removed with everything in it.
struct TempDir {
  std::string path;
  TempDir() {
    auto pattern = (std::filesystem::temp_directory_path() / "riskledger-verify.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw InputError(fmt::format("cannot create a temporary directory: {}", std::strerror(errno)));
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

// The rows of a ledger file: for CSV a row ends at a line break outside
// quotes (a quoted cell may hold line breaks); for JSON and JSON Lines at
// every line break. Each row with the line it starts on.
std::vector<std::pair<uint32_t, std::string_view>> split_rows(std::string_view bytes, bool csv) {
  std::vector<std::pair<uint32_t, std::string_view>> rows;
  uint32_t line = 1, start_line = 1;
  size_t start = 0;
  bool quoted = false;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (csv && bytes[i] == '"') quoted = !quoted;
    if (bytes[i] != '\n') continue;
    ++line;
    if (quoted) continue;
    rows.emplace_back(start_line, bytes.substr(start, i + 1 - start));
    start = i + 1;
    start_line = line;
  }
  if (start < bytes.size()) rows.emplace_back(start_line, bytes.substr(start));
  return rows;
}

// Where a UTF-8 character starts at or before `at`.
size_t char_start(std::string_view s, size_t at) {
  while (at > 0 && at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
  return at;
}

// Part of a row around byte `at` for a message: up to 40 bytes before and
// 80 after, on UTF-8 character boundaries, line breaks shown as \n.
std::string show_near(std::string_view row, size_t at) {
  while (!row.empty() && (row.back() == '\n' || row.back() == '\r')) row.remove_suffix(1);
  const size_t from = at > 40 ? char_start(row, at - 40) : 0;
  const size_t to = std::min(row.size(), char_start(row, std::min(row.size(), at + 80)));
  std::string out = from > 0 ? "…" : "";
  for (char c : row.substr(from, to - from)) out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return to < row.size() ? out + "…" : out;
}

// The CSV column that byte `at` of `row` falls in (quote-aware), 0-based.
size_t csv_column(std::string_view row, size_t at) {
  size_t column = 0;
  bool quoted = false;
  for (size_t i = 0; i < at && i < row.size(); ++i) {
    if (row[i] == '"') quoted = !quoted;
    if (row[i] == ',' && !quoted) ++column;
  }
  return column;
}

// The name of CSV column `n` in the header row.
std::string csv_header_name(std::string_view header, size_t n) {
  size_t column = 0, start = 0;
  bool quoted = false;
  for (size_t i = 0; i <= header.size(); ++i) {
    const bool end =
        i == header.size() || header[i] == '\n' || header[i] == '\r' || (header[i] == ',' && !quoted);
    if (i < header.size() && header[i] == '"') quoted = !quoted;
    if (!end) continue;
    if (column == n) return std::string(header.substr(start, i - start));
    if (i == header.size() || header[i] != ',') break;
    ++column;
    start = i + 1;
  }
  return "";
}

// "first differing row ..." with both versions around the first differing
// byte (and for CSV the column's name), or "" when equal.
std::string first_difference(std::string_view a, std::string_view a_name, std::string_view b,
                             std::string_view b_name, bool csv) {
  const auto ra = split_rows(a, csv), rb = split_rows(b, csv);
  const size_t width = std::max(a_name.size(), b_name.size()) + 1;
  for (size_t i = 0; i < std::max(ra.size(), rb.size()); ++i) {
    const std::string_view x = i < ra.size() ? ra[i].second : "", y = i < rb.size() ? rb[i].second : "";
    if (x == y) continue;
    size_t at = 0;
    while (at < x.size() && at < y.size() && x[at] == y[at]) ++at;
    at = char_start(x.size() >= y.size() ? x : y, at);
    const auto line = i < ra.size() ? ra[i].first : rb[i].first;
    std::string where = fmt::format("row {}, line {}", i + 1, line);
    if (csv && i > 0 && !ra.empty()) {
      const auto name = csv_header_name(ra[0].second, csv_column(x.size() >= at ? x : y, at));
      if (!name.empty()) where += fmt::format(", column {}", name);
    }
    return fmt::format("  first differing row ({}):\n    {:<{}} {}\n    {:<{}} {}\n", where,
                       fmt::format("{}:", a_name), width, i < ra.size() ? show_near(x, at) : "(no such row)",
                       fmt::format("{}:", b_name), width, i < rb.size() ? show_near(y, at) : "(no such row)");
  }
  return "";
}

std::string output_key(const ManifestOutput& o) {
  return fmt::format("{}\x1f{}\x1f{}", o.role, o.format, o.group);
}

}  // namespace

int run_verify(const VerifyOptions& options) {
  // 1. Read the manifest; outputs are looked up beside it.
  const auto manifest = parse_manifest(read_file(options.manifest), options.manifest);
  const auto dir = std::filesystem::path(options.manifest).parent_path();
  const auto beside = [&](const std::string& file) {
    const auto p = std::filesystem::path(file);
    return (p.is_absolute() || dir.empty() ? p : dir / p).string();
  };
  int problems = 0;
  bool can_rerun = true;

  // 2. The rules and every input: present, and the bytes recorded?
  try {
    const auto rules = read_rules_source(manifest.rules.path);
    if (rules.sha256 == manifest.rules.sha256) {
      fmt::print("ok       rules {}\n", manifest.rules.path);
    } else {
      fmt::print("CHANGED  rules {}: changed since the run (sha256 recorded {}, now {})\n",
                 manifest.rules.path, short_hash(manifest.rules.sha256), short_hash(rules.sha256));
      ++problems;
    }
  } catch (const InputError&) {
    fmt::print("MISSING  rules {}: cannot be read\n", manifest.rules.path);
    ++problems;
    can_rerun = false;
  }
  for (const auto& input : manifest.inputs) {
    if (input.path == "-") {
      fmt::print("MISSING  input - (standard input): cannot be read again; give inputs as files to verify\n");
      ++problems;
      can_rerun = false;
      continue;
    }
    if (!std::filesystem::exists(input.path)) {
      fmt::print("MISSING  input {}: no such file\n", input.path);
      ++problems;
      can_rerun = false;
      continue;
    }
    const auto now = digest_file(input.path);
    if (now.sha256 == input.sha256) {
      fmt::print("ok       input {}\n", input.path);
    } else {
      fmt::print("CHANGED  input {}: changed since the run (sha256 recorded {}, now {}; {} bytes, was {})\n",
                 input.path, short_hash(input.sha256), short_hash(now.sha256), now.bytes, input.bytes);
      ++problems;
    }
  }

  // 3. Re-run the recorded grading into a temporary directory.
  TempDir tmp;
  std::map<std::string, ManifestOutput> rerun;
  std::string rerun_error;
  if (can_rerun) {
    GradeOptions grade;
    for (const auto& input : manifest.inputs) grade.in.inputs.push_back(input.path);
    grade.in.rules = manifest.rules.path;
    grade.in.as_of = manifest.as_of;
    grade.in.encoding = manifest.options.encoding;
    grade.in.quiet = true;
    grade.formats = manifest.options.formats;
    grade.columns = manifest.options.columns;
    grade.lang = manifest.options.lang;
    grade.bom = manifest.options.bom;
    grade.audit.group_by = manifest.options.group_by;
    grade.threads = options.threads;
    grade.out_dir = tmp.path;
    try {
      run_grade(grade);
      const auto path = (std::filesystem::path(tmp.path) / "manifest.json").string();
      for (auto& o : parse_manifest(read_file(path), path).outputs)
        rerun.emplace(output_key(o), std::move(o));
    } catch (const std::exception& e) {
      rerun_error = e.what();
    }
  }
  if (!rerun_error.empty()) {
    fmt::print("FAILED   re-running the grading: {}\n", rerun_error);
    ++problems;
  }

  // 4. Every recorded output: the file on disk and the re-run's bytes
  //    against the digest recorded.
  size_t differ = 0;
  for (const auto& out : manifest.outputs) {
    const auto path = beside(out.file);
    const bool on_disk = std::filesystem::exists(path);
    const auto disk = on_disk ? digest_file(path).sha256 : std::string();
    const auto it = rerun.find(output_key(out));
    const bool reran = can_rerun && rerun_error.empty();
    const bool disk_ok = disk == out.sha256;
    const bool rerun_ok = !reran || (it != rerun.end() && it->second.sha256 == out.sha256);
    if (disk_ok && rerun_ok) {
      fmt::print("ok       {}{}\n", out.file, reran ? "" : " (as recorded; not re-run)");
      continue;
    }
    ++differ;
    const bool csv = out.format == "csv";
    const auto rerun_text = [&] {
      return it == rerun.end() ? std::string()
                               : read_file((std::filesystem::path(tmp.path) / it->second.file).string());
    };
    if (!on_disk) {
      fmt::print("MISSING  {}: not on disk ({})\n", out.file, path);
    } else if (!disk_ok) {
      fmt::print("CHANGED  {}: the file differs from the manifest (sha256 recorded {}, on disk {})\n",
                 out.file, short_hash(out.sha256), short_hash(disk));
      if (reran && rerun_ok)
        fmt::print("{}", first_difference(rerun_text(), "recorded", read_file(path), "on disk", csv));
    }
    if (reran && !rerun_ok) {
      if (it == rerun.end()) {
        fmt::print("DIFFERS  {}: re-running the grading does not write it\n", out.file);
      } else {
        fmt::print("DIFFERS  {}: re-running the grading gives other bytes (sha256 recorded {}, re-run {})\n",
                   out.file, short_hash(out.sha256), short_hash(it->second.sha256));
        if (on_disk && disk_ok)
          fmt::print("{}", first_difference(read_file(path), "recorded", rerun_text(), "re-run", csv));
      }
    }
  }
  for (const auto& [key, o] : rerun) {
    const bool recorded = std::any_of(manifest.outputs.begin(), manifest.outputs.end(),
                                      [&, &k = key](const auto& m) { return output_key(m) == k; });
    if (!recorded) {
      fmt::print("DIFFERS  {}: re-running the grading writes it, the manifest does not list it\n", o.file);
      ++differ;
    }
  }

  // 5. The verdict.
  problems += static_cast<int>(differ);
  if (problems == 0) {
    fmt::print("verify: {} matches: {} input{}, rules and {} output{} reproduced byte for byte\n",
               options.manifest, manifest.inputs.size(), manifest.inputs.size() == 1 ? "" : "s",
               manifest.outputs.size(), manifest.outputs.size() == 1 ? "" : "s");
    return kExitOk;
  }
  fmt::print("verify: {} does NOT match: {} problem{} ({} of {} output{} differ)\n", options.manifest,
             problems, problems == 1 ? "" : "s", differ, manifest.outputs.size(),
             manifest.outputs.size() == 1 ? "" : "s");
  return kExitVerify;
}

}  // namespace riskledger::cli
