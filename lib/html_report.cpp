#include "html_report.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "labels.hpp"
#include "text.hpp"

namespace riskledger {

namespace {

// The page's words in both languages.
struct Words {
  const char *title, *rules, *as_of, *points, *overdue, *by_district, *matrix, *by_unit, *top_list,
      *top_list_chosen, *total, *category, *none, *others, *more, *source, *no_column;
};
constexpr Words kEn{"Risk points wall map",
                    "Rules",
                    "As of",
                    "Points",
                    "Overdue",
                    "Points by district, stacked by grade",
                    "Category × grade",
                    "Overdue points by responsible unit",
                    "Grade {} points: reason codes and deadlines",
                    "Grade {} points",
                    "Total",
                    "Category",
                    "None",
                    "Others ({})",
                    "… and {} more: see the ledger",
                    "Ledger",
                    "The ledger has no {} column."};
constexpr Words kZh{"风险点挂图作战图",
                    "规则",
                    "截至",
                    "风险点",
                    "逾期",
                    "各区县风险点（按等级堆叠）",
                    "类别 × 等级",
                    "各责任单位逾期风险点",
                    "{}级风险点：主要因素与销号期限",
                    "{}级风险点",
                    "合计",
                    "类别",
                    "无",
                    "其他（{}个）",
                    "……另有 {} 条，见台账",
                    "台账",
                    "台账中没有{}列。"};

void escape(std::string& out, std::string_view s) {
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\n': out += "<br>"; break;
      case '\r': break;
      default: out += c;
    }
  }
}

std::string esc(std::string_view s) {
  std::string out;
  escape(out, s);
  return out;
}

// Black or white text, whichever reads better on `hex` (relative luminance).
const char* ink_on(const std::string& hex) {
  const auto v = static_cast<unsigned>(std::stoul(hex.substr(1), nullptr, 16));
  const auto channel = [&](unsigned shift) { return static_cast<double>(v >> shift & 0xFFu) / 255.0; };
  const double r = channel(16), g = channel(8), b = channel(0);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 ? "#fff" : "#111";
}

using Group = LedgerCounts::Group;

// The first `max` groups, the rest summed into one named `others`.
std::vector<Group> capped(const std::vector<Group>& groups, size_t max, const Words& w) {
  if (groups.size() <= max) return groups;
  std::vector<Group> out(groups.begin(), groups.begin() + static_cast<std::ptrdiff_t>(max - 1));
  Group rest{fmt::format(fmt::runtime(w.others), groups.size() - (max - 1)),
             std::vector<uint64_t>(groups.front().per_grade.size(), 0), 0};
  for (size_t i = max - 1; i < groups.size(); ++i) {
    for (size_t g = 0; g < rest.per_grade.size(); ++g) rest.per_grade[g] += groups[i].per_grade[g];
    rest.total += groups[i].total;
  }
  out.push_back(std::move(rest));
  return out;
}

// Horizontal bars, one per group, each stacked by grade (highest grade
// first, from the left); the count inside each segment wide enough to hold
// it and the total after the bar.
void stacked_bars(std::string& out, const std::vector<Group>& groups, const std::vector<std::string>& colors,
                  const Rules& rules, const char* chart, double label_width, uint64_t max = 1) {
  constexpr double kWidth = 520, kRow = 22, kBar = 16, kTop = 4;
  const double bar_width = kWidth - label_width - 40;
  for (const auto& g : groups) max = std::max(max, g.total);
  const double height = kTop * 2 + kRow * static_cast<double>(groups.size());
  fmt::format_to(std::back_inserter(out),
                 "<svg class=\"bars\" data-chart=\"{}\" viewBox=\"0 0 {} {}\" width=\"100%\" "
                 "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">\n",
                 chart, kWidth, height);
  for (size_t i = 0; i < groups.size(); ++i) {
    const auto& grp = groups[i];
    const double y = kTop + kRow * static_cast<double>(i);
    fmt::format_to(std::back_inserter(out), "<g class=\"bar\" data-name=\"{}\" data-count=\"{}\">",
                   esc(grp.name), grp.total);
    fmt::format_to(std::back_inserter(out),
                   "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", label_width - 6,
                   y + kBar - 4, esc(grp.name));
    double x = label_width;
    for (size_t g = 0; g < grp.per_grade.size(); ++g) {
      const auto n = grp.per_grade[g];
      if (n == 0) continue;
      const double w = bar_width * static_cast<double>(n) / static_cast<double>(max);
      fmt::format_to(
          std::back_inserter(out),
          "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\" data-grade=\"{}\" "
          "data-count=\"{}\"><title>{} {}: {}</title></rect>",
          x, y, w, kBar, colors[g], esc(rules.grades[g].name), n, esc(grp.name), esc(rules.grades[g].name),
          n);
      if (w >= 8.0 * static_cast<double>(std::to_string(n).size()) + 4)
        fmt::format_to(
            std::back_inserter(out),
            "<text class=\"in\" x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{}</text>",
            x + w / 2, y + kBar - 4, ink_on(colors[g]), n);
      x += w;
    }
    fmt::format_to(std::back_inserter(out), "<text class=\"total\" x=\"{:.1f}\" y=\"{}\">{}</text></g>\n",
                   x + 5, y + kBar - 4, grp.total);
  }
  out += "</svg>\n";
}

