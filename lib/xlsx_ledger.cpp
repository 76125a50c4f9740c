#include "xlsx_ledger.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <xlsxwriter.h>

#include "error.hpp"
#include "labels.hpp"
#include "text.hpp"

namespace riskledger {

size_t display_width(std::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    len = std::min(len, text.size() - i);
    uint32_t cp = len == 1 ? c : (c & (0xFFu >> (len + 1)));
    for (size_t k = 1; k < len; ++k) cp = cp << 6 | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
    // East Asian wide: Hangul Jamo, CJK radicals to Yi, Hangul, CJK
    // compatibility, full-width forms, and the supplementary ideographs.
    const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    width += wide ? 2 : 1;
    i += len;
  }
  return width;
}

namespace {

lxw_color_t to_lxw_color(const std::string& hex) {
  return static_cast<lxw_color_t>(std::stoul(hex.substr(1), nullptr, 16));
}

// A workbook written to a temporary file, removed when done.
class Workbook {
 public:
  explicit Workbook(std::string path) : path_(std::move(path)) {
    book_ = workbook_new(path_.c_str());
    if (book_ == nullptr) throw InputError(fmt::format("cannot create workbook {}", path_));
  }
  ~Workbook() {
    if (book_ != nullptr) workbook_close(book_);
    std::remove(path_.c_str());
  }
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;
  lxw_workbook* get() { return book_; }
  std::string close_and_read() {
    const lxw_error err = workbook_close(book_);
    book_ = nullptr;
    if (err != LXW_NO_ERROR)
      throw InputError(fmt::format("cannot write the workbook: {}", lxw_strerror(err)));
    std::ifstream in(path_, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) throw InputError(fmt::format("cannot read back the workbook {}", path_));
    return std::move(bytes).str();
  }

 private:
  std::string path_;
  lxw_workbook* book_ = nullptr;
};

std::string temp_path() {
  auto dir = std::filesystem::temp_directory_path().string();
  std::string path = dir + "/riskledger-XXXXXX.xlsx";
  const int fd = mkstemps(path.data(), 5);
  if (fd < 0) throw InputError(fmt::format("cannot create a temporary file in {}", dir));
  close(fd);
  return path;
}

struct Formats {
  lxw_format* header = nullptr;
  lxw_format* title = nullptr;
  lxw_format* score = nullptr;
  lxw_format* date = nullptr;
  lxw_format* integer = nullptr;
  std::vector<lxw_format*> grade;
};

Formats make_formats(lxw_workbook* book, const Rules& rules) {
  Formats f;
  f.header = workbook_add_format(book);
  format_set_bold(f.header);
  format_set_bg_color(f.header, 0xE0E0E0);
  format_set_bottom(f.header, LXW_BORDER_THIN);
  f.title = workbook_add_format(book);
  format_set_bold(f.title);
  format_set_font_size(f.title, 14);
  f.score = workbook_add_format(book);
  const std::string decimals =
      rules.precision > 0 ? "0." + std::string(static_cast<size_t>(rules.precision), '0') : "0";
  format_set_num_format(f.score, decimals.c_str());
  f.date = workbook_add_format(book);
  format_set_num_format(f.date, "yyyy-mm-dd");
  f.integer = workbook_add_format(book);
  format_set_num_format(f.integer, "0");
  for (size_t g = 0; g < rules.grades.size(); ++g) {
    auto* fmt = workbook_add_format(book);
    format_set_bold(fmt);
    format_set_align(fmt, LXW_ALIGN_CENTER);
    format_set_pattern(fmt, LXW_PATTERN_SOLID);
    format_set_bg_color(fmt, to_lxw_color(grade_color_hex(rules, g)));
    f.grade.push_back(fmt);
  }
  return f;
}

lxw_datetime excel_date(Day d) {
  const auto c = civil_from_days(d);
  return {c.year, static_cast<int>(c.month), static_cast<int>(c.day), 0, 0, 0.0};
}

void check(lxw_error err, std::string_view sheet) {
  if (err != LXW_NO_ERROR) throw InputError(fmt::format("workbook sheet {}: {}", sheet, lxw_strerror(err)));
}

// One data sheet: the header, then the rows `keep` accepts.
class DataSheet {
 public:
  DataSheet(lxw_workbook* book, const std::string& name, const LedgerTable& table, const Rules& rules,
            const Formats& formats)
      : name_(name), table_(table), rules_(rules), formats_(formats) {
    sheet_ = workbook_add_worksheet(book, name.c_str());
    widths_.resize(table.header.size());
    for (size_t c = 0; c < table.header.size(); ++c) {
      check(worksheet_write_string(sheet_, 0, col(c), table.header[c].c_str(), formats.header), name_);
      widths_[c] = display_width(table.header[c]);
    }
  }

