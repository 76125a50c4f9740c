#include "common.hpp"

#include <charconv>
#include <ctime>

#include <fmt/format.h>

#include "error.hpp"

namespace riskledger::cli {

void add_input_options(CLI::App* sub, InputOptions& options, bool with_as_of) {
  sub->add_option("inputs", options.inputs,
                  "Input files: CSV (.csv or anything else), YAML (.yaml, .yml); '-' reads CSV from stdin")
      ->required();
  sub->add_option("-r,--rules", options.rules,
                  "Rules file, or 'default' / 'matrix' for the built-in rule sets")
      ->capture_default_str();
  sub->add_option("--encoding", options.encoding,
                  "Input encoding: utf-8, or gb18030 / gbk for files Excel exported on Chinese Windows")
      ->capture_default_str();
  if (with_as_of)
    sub->add_option("--as-of", options.as_of,
                    "Date that decides what is overdue, YYYY-MM-DD (default: today)");
  sub->add_flag("-q,--quiet", options.quiet, "Print nothing on stderr but errors");
}

const CLI::Validator kWholeNumber(
    [](const std::string& text) {
      uint64_t value = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      return text.empty() || ec != std::errc() || end != text.data() + text.size()
                 ? std::string("must be a whole number from 0 to 18446744073709551615")
                 : std::string();
    },
    "");

Rules load_rules_reporting(const std::string& path, bool quiet) {
  auto rules = load_rules_file(path);
  if (!quiet)
    for (const auto& w : rules.warnings) fmt::print(stderr, "warning: {}\n", w);
  return rules;
}

Rules load_weighted_rules(std::string_view option, const std::string& path, bool quiet,
                          std::string_view why) {
  auto rules = load_rules_reporting(path, quiet);
  if (rules.method != Method::Weighted)
    throw UsageError(fmt::format("{} {}: method matrix has no weights{}", option, path, why));
  return rules;
}

Day resolve_as_of(const std::string& text) {
  if (!text.empty()) {
    auto d = parse_date(text);
    if (!d) throw UsageError(fmt::format("--as-of: '{}' is not a date (expected YYYY-MM-DD)", text));
    return *d;
  }
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return days_from_civil(local.tm_year + 1900, static_cast<unsigned>(local.tm_mon + 1),
                         static_cast<unsigned>(local.tm_mday));
}

}  // namespace riskledger::cli
