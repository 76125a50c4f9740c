#include "yaml_limits.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <vector>

#include <fmt/format.h>

namespace riskledger {

namespace {

// Walks the parser's events. For every anchored node it records how many
// nodes it holds, counting what its own aliases reach, so that an alias adds
// the size of what it stands for: that is the size a reader walking the
// built document would see.
class LimitChecker final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) fail(mark, "a second YAML document (everything must be in one document)");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t anchor) override { leaf(anchor); }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t anchor, const std::string&) override {
    leaf(anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (++aliases_ > kMaxYamlAliases)
      fail(mark, fmt::format("more than {} aliases (the limit)", kMaxYamlAliases));
    for (const auto& open : open_)
      if (open.anchor != 0 && open.anchor == anchor)
        fail(mark, "an alias inside the node it refers to (a cycle)");
    const size_t size = anchor < sizes_.size() ? sizes_[anchor] : 1;
    alias_nodes_ += size;
    if (alias_nodes_ > kMaxYamlAliasNodes)
      fail(mark, fmt::format("aliases stand for more than {} nodes (the limit)", kMaxYamlAliasNodes));
    add(size);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    YAML::anchor_t anchor;
    size_t nodes;  // so far, itself included
  };

  [[noreturn]] static void fail(const YAML::Mark& mark, const std::string& message) {
    throw YamlLimitError(mark.line + 1, mark.column + 1, message);
  }
  void add(size_t nodes) {
    if (!open_.empty()) open_.back().nodes += nodes;
  }
  void record(YAML::anchor_t anchor, size_t nodes) {
    if (anchor == 0) return;
    if (sizes_.size() <= anchor) sizes_.resize(anchor + 1, 1);
    sizes_[anchor] = nodes;
  }
  void leaf(YAML::anchor_t anchor) {
    record(anchor, 1);
    add(1);
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (static_cast<int>(open_.size()) >= kMaxYamlDepth)
      fail(mark, fmt::format("more than {} levels of nesting (the limit)", kMaxYamlDepth));
    open_.push_back({anchor, 1});
  }
  void close() {
    const Open done = open_.back();
    open_.pop_back();
    record(done.anchor, done.nodes);
    add(done.nodes);
  }

  std::vector<Open> open_;
  std::vector<size_t> sizes_;  // by anchor number; 1 until known
  int documents_ = 0;
  size_t aliases_ = 0;
  size_t alias_nodes_ = 0;
};

}  // namespace

void check_yaml_limits(std::string_view text) {
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  LimitChecker checker;
  while (parser.HandleNextDocument(checker)) {
  }
}

}  // namespace riskledger
