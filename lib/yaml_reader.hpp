#pragma once
// YAML records: a sequence of mappings, or a mapping whose `records:` key
// holds that sequence. Scalars are kept as text and typed later, exactly as
// CSV cells are, so the same records give the same ledger in either format.
#include <memory>
#include <string>
#include <vector>

#include "csv_reader.hpp"
#include "raw_rows.hpp"

namespace riskledger {

class YamlReader final : public RecordSource {
 public:
  // Parses the whole document. The header is the union of the records' keys
  // in order of first appearance. Throws InputError on a YAML syntax error or
  // a wrong shape (naming file and line).
  YamlReader(std::string name, std::unique_ptr<ByteStream> in);
  const std::vector<std::string>& header() const override { return header_; }
  bool read(RawRows& out, size_t max_rows) override;
  const std::string& name() const override { return name_; }

 private:
  std::string name_;
  std::vector<std::string> header_;
  RawRows all_;
  size_t next_ = 0;
};

// Opens `path` as CSV or YAML, by extension (.yaml/.yml are YAML, anything
// else CSV; "-" is CSV on stdin), converting from `encoding` to UTF-8.
std::unique_ptr<RecordSource> open_source(const std::string& path, const std::string& encoding = "utf-8");

// The same file as a MappedCsv, read in parallel, when it is a regular CSV
// file in UTF-8; otherwise nullptr (use open_source).
std::unique_ptr<MappedCsv> open_mapped(const std::string& path, const std::string& encoding = "utf-8");

}  // namespace riskledger