// Up to 8 bars in one chart; more in two charts side by side, sharing one scale.
void split_bars(std::string& out, const std::vector<Group>& groups, const std::vector<std::string>& colors,
                const Rules& rules, const char* chart, double label_width) {
  if (groups.size() <= 8) {
    out += "<div class=\"cols\"><div>";
    stacked_bars(out, groups, colors, rules, chart, label_width);
    out += "</div><div></div></div>\n";
    return;
  }
  const auto half = static_cast<std::ptrdiff_t>((groups.size() + 1) / 2);
  out += "<div class=\"cols\"><div>";
  stacked_bars(out, std::vector<Group>(groups.begin(), groups.begin() + half), colors, rules, chart,
               label_width, groups.front().total);
  out += "</div><div>";
  stacked_bars(out, std::vector<Group>(groups.begin() + half, groups.end()), colors, rules, chart,
               label_width, groups.front().total);
  out += "</div></div>\n";
}

// A grade as the page names it: "A", or "A级（重大）" with --lang zh.
std::string grade_name(const Rules& rules, size_t g, Lang lang) {
  return lang == Lang::Zh ? grade_text_zh(rules, g) : rules.grades[g].name;
}

void legend(std::string& out, const Rules& rules, const std::vector<std::string>& colors, Lang lang) {
  out += "<div class=\"legend\">";
  for (size_t g = 0; g < rules.grades.size(); ++g) {
    fmt::format_to(std::back_inserter(out), "<span><i style=\"background:{}\"></i>{}</span>", colors[g],
                   esc(grade_name(rules, g, lang)));
  }
  out += "</div>\n";
}

// "rgba(r,g,b,a)" of a hex colour.
std::string tint(const std::string& hex, double alpha) {
  const auto v = std::stoul(hex.substr(1), nullptr, 16);
  return fmt::format("rgba({},{},{},{:.2f})", v >> 16 & 0xFF, v >> 8 & 0xFF, v & 0xFF, alpha);
}