  void add(const RawRows& chunk, size_t r, int grade) {
    ++rows_;
    const auto row = static_cast<lxw_row_t>(rows_);
    for (size_t c = 0; c < table_.columns.size(); ++c) {
      const auto cell = chunk.cell(r, c);
      if (cell.empty()) continue;
      widths_[c] = std::max(widths_[c], display_width(cell));
      write(row, c, cell, grade);
    }
  }

  void finish() {
    const auto last_col = static_cast<lxw_col_t>(table_.header.empty() ? 0 : table_.header.size() - 1);
    worksheet_freeze_panes(sheet_, 1, 0);
    check(worksheet_autofilter(sheet_, 0, 0, static_cast<lxw_row_t>(rows_), last_col), name_);
    for (size_t c = 0; c < widths_.size(); ++c)
      check(worksheet_set_column(sheet_, col(c), col(c),
                                 static_cast<double>(std::min<size_t>(widths_[c], 60) + 2), nullptr),
            name_);
    worksheet_set_landscape(sheet_);
    worksheet_set_paper(sheet_, 9);  // A4
  }

 private:
  static lxw_col_t col(size_t c) { return static_cast<lxw_col_t>(c); }

  void write(lxw_row_t row, size_t c, std::string_view cell, int grade) {
    const auto& column = table_.columns[c];
    const auto number = [&](lxw_format* f) {
      if (const auto v = parse_number(cell)) {
        check(worksheet_write_number(sheet_, row, col(c), *v, f), name_);
        return true;
      }
      return false;
    };
    const auto date = [&] {
      if (const auto d = parse_date(cell)) {
        auto dt = excel_date(*d);
        check(worksheet_write_datetime(sheet_, row, col(c), &dt, formats_.date), name_);
        return true;
      }
      return false;
    };
    bool done = false;
    switch (column.kind) {
      case LedgerColumn::Rank: done = number(formats_.integer); break;
      case LedgerColumn::Score: done = number(formats_.score); break;
      case LedgerColumn::Deadline: done = date(); break;
      case LedgerColumn::Grade:
        if (grade >= 0) {
          check(worksheet_write_string(sheet_, row, col(c), std::string(cell).c_str(),
                                       formats_.grade[static_cast<size_t>(grade)]),
                name_);
          done = true;
        }
        break;
      case LedgerColumn::Field: {
        const auto type = rules_.fields[static_cast<size_t>(column.index)].type;
        if (type == FieldType::Date) done = date();
        if (type == FieldType::Integer || type == FieldType::Number) done = number(nullptr);
        break;
      }
      default: break;
    }
    if (!done) check(worksheet_write_string(sheet_, row, col(c), std::string(cell).c_str(), nullptr), name_);
  }

