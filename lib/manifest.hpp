#pragma once
// manifest.json: what a `grade` run read, how it was configured, what it
// counted and the SHA-256 of every file it wrote, so that an auditor can
// re-run it (`verify`) and check every byte.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "digest.hpp"

namespace riskledger {

inline constexpr const char* kManifestSchema = "riskledger/manifest/v1";

// The rules file as read for a run: its bytes, a name for messages and the
// digest of the bytes. `path` is what was given ("rules/default.yaml", or
// "default" for the built-in set).
struct RulesSource {
  std::string path;
  std::string source;  // name in messages: the path, or "<built-in default>"
  std::string text;
  std::string sha256;
  bool builtin = false;
};

// Reads the rules file `path`, or the built-in set of that name when no such
// file exists (as load_rules_file does). Throws InputError when neither.
RulesSource read_rules_source(const std::string& path);

struct ManifestOutput {
  std::string
      file;  // where it was written: relative to the manifest's directory when inside it, else absolute
  std::string role;    // "ledger", "group", "index" or "rejects"
  std::string format;  // "csv", "json", ...
  std::string group;   // the group's value (role "group")
  uint64_t rows = 0;   // ledger rows (ledger, group), groups (index), problems (rejects)
  uint64_t bytes = 0;
  std::string sha256;
};

struct Manifest {
  std::string schema = kManifestSchema;
  std::string tool_version;
  struct {
    std::string path, name, version, sha256;
  } rules;
  std::vector<FileDigest> inputs;  // in the order read (byte order of path)
  std::string as_of;               // YYYY-MM-DD
  // The options that change what is written (the thread count does not).
  struct {
    std::vector<std::string> formats;
    std::string columns, lang = "en", encoding = "utf-8", group_by;
    bool bom = false;
  } options;
  struct {
    uint64_t read = 0, graded = 0, rejected = 0, overdue = 0;
    std::vector<std::pair<std::string, uint64_t>> per_grade;  // highest grade first
  } counts;
  std::vector<ManifestOutput> outputs;
};

// The manifest as JSON: keys in a fixed order, two-space indent, a final
// newline; the same manifest always gives the same bytes.
std::string manifest_json(const Manifest& manifest);

// Parses manifest.json. Throws InputError naming `source` and the key when
// the text is not a manifest this version understands.
Manifest parse_manifest(std::string_view json, const std::string& source);

// `path` relative to `dir` when it lies inside it, otherwise absolute (so that
// it can still be found from the manifest's directory).
std::string relative_to(const std::string& path, const std::string& dir);

}  // namespace riskledger