void category_matrix(std::string& out, const LedgerCounts& counts, const Rules& rules,
                     const std::vector<std::string>& colors, const Words& w, Lang lang) {
  uint64_t max = 1;
  for (const auto& c : counts.categories)
    for (const auto n : c.per_grade) max = std::max(max, n);
  fmt::format_to(std::back_inserter(out), "<table class=\"matrix\">\n<thead><tr><th>{}</th>", w.category);
  for (size_t g = 0; g < rules.grades.size(); ++g)
    fmt::format_to(std::back_inserter(out), "<th style=\"background:{};color:{}\">{}</th>", colors[g],
                   ink_on(colors[g]), esc(grade_name(rules, g, lang)));
  fmt::format_to(std::back_inserter(out), "<th>{}</th></tr></thead>\n<tbody>\n", w.total);
  for (const auto& c : counts.categories) {
    fmt::format_to(std::back_inserter(out), "<tr data-category=\"{}\"><th>{}</th>", esc(c.name), esc(c.name));
    for (size_t g = 0; g < c.per_grade.size(); ++g) {
      const auto n = c.per_grade[g];
      const auto style =
          n == 0
              ? std::string()
              : fmt::format(" style=\"background:{}\"",
                            tint(colors[g], 0.25 + 0.6 * static_cast<double>(n) / static_cast<double>(max)));
      fmt::format_to(std::back_inserter(out), "<td data-grade=\"{}\" data-count=\"{}\"{}>{}</td>",
                     esc(rules.grades[g].name), n, style, n == 0 ? std::string("·") : std::to_string(n));
    }
    fmt::format_to(std::back_inserter(out), "<td class=\"sum\" data-count=\"{}\">{}</td></tr>\n", c.total,
                   c.total);
  }
  fmt::format_to(std::back_inserter(out), "</tbody>\n<tfoot><tr><th>{}</th>", w.total);
  for (size_t g = 0; g < rules.grades.size(); ++g)
    fmt::format_to(std::back_inserter(out), "<td data-grade=\"{}\" data-count=\"{}\">{}</td>",
                   esc(rules.grades[g].name), counts.per_grade[g], counts.per_grade[g]);
  fmt::format_to(std::back_inserter(out),
                 "<td class=\"sum\" data-count=\"{}\">{}</td></tr></tfoot>\n</table>\n", counts.rows,
                 counts.rows);
}

// The rows of the highest grade, in ledger order.
void top_list(std::string& out, const LedgerTable& table, const Rules& rules, Lang lang, const Words& w,
              const std::vector<LedgerColumn>& list) {
  const int grade_col = table.find(LedgerColumn::Grade);
  // The columns shown, those the ledger has: the chosen ones, or a fixed set.
  std::vector<int> shown;
  for (const auto& c : list)
    if (const int at = table.find(c); at >= 0) shown.push_back(at);
  const auto want = [&](LedgerColumn::Kind kind, int field = -1) {
    if (kind == LedgerColumn::Field && field < 0) return;
    const int at = table.find(kind, field);
    if (at >= 0) shown.push_back(at);
  };
  if (list.empty()) {
    want(LedgerColumn::Rank);
    want(LedgerColumn::Field, rules.id_field);
    want(LedgerColumn::Field, rules.find_field("title"));
    want(LedgerColumn::Field, rules.category_field);
    want(LedgerColumn::Field, rules.find_field("district"));
    want(LedgerColumn::Field, rules.find_field("responsible_unit"));
    want(LedgerColumn::Score);
    want(LedgerColumn::TopFactors);
    want(LedgerColumn::DecidedBy);
    want(LedgerColumn::Deadline);
    want(LedgerColumn::Overdue);
  }
  out += "<table class=\"list\">\n<thead><tr>";
  for (const int c : shown) {
    const auto& column = table.columns[static_cast<size_t>(c)];
    fmt::format_to(std::back_inserter(out), "<th class=\"c-{}\">{}</th>", esc(column.name),
                   esc(column_header(column, rules, lang)));
  }
  out += "</tr></thead>\n<tbody>\n";
  uint64_t listed = 0, top = 0;
  table.each([&](const RawRows& chunk, size_t r) {
    if (grade_of_cell(rules, chunk.cell(r, static_cast<size_t>(grade_col))) != 0) return;
    if (++top > kReportMaxListed) return;
    ++listed;
    const bool late = table.find(LedgerColumn::Overdue) >= 0 &&
                      overdue_of_cell(chunk.cell(r, static_cast<size_t>(table.find(LedgerColumn::Overdue))));
    fmt::format_to(std::back_inserter(out), "<tr class=\"top{}\">", late ? " late" : "");
    for (const int c : shown) {
      const auto& column = table.columns[static_cast<size_t>(c)];
      auto cell = std::string(trim(chunk.cell(r, static_cast<size_t>(c))));
      if (column.kind == LedgerColumn::Field && column.index == rules.category_field) {
        const int v = enum_of_cell(rules, rules.category_field, cell);
        if (v >= 0) {
          const auto& ev =
              rules.fields[static_cast<size_t>(rules.category_field)].values[static_cast<size_t>(v)];
          cell = lang == Lang::Zh && !ev.label.empty() ? ev.label : ev.code;
        }
      }
      if (column.kind == LedgerColumn::Grade) {
        if (const int g = grade_of_cell(rules, cell); g >= 0)
          cell = grade_name(rules, static_cast<size_t>(g), lang);
      }
      if (column.kind == LedgerColumn::Overdue)
        cell = overdue_of_cell(cell) ? (lang == Lang::Zh ? "是" : "yes") : (lang == Lang::Zh ? "否" : "no");
      fmt::format_to(std::back_inserter(out), "<td class=\"c-{}\">{}</td>", esc(column.name), esc(cell));
    }
    out += "</tr>\n";
  });
  if (top == 0)
    fmt::format_to(std::back_inserter(out), "<tr><td colspan=\"{}\">{}</td></tr>\n", shown.size(), w.none);
  out += "</tbody>\n</table>\n";
  if (top > listed)
    fmt::format_to(std::back_inserter(out), "<p class=\"note\">{}</p>\n",
                   fmt::format(fmt::runtime(w.more), top - listed));
}