  std::string name_;
  const LedgerTable& table_;
  const Rules& rules_;
  const Formats& formats_;
  lxw_worksheet* sheet_ = nullptr;
  std::vector<size_t> widths_;
  uint64_t rows_ = 0;
};

// Summary: what the ledger is (rules, as-of), how many points of each grade
// and how many overdue, then category x grade.
void write_summary(lxw_worksheet* sheet, const LedgerCounts& counts, const Rules& rules, Lang lang, Day as_of,
                   const Formats& formats) {
  const bool zh = lang == Lang::Zh;
  lxw_row_t row = 0;
  const auto text = [&](lxw_row_t r, size_t c, const std::string& s, lxw_format* f = nullptr) {
    check(worksheet_write_string(sheet, r, static_cast<lxw_col_t>(c), s.c_str(), f), "Summary");
  };
  const auto num = [&](lxw_row_t r, size_t c, uint64_t v) {
    check(
        worksheet_write_number(sheet, r, static_cast<lxw_col_t>(c), static_cast<double>(v), formats.integer),
        "Summary");
  };
  text(row++, 0, zh ? "风险台账汇总" : "Risk ledger summary", formats.title);
  text(row, 0, zh ? "规则" : "Rules");
  text(row++, 1, rules.name + " " + rules.version);
  text(row, 0, zh ? "截至日期" : "As of");
  auto dt = excel_date(as_of);
  check(worksheet_write_datetime(sheet, row++, 1, &dt, formats.date), "Summary");
  text(row, 0, zh ? "风险点总数" : "Points");
  num(row++, 1, counts.rows);
  if (counts.has_overdue) {
    text(row, 0, zh ? "逾期" : "Overdue");
    num(row++, 1, counts.overdue);
  }
  ++row;
  text(row, 0, zh ? "等级" : "Grade", formats.header);
  text(row, 1, zh ? "名称" : "Label", formats.header);
  text(row++, 2, zh ? "数量" : "Points", formats.header);
  for (size_t g = 0; g < rules.grades.size(); ++g) {
    text(row, 0, zh ? grade_text_zh(rules, g) : rules.grades[g].name, formats.grade[g]);
    text(row, 1, rules.grades[g].label);
    num(row++, 2, counts.per_grade[g]);
  }
  if (counts.has_category) {
    ++row;
    text(row, 0, zh ? "类别" : "Category", formats.header);
    for (size_t g = 0; g < rules.grades.size(); ++g)
      text(row, 1 + g, zh ? grade_text_zh(rules, g) : rules.grades[g].name, formats.grade[g]);
    text(row++, 1 + rules.grades.size(), zh ? "合计" : "Total", formats.header);
    for (const auto& cat : counts.categories) {
      text(row, 0, cat.name);
      for (size_t g = 0; g < cat.per_grade.size(); ++g) num(row, 1 + g, cat.per_grade[g]);
      num(row++, 1 + cat.per_grade.size(), cat.total);
    }
  }
  check(worksheet_set_column(sheet, 0, 0, 20, nullptr), "Summary");
  check(worksheet_set_column(sheet, 1, static_cast<lxw_col_t>(rules.grades.size() + 1), 14, nullptr),
        "Summary");
}

}  // namespace

void write_xlsx_ledger(const LedgerTable& table, const Rules& rules, Lang lang, Day as_of,
                       const std::function<void(std::string_view)>& sink) {
  if (table.rows > kXlsxMaxRows)
    throw InputError(fmt::format("xlsx: the ledger has {} rows; an Excel sheet holds at most {} (use csv)",
                                 table.rows, kXlsxMaxRows));
  const bool zh = lang == Lang::Zh;
  const auto counts = count_ledger(table, rules, lang);
  const int grade_col = table.find(LedgerColumn::Grade);

  Workbook book(temp_path());
  const auto formats = make_formats(book.get(), rules);
  auto* summary = workbook_add_worksheet(book.get(), zh ? "汇总" : "Summary");
  DataSheet all(book.get(), zh ? "全部" : "All", table, rules, formats);
  std::vector<std::unique_ptr<DataSheet>> per_grade;
  for (const auto& g : rules.grades)
    per_grade.push_back(
        std::make_unique<DataSheet>(book.get(), zh ? g.name + "级" : g.name, table, rules, formats));
  table.each([&](const RawRows& chunk, size_t r) {
    const int g = grade_of_cell(rules, chunk.cell(r, static_cast<size_t>(grade_col)));
    all.add(chunk, r, g);
    if (g >= 0) per_grade[static_cast<size_t>(g)]->add(chunk, r, g);
  });
  all.finish();
  for (auto& sheet : per_grade) sheet->finish();
  write_summary(summary, counts, rules, lang, as_of, formats);
  sink(book.close_and_read());
}

}  // namespace riskledger