constexpr const char* kStyle = R"(
@page { size: A4 landscape; margin: 8mm; }
* { box-sizing: border-box; }
body { margin: 0; padding: 12px 16px; color: #1a1a1a; background: #fff;
  -webkit-print-color-adjust: exact; print-color-adjust: exact;
  font: 13px/1.45 "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
header { display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between;
  border-bottom: 3px solid #b71c1c; padding-bottom: 6px; margin-bottom: 10px; }
h1 { font-size: 22px; margin: 0; letter-spacing: 1px; }
.meta { color: #555; margin-top: 2px; }
.kpis { display: flex; gap: 8px; }
.kpi { min-width: 72px; padding: 4px 10px; border-radius: 4px; background: #f1f1f1; text-align: center; }
.kpi b { display: block; font-size: 20px; line-height: 1.2; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 10px 18px; }
section { break-inside: avoid; page-break-inside: avoid; }
section.wide { grid-column: 1 / -1; }
h2 { font-size: 14px; margin: 4px 0 4px; padding-left: 6px; border-left: 4px solid #b71c1c; }
svg.bars text { font-size: 11px; fill: #222; }
svg.bars text.in { font-weight: bold; }
.legend { display: flex; gap: 12px; font-size: 12px; margin-bottom: 2px; }
.legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: 2px 6px; }
table.matrix td { text-align: right; min-width: 48px; }
table.matrix th { text-align: left; }
table.matrix thead th, table.matrix tfoot th { text-align: center; }
table.matrix .sum, table.matrix tfoot td { font-weight: bold; }
table.list { font-size: 11.5px; }
table.list thead th { background: #eee; white-space: nowrap; }
table.list td.c-score, table.list td.c-rank { text-align: right; white-space: nowrap; }
table.list td.c-deadline, table.list td.c-id, table.list td.c-category, table.list td.c-district { white-space: nowrap; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
table.list tr.late td.c-deadline, table.list tr.late td.c-overdue { color: #b71c1c; font-weight: bold; }
p.empty, p.note { color: #666; margin: 4px 0; }
@media print { body { padding: 0; } .grid { gap: 6px 14px; } }
)";

}  // namespace

std::string render_html_report(const LedgerTable& table, const Rules& rules, Lang lang, Day as_of,
                               const std::vector<LedgerColumn>& list) {
  const auto& w = lang == Lang::Zh ? kZh : kEn;
  const auto counts = count_ledger(table, rules, lang);
  std::vector<std::string> colors;
  for (size_t g = 0; g < rules.grades.size(); ++g) colors.push_back(grade_color_hex(rules, g));
  const auto column_name = [&](const char* field) {
    const int f = rules.find_field(field);
    if (f < 0) return std::string(field);
    return column_header({LedgerColumn::Field, f, field}, rules, lang);
  };

  std::string out;
  // 1. Head: title, rules, as-of date and the counts.
  fmt::format_to(std::back_inserter(out),
                 "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<title>{} · {}</title>\n<style>{}</style>\n</head>\n<body>\n",
                 lang == Lang::Zh ? "zh-CN" : "en", w.title, format_date(as_of), kStyle);
  fmt::format_to(std::back_inserter(out),
                 "<header>\n<div><h1>{}</h1>\n<div class=\"meta\">{} <b id=\"rules\">{} {}</b> · {} "
                 "<b id=\"as-of\">{}</b> · {} {}</div></div>\n<div class=\"kpis\">\n",
                 w.title, w.rules, esc(rules.name), esc(rules.version), w.as_of, format_date(as_of), w.source,
                 esc(table.source));
  fmt::format_to(std::back_inserter(out),
                 "<div class=\"kpi\" id=\"count-points\" data-count=\"{}\"><b>{}</b>{}</div>\n", counts.rows,
                 counts.rows, w.points);
  for (size_t g = 0; g < rules.grades.size(); ++g) {
    const auto& grade = rules.grades[g];
    fmt::format_to(
        std::back_inserter(out),
        "<div class=\"kpi grade\" data-grade=\"{}\" data-count=\"{}\" style=\"background:{};color:{}\">"
        "<b>{}</b>{}</div>\n",
        esc(grade.name), counts.per_grade[g], colors[g], ink_on(colors[g]), counts.per_grade[g],
        esc(grade_name(rules, g, lang)));
  }
  if (counts.has_overdue)
    fmt::format_to(std::back_inserter(out),
                   "<div class=\"kpi\" id=\"count-overdue\" data-count=\"{}\"><b>{}</b>{}</div>\n",
                   counts.overdue, counts.overdue, w.overdue);
  out += "</div>\n</header>\n<div class=\"grid\">\n";

  // 2. Points by district, stacked by grade.
  fmt::format_to(std::back_inserter(out), "<section id=\"by-district\">\n<h2>{}</h2>\n", w.by_district);
  if (counts.has_district) {
    legend(out, rules, colors, lang);
    stacked_bars(out, capped(counts.districts, kReportMaxBars, w), colors, rules, "district", 110);
  } else {
    fmt::format_to(std::back_inserter(out), "<p class=\"empty\">{}</p>\n",
                   fmt::format(fmt::runtime(w.no_column), column_name("district")));
  }
  out += "</section>\n";

  // 3. Category x grade.
  fmt::format_to(std::back_inserter(out), "<section id=\"matrix\">\n<h2>{}</h2>\n", w.matrix);
  if (counts.has_category)
    category_matrix(out, counts, rules, colors, w, lang);
  else
    fmt::format_to(std::back_inserter(out), "<p class=\"empty\">{}</p>\n",
                   fmt::format(fmt::runtime(w.no_column), column_name("category")));

  out += "</section>\n";

  // 4. Overdue points by responsible unit, across the page in two columns
  //    when there are many units.
  fmt::format_to(std::back_inserter(out), "<section id=\"by-unit\" class=\"wide\">\n<h2>{}</h2>\n",
                 w.by_unit);
  if (!counts.has_overdue || !counts.has_unit)
    fmt::format_to(
        std::back_inserter(out), "<p class=\"empty\">{}</p>\n",
        fmt::format(fmt::runtime(w.no_column),
                    !counts.has_overdue ? column_header({LedgerColumn::Overdue, -1, "overdue"}, rules, lang)
                                        : column_name("responsible_unit")));
  else if (counts.overdue_units.empty())
    fmt::format_to(std::back_inserter(out), "<p class=\"empty\">{}</p>\n", w.none);
  else
    split_bars(out, capped(counts.overdue_units, kReportMaxBars, w), colors, rules, "unit", 200);
  out += "</section>\n";

  // 5. The highest grade's points.
  fmt::format_to(std::back_inserter(out), "<section id=\"top-list\" class=\"wide\">\n<h2>{}</h2>\n",
                 fmt::format(fmt::runtime(list.empty() ? w.top_list : w.top_list_chosen),
                             esc(rules.grades.front().name)));
  top_list(out, table, rules, lang, w, list);
  out += "</section>\n</div>\n</body>\n</html>\n";
  return out;
}

}  // namespace riskledger
