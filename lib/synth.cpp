#include "synth.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "dates.hpp"
#include "error.hpp"
#include "files.hpp"
#include "text.hpp"

namespace riskledger {

namespace {

// ---------------------------------------------------------------------------
// Randomness: splitmix64, integer arithmetic only, so the bytes are the same
// on every machine and with every standard library (no <random>
// distributions, whose results are implementation-defined).

constexpr uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t state) : state_(state) {}
  uint64_t next() { return mix64(state_ += 0x9E3779B97F4A7C15ULL); }
  // Uniform in [0, n) for n < 2^32 (multiply-shift on the high 32 bits).
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(((next() >> 32) * n) >> 32); }
  // Uniform in [lo, hi].
  uint32_t between(uint32_t lo, uint32_t hi) { return lo + below(hi - lo + 1); }
  // True with probability per_mille / 1000.
  bool chance(uint32_t per_mille) { return below(1000) < per_mille; }
  template <typename T, size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(static_cast<uint32_t>(N))];
  }

 private:
  uint64_t state_;
};

// An item with an integer weight; weighted() picks one in proportion.
template <typename T>
struct Weighted {
  T value;
  uint32_t weight;
};

template <typename T, size_t N>
const T& weighted(Rng& rng, const std::array<Weighted<T>, N>& items) {
  uint32_t total = 0;
  for (const auto& item : items) total += item.weight;
  uint32_t x = rng.below(total);
  for (const auto& item : items) {
    if (x < item.weight) return item.value;
    x -= item.weight;
  }
  return items.back().value;
}

// ---------------------------------------------------------------------------
// Vocabulary. Nothing here holds an ASCII comma or double quote: the only
// fields that need CSV quoting are the titles and remarks made so on purpose.

using SV = std::string_view;

constexpr std::array<std::string_view, 21> kColumns = {"id",
                                                       "title",
                                                       "category",
                                                       "subtype",
                                                       "district",
                                                       "township",
                                                       "village",
                                                       "grid",
                                                       "responsible_unit",
                                                       "responsible_person",
                                                       "found_on",
                                                       "status",
                                                       "severity",
                                                       "likelihood",
                                                       "urgency",
                                                       "people_involved",
                                                       "trend",
                                                       "opinion_heat",
                                                       "casualties",
                                                       "economic_loss",
                                                       "remark"};

struct District {
  SV name;
  std::array<SV, 6> townships;  // trailing empties unused
  uint32_t count;
};

// Guiyang's districts, counties and county-level city, with some of their
// townships and subdistricts.
constexpr std::array<Weighted<District>, 10> kDistricts = {{
    {{"南明区", {"花果园街道", "太慈桥街道", "中曹司街道", "遵义路街道", "后巢乡", "云关乡"}, 6}, 16},
    {{"云岩区", {"中华路街道", "北京路街道", "黔灵镇", "普陀路街道", "金关街道"}, 5}, 16},
    {{"观山湖区", {"金华园街道", "世纪城街道", "朱昌镇", "百花湖镇", "长岭街道"}, 5}, 13},
    {{"花溪区", {"贵筑街道", "青岩镇", "石板镇", "党武镇", "久安乡", "溪北街道"}, 6}, 12},
    {{"白云区", {"大山洞街道", "艳山红镇", "沙文镇", "都拉布依族乡", "泉湖街道"}, 5}, 10},
    {{"乌当区", {"新天街道", "东风镇", "水田镇", "羊昌镇", "新场镇"}, 5}, 9},
    {{"清镇市", {"红枫湖镇", "站街镇", "卫城镇", "新店镇", "巢凤街道"}, 5}, 8},
    {{"修文县", {"龙场街道", "扎佐街道", "六屯镇", "久长街道"}, 4}, 6},
    {{"息烽县", {"永靖镇", "小寨坝镇", "九庄镇", "温泉镇"}, 4}, 5},
    {{"开阳县", {"城关镇", "双流镇", "南江乡", "龙岗镇"}, 4}, 5},
}};

constexpr std::array<SV, 24> kVillageHeads = {"新华", "青山", "红岩", "金桥", "阳光", "和平", "团结", "幸福",
                                              "龙井", "柏杨", "石头", "松林", "大寨", "枫林", "翠湖", "桂花",
                                              "黔春", "水口", "高坡", "茶园", "杉木", "兴隆", "太平", "花桥"};
constexpr std::array<SV, 4> kVillageTails = {"村", "社区", "村", "居委会"};
constexpr std::array<SV, 12> kEstates = {"阳光花园小区", "金桥苑小区", "翠湖小区",   "幸福里小区",
                                         "林城佳苑",     "锦绣华庭",   "滨河湾小区", "云锦小区",
                                         "某安置小区",   "某老旧小区", "花果园某栋", "未来方舟某组团"};
constexpr std::array<SV, 12> kRoads = {"中华北路", "遵义路",   "宝山北路", "花溪大道", "甲秀南路", "北京路",
                                       "黔灵西路", "金阳南路", "林城西路", "贵黄公路", "机场路",   "兴筑路"};
constexpr std::array<SV, 6> kSites = {"某建筑工地", "某房地产项目工地", "某道路改造工地",
                                      "某物流园",   "某商砼站",         "某棚改项目工地"};
constexpr std::array<SV, 7> kCompanies = {"某建筑公司", "某劳务公司", "某餐饮公司", "某物业公司",
                                          "某装饰公司", "某运输公司", "某科技公司"};
// Common surnames, a few of them twice (杨, 吴, 罗 are frequent in Guizhou).
constexpr std::array<SV, 30> kSurnames = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                          "徐", "孙", "马", "朱", "胡", "郭", "何", "罗", "高", "林",
                                          "龙", "潘", "田", "杜", "蒙", "韦", "杨", "吴", "石", "罗"};
constexpr std::array<SV, 32> kGiven = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇",
                                       "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平", "刚", "桂",
                                       "英", "华", "红", "兰", "飞", "鹏", "辉", "燕", "文", "梅"};

// A title pattern: placeholders {D} district, {W} township, {V} village,
// {E} estate, {R} and {S} two different roads, {T} site, {C} company,
// {N} a number. The responsible units use the same placeholders.
struct TitleTemplate {
  SV subtype;
  SV title;
  std::array<SV, 3> units;  // trailing empties unused
};

constexpr TitleTemplate kPolitical[] = {
    {"邪教渗透", "{V}发现邪教宣传品", {"{D}委政法委", "{D}公安分局国保大队", "{W}综治中心"}},
    {"邪教渗透", "{E}邪教人员串联活动线索", {"{D}公安分局国保大队", "{D}委政法委"}},
    {"邪教渗透", "{V}邪教组织拉拢村民线索", {"{D}委政法委", "{W}综治中心"}},
    {"非法宗教", "{V}非法宗教聚会点", {"{D}民族宗教事务局", "{W}综治中心"}},
    {"非法宗教", "{V}私设宗教活动场所", {"{D}民族宗教事务局"}},
    {"境外渗透", "某境外组织在{D}活动线索", {"{D}公安分局国保大队"}},
    {"意识形态", "{R}某培训机构散布不当言论", {"{D}委宣传部", "{D}教育局"}},
};
constexpr TitleTemplate kPublicOrder[] = {
    {"电信网络诈骗", "{V}多名村民遭遇冒充客服诈骗", {"{D}公安分局反诈中心", "{W}派出所"}},
    {"电信网络诈骗", "{E}老年人保健品诈骗线索", {"{W}派出所", "{D}市场监督管理局"}},
    {"电信网络诈骗", "{W}冒充公检法诈骗案件多发", {"{D}公安分局反诈中心"}},
    {"电信网络诈骗", "{V}出租出借银行卡线索", {"{D}公安分局反诈中心", "{W}派出所"}},
    {"盗窃", "{E}入室盗窃多发", {"{W}派出所"}},
    {"盗窃", "{R}沿街商铺夜间盗窃", {"{W}派出所"}},
    {"盗窃", "{E}电动车盗窃多发", {"{W}派出所"}},
    {"黑恶势力", "{R}农贸市场强揽生意线索", {"{D}公安分局刑侦大队", "{D}委政法委"}},
    {"黑恶势力", "{T}土石方强买强卖线索", {"{D}公安分局刑侦大队"}},
    {"涉毒", "某出租屋疑似吸毒人员聚集", {"{D}公安分局禁毒大队", "{W}派出所"}},
    {"涉毒", "{V}社区戒毒人员脱管", {"{W}派出所", "{W}综治中心"}},
    {"黄赌", "{V}某棋牌室涉嫌聚众赌博", {"{W}派出所"}},
    {"治安秩序", "{R}夜市酒后滋事", {"{W}派出所"}},
    {"治安秩序", "{E}群租房治安隐患", {"{W}派出所", "{W}综治中心"}},
};
constexpr TitleTemplate kSocialConflict[] = {
    {"征地拆迁", "{R}片区征地拆迁补偿纠纷", {"{W}综治中心", "{D}自然资源局", "{D}住房城乡建设局"}},
    {"征地拆迁", "{V}征地补偿款分配矛盾", {"{W}综治中心", "{D}自然资源局"}},
    {"征地拆迁", "{W}棚户区改造拆迁户安置诉求", {"{D}住房城乡建设局", "{W}综治中心"}},
    {"劳资纠纷", "{T}农民工讨薪", {"{D}人力资源和社会保障局", "{W}综治中心"}},
    {"劳资纠纷", "{C}拖欠{N}名工人工资", {"{D}人力资源和社会保障局", "{D}劳动保障监察大队"}},
    {"劳资纠纷", "{C}年底欠薪集中讨要", {"{D}人力资源和社会保障局", "{W}综治中心"}},
    {"物业纠纷", "{E}物业费纠纷", {"{W}综治中心", "{D}住房城乡建设局"}},
    {"物业纠纷", "{E}业主与物业公司停车位纠纷", {"{W}综治中心"}},
    {"邻里纠纷", "{V}邻里宅基地边界纠纷", {"{W}司法所", "{V}人民调解委员会"}},
    {"邻里纠纷", "{E}楼上楼下噪音纠纷", {"{W}司法所", "{V}人民调解委员会"}},
    {"家庭纠纷", "{V}某户赡养老人家庭纠纷", {"{W}司法所", "{W}妇联"}},
    {"家庭纠纷", "{E}某户婚姻家庭矛盾", {"{W}司法所", "{W}妇联"}},
    {"涉法涉诉", "{V}土地承包经营权涉诉信访", {"{D}信访局", "{W}综治中心"}},
    {"土地纠纷", "{V}林地权属纠纷", {"{W}综治中心", "{D}自然资源局"}},
    {"房地产纠纷", "{E}逾期交房业主维权", {"{D}住房城乡建设局", "{W}综治中心"}},
};
constexpr TitleTemplate kPublicSafety[] = {
    {"道路交通", "{R}急弯路段事故多发", {"{D}公安分局交警大队", "{D}交通运输局"}},
    {"道路交通", "{R}与{S}交叉口信号灯故障", {"{D}公安分局交警大队"}},
    {"道路交通", "{R}货车超载超限通行", {"{D}公安分局交警大队", "{D}交通运输局"}},
    {"道路交通", "{V}农村客运面包车超员", {"{D}交通运输局", "{W}派出所"}},
    {"消防安全", "{E}消防通道堵塞", {"{D}消防救援大队", "{W}综治中心"}},
    {"消防安全", "{E}电动车楼道违规充电", {"{D}消防救援大队", "{W}综治中心"}},
    {"消防安全", "{R}沿街九小场所消防隐患", {"{D}消防救援大队"}},
    {"危险化学品", "某加油站储油罐渗漏隐患", {"{D}应急管理局"}},
    {"危险化学品", "某化工企业危化品仓库超量储存", {"{D}应急管理局"}},
    {"危险化学品", "{R}危化品运输车辆违规停放", {"{D}应急管理局", "{D}公安分局交警大队"}},
    {"安全生产", "{T}高处作业安全隐患", {"{D}应急管理局", "{D}住房城乡建设局"}},
    {"安全生产", "{T}深基坑支护隐患", {"{D}住房城乡建设局"}},
    {"安全生产", "{C}有限空间作业隐患", {"{D}应急管理局"}},
    {"食品药品", "{V}小学食堂食品安全隐患", {"{D}市场监督管理局", "{D}教育局"}},
    {"食品药品", "某药店销售过期药品", {"{D}市场监督管理局"}},
    {"食品药品", "{R}夜市无证餐饮摊点", {"{D}市场监督管理局"}},
    {"地质灾害", "{V}滑坡隐患点", {"{D}自然资源局", "{W}综治中心"}},
    {"地质灾害", "{V}危岩崩塌隐患", {"{D}自然资源局"}},
    {"自建房安全", "{V}经营性自建房结构隐患", {"{D}住房城乡建设局"}},
    {"燃气安全", "{E}老旧燃气管道腐蚀", {"{D}住房城乡建设局", "{D}应急管理局"}},
};
constexpr TitleTemplate kCyber[] = {
    {"网络舆情", "{E}电梯故障网络舆情", {"{D}委网信办"}},
    {"网络舆情", "{D}某学校食堂视频网络发酵", {"{D}委网信办", "{D}教育局"}},
    {"网络舆情", "{R}交通事故视频网络热传", {"{D}委网信办"}},
    {"网络舆情", "{T}欠薪视频网络发酵", {"{D}委网信办", "{D}人力资源和社会保障局"}},
    {"有害信息", "某微信群传播{R}拆迁谣言", {"{D}委网信办", "{D}公安分局网安大队"}},
    {"有害信息", "某短视频账号发布{D}不实信息", {"{D}委网信办"}},
    {"网络诈骗", "某刷单返利诈骗群组", {"{D}公安分局网安大队", "{D}公安分局反诈中心"}},
    {"网络诈骗", "{V}村民遭遇网络贷款诈骗", {"{D}公安分局反诈中心"}},
    {"网络诈骗", "某虚假投资理财APP", {"{D}公安分局网安大队"}},
    {"数据安全", "{C}客户信息泄露", {"{D}公安分局网安大队", "{D}委网信办"}},
};

struct Category {
  SV code;
  std::span<const TitleTemplate> titles;
  uint32_t opinion_per_mille;   // chance that opinion_heat is recorded
  uint32_t casualty_per_mille;  // chance of casualties > 0 (when recorded)
  uint32_t loss_per_mille;      // chance that economic_loss is recorded
  bool opinion_high;            // opinion heat skewed high (cyber) or low
};

constexpr std::array<Weighted<Category>, 5> kCategories = {{
    {{"social_conflict", kSocialConflict, 600, 5, 350, false}, 34},
    {{"public_safety", kPublicSafety, 300, 100, 700, false}, 25},
    {{"public_order", kPublicOrder, 300, 30, 450, false}, 20},
    {{"cyber_security", kCyber, 900, 2, 300, true}, 13},
    {{"political_security", kPolitical, 600, 2, 100, false}, 8},
}};

constexpr std::array<SV, 5> kChineseTails = {"，涉及{N}户", "（第{N}次反映）", "，已多次调解未果",
                                             "，群众反映强烈", "，待核实"};
// ASCII commas: the CSV writer must quote these titles.
constexpr std::array<SV, 3> kCommaTails = {",涉及{N}户", ", 已多次调解", ",群众反映强烈"};

constexpr std::array<SV, 14> kRemarks = {
    "网格员走访发现",   "群众来电反映",   "12345热线转办", "上级交办",       "联合执法检查发现",
    "已约谈相关负责人", "已列入重点管控", "已召开协调会",  "当事人情绪激动", "已移交相关部门",
    "持续跟踪",         "已现场处置",     "信访件转办",    "网格员排查上报"};
// Remarks with an ASCII comma or double quotes.
constexpr std::array<SV, 4> kQuotedRemarks = {"已上报, 待核实", "群众称\"多次反映无果\"",
                                              "涉及金额约30万元, 已报案", "当事人表示\"不解决就上访\""};

constexpr std::array<Weighted<uint32_t>, 5> kLevels = {{{1, 14}, {2, 32}, {3, 31}, {4, 16}, {5, 7}}};
constexpr std::array<Weighted<SV>, 4> kTrends = {{{"", 18}, {"rising", 25}, {"stable", 42}, {"easing", 15}}};
// Status by the point's age on 2026-11-25: the older, the more often it has
// been resolved or closed.
constexpr std::array<Weighted<SV>, 4> kStatusNew = {
    {{"open", 65}, {"handling", 30}, {"resolved", 4}, {"closed", 1}}};
constexpr std::array<Weighted<SV>, 4> kStatusRecent = {
    {{"open", 35}, {"handling", 40}, {"resolved", 18}, {"closed", 7}}};
constexpr std::array<Weighted<SV>, 4> kStatusOld = {
    {{"open", 22}, {"handling", 28}, {"resolved", 28}, {"closed", 22}}};
constexpr std::array<Weighted<uint32_t>, 12> kCasualties = {
    {{1, 30}, {2, 18}, {3, 12}, {4, 8}, {5, 6}, {6, 4}, {7, 3}, {8, 3}, {9, 2}, {10, 2}, {11, 1}, {12, 1}}};

// 10^(j/20) * 10^6, j = 0..20: economic losses are log-uniform, interpolated
// linearly within each twentieth of a decade (integers, so exact everywhere).
constexpr std::array<uint64_t, 21> kPow20 = {1000000, 1122018, 1258925, 1412538, 1584893, 1778279, 1995262,
                                             2238721, 2511886, 2818383, 3162278, 3548134, 3981072, 4466836,
                                             5011872, 5623413, 6309573, 7079458, 7943282, 8912509, 10000000};

// Dates: 2026-01-01 .. 2026-11-25 (day offsets 0..328).
constexpr uint32_t kDaySpan = 329;

// The problems a bad record gets, one each. Every one rejects the record
// exactly once (so rejected == injected); a duplicate id is not among them,
// since it rejects both records that share the id.
enum class Bad : uint32_t {
  None,
  SeverityNine,     // severity 9: out of range
  SeverityEmpty,    // severity empty: required
  LikelihoodZero,   // likelihood 0: out of range
  UrgencyText,      // urgency 高: not a number
  CategoryUnknown,  // category unknown
  IdEmpty,          // id empty: required
  DateFeb30,        // found_on 2026-02-30: no such day
  DateMonth13,      // found_on 2026-13-01
  DateEmpty,        // found_on empty: required
  StatusUnknown,    // status 待定
  TrendUnknown,     // trend worsening
  PeopleNegative,   // people_involved -3
  OpinionOver,      // opinion_heat 120.5
  CasualtiesText,   // casualties 约3
  LossText,         // economic_loss 约5万
};
constexpr uint32_t kBadKinds = static_cast<uint32_t>(Bad::LossText);

// ---------------------------------------------------------------------------
// Appending without allocation (the buffer is reserved once).

// Appends v in decimal, zero-padded to `width` (at most 20) digits.
void put_padded(std::string& out, uint64_t v, size_t width) {
  char tmp[24];
  char* end = tmp + sizeof tmp;
  char* p = end;
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (static_cast<size_t>(end - p) < width) *--p = '0';
  out.append(p, end);
}

void put_uint(std::string& out, uint64_t v) {
  put_padded(out, v, 1);
}

// Replaces what was appended since `mark` with `text`.
void replace_from(std::string& out, size_t mark, SV text) {
  out.resize(mark);
  out.append(text);
}

// Everything a record's placeholders can refer to.
struct Place {
  SV district, township, estate, road, road2, site, company;
  std::string_view village_head, village_tail;
  uint32_t number;
};

void expand(std::string& out, SV pattern, const Place& p) {
  while (!pattern.empty()) {
    const size_t brace = pattern.find('{');
    if (brace == SV::npos || brace + 2 >= pattern.size() || pattern[brace + 2] != '}') {
      out.append(pattern);
      return;
    }
    out.append(pattern.substr(0, brace));
    switch (pattern[brace + 1]) {
      case 'D': out.append(p.district); break;
      case 'W': out.append(p.township); break;
      case 'V':
        out.append(p.village_head);
        out.append(p.village_tail);
        break;
      case 'E': out.append(p.estate); break;
      case 'R': out.append(p.road); break;
      case 'S': out.append(p.road2); break;
      case 'T': out.append(p.site); break;
      case 'C': out.append(p.company); break;
      case 'N': put_uint(out, p.number); break;
      default: out.append(pattern.substr(brace, 3)); break;
    }
    pattern.remove_prefix(brace + 3);
  }
}

class Generator {
 public:
  explicit Generator(const SynthOptions& options) : seed_key_(mix64(options.seed ^ 0x5EED5EED5EED5EEDULL)) {
    if (!(options.bad_rate >= 0 && options.bad_rate <= 1))
      throw UsageError(fmt::format("--bad-rate: {} is not between 0 and 1", options.bad_rate));
    // One multiplication of an exactly parsed double: the same on every
    // IEEE-754 machine. Records are picked per billion.
    bad_per_billion_ = static_cast<uint64_t>(std::llround(options.bad_rate * 1e9));
    first_day_ = days_from_civil(2026, 1, 1);
  }

  // Appends record `n` (0-based) to `out`; returns whether it got a problem.
  bool record(std::string& out, uint64_t n);

 private:
  uint64_t seed_key_;
  uint64_t bad_per_billion_ = 0;
  Day first_day_ = 0;
  std::string scratch_;  // title and remark, before CSV quoting; reused
};

bool Generator::record(std::string& out, uint64_t n) {
  Rng rng(seed_key_ ^ mix64(n + 1));
  // Always drawn, so a bad rate changes nothing but the records it picks.
  const bool is_bad = rng.next() % 1000000000ULL < bad_per_billion_;
  const auto bad_kind = static_cast<Bad>(1 + rng.below(kBadKinds));
  const Bad bad = is_bad ? bad_kind : Bad::None;

  const auto& category = weighted(rng, kCategories);
  const auto& district = weighted(rng, kDistricts);
  const auto& tmpl = category.titles[rng.below(static_cast<uint32_t>(category.titles.size()))];
  Place place;
  place.district = district.name;
  place.township = district.townships[rng.below(district.count)];
  place.village_head = rng.pick(kVillageHeads);
  place.village_tail = rng.pick(kVillageTails);
  place.estate = rng.pick(kEstates);
  constexpr auto kRoadCount = static_cast<uint32_t>(kRoads.size());
  const uint32_t road = rng.below(kRoadCount);
  place.road = kRoads[road];
  place.road2 = kRoads[(road + 1 + rng.below(kRoadCount - 1)) % kRoadCount];
  place.site = rng.pick(kSites);
  place.company = rng.pick(kCompanies);
  place.number = rng.between(3, 60);

  // id
  size_t mark = out.size();
  out.append("R2026-");
  put_padded(out, n + 1, 9);
  if (bad == Bad::IdEmpty) out.resize(mark);
  out.push_back(',');

  // title: a pattern, sometimes a tail; about 1% need CSV quoting.
  scratch_.clear();
  expand(scratch_, tmpl.title, place);
  const uint32_t title_roll = rng.below(1000);
  place.number = rng.between(2, 40);
  if (title_roll < 6) {
    expand(scratch_, rng.pick(kCommaTails), place);
  } else if (title_roll < 10) {
    scratch_.insert(0, "关于\"");
    scratch_.append("\"的反映");
  } else if (title_roll < 130) {
    expand(scratch_, rng.pick(kChineseTails), place);
  }
  append_csv_field(out, scratch_);
  out.push_back(',');

  // category, subtype, location
  out.append(bad == Bad::CategoryUnknown ? SV("unknown") : category.code);
  out.push_back(',');
  out.append(tmpl.subtype);
  out.push_back(',');
  out.append(place.district);
  out.push_back(',');
  out.append(place.township);
  out.push_back(',');
  out.append(place.village_head);
  out.append(place.village_tail);
  out.push_back(',');
  out.append(place.village_head);
  out.append(place.village_tail);
  out.append("第");
  put_uint(out, rng.between(1, 12));
  out.append("网格,");

  // responsible unit and person
  uint32_t units = 0;
  while (units < tmpl.units.size() && !tmpl.units[units].empty()) ++units;
  expand(out, tmpl.units[rng.below(units)], place);
  out.push_back(',');
  out.append(rng.pick(kSurnames));
  out.append(rng.pick(kGiven));
  if (rng.below(3) != 0) out.append(rng.pick(kGiven));
  out.push_back(',');

  // found_on: more recent points are more common (max of two uniform days).
  const uint32_t day = std::max(rng.below(kDaySpan), rng.below(kDaySpan));
  mark = out.size();
  const auto date = civil_from_days(first_day_ + static_cast<Day>(day));
  put_uint(out, static_cast<uint64_t>(date.year));
  out.push_back('-');
  put_padded(out, date.month, 2);
  out.push_back('-');
  put_padded(out, date.day, 2);
  if (bad == Bad::DateFeb30) replace_from(out, mark, "2026-02-30");
  if (bad == Bad::DateMonth13) replace_from(out, mark, "2026-13-01");
  if (bad == Bad::DateEmpty) out.resize(mark);
  out.push_back(',');

  // status: older points are more often resolved or closed.
  const uint32_t age = kDaySpan - 1 - day;
  const SV status = weighted(rng, age <= 15 ? kStatusNew : age <= 60 ? kStatusRecent : kStatusOld);
  out.append(bad == Bad::StatusUnknown ? SV("待定") : status);
  out.push_back(',');

  // severity, likelihood, urgency: 1-5, mostly 2-4.
  mark = out.size();
  put_uint(out, weighted(rng, kLevels));
  if (bad == Bad::SeverityNine) replace_from(out, mark, "9");
  if (bad == Bad::SeverityEmpty) out.resize(mark);
  out.push_back(',');
  mark = out.size();
  put_uint(out, weighted(rng, kLevels));
  if (bad == Bad::LikelihoodZero) replace_from(out, mark, "0");
  out.push_back(',');
  mark = out.size();
  put_uint(out, weighted(rng, kLevels));
  if (bad == Bad::UrgencyText) replace_from(out, mark, "高");
  out.push_back(',');

  // people_involved: sometimes unknown; mostly under 20, sometimes hundreds,
  // rarely thousands.
  mark = out.size();
  const uint32_t people_roll = rng.below(1000);
  const uint32_t people_a = rng.below(1000), people_b = rng.below(1000);
  if (people_roll < 120) {
  } else if (people_roll < 760) {
    put_uint(out, std::min(people_a, people_b) * 20 / 1000);  // 0-19
  } else if (people_roll < 880) {
    put_uint(out, 20 + people_a * 30 / 1000);  // 20-49
  } else if (people_roll < 940) {
    put_uint(out, 50 + people_a * 50 / 1000);  // 50-99
  } else if (people_roll < 995) {
    put_uint(out, 100 + std::min(people_a, people_b) * 900 / 1000);  // 100-999
  } else {
    put_uint(out, 1000 + people_a * 4);  // 1000-4996
  }
  if (bad == Bad::PeopleNegative) replace_from(out, mark, "-3");
  out.push_back(',');

  // trend: sometimes not assessed.
  out.append(bad == Bad::TrendUnknown ? SV("worsening") : weighted(rng, kTrends));
  out.push_back(',');

  // opinion_heat: k/10 with one decimal; high for cyber risks, low elsewhere.
  mark = out.size();
  const bool has_opinion = rng.chance(category.opinion_per_mille);
  const uint32_t heat_a = rng.below(1001), heat_b = rng.below(1001);
  if (has_opinion) {
    const uint32_t k = category.opinion_high ? (heat_a + heat_b) / 2 : std::min(heat_a, heat_b);
    put_uint(out, k / 10);
    out.push_back('.');
    put_uint(out, k % 10);
  }
  if (bad == Bad::OpinionOver) replace_from(out, mark, "120.5");
  out.push_back(',');

  // casualties: often not filled in (defaults to 0), mostly 0, rarely 1-12.
  mark = out.size();
  const uint32_t casualty_roll = rng.below(1000);
  const bool hurt = rng.chance(category.casualty_per_mille);
  const uint32_t casualties = weighted(rng, kCasualties);
  if (casualty_roll >= 250) put_uint(out, hurt ? casualties : 0);
  if (bad == Bad::CasualtiesText) replace_from(out, mark, "约3");
  out.push_back(',');

  // economic_loss: sometimes unknown; log-uniform from 100 yuan to 5e7 yuan,
  // some exactly 0, many rounded to hundreds, in fen printed as yuan.fen.
  mark = out.size();
  const bool has_loss = rng.chance(category.loss_per_mille);
  const uint32_t loss_roll = rng.below(1000);
  const uint32_t step = rng.below(114);  // twentieths of a decade above 100 yuan
  const uint64_t r = rng.next();
  if (has_loss) {
    uint64_t fen = 0;
    if (loss_roll >= 50) {
      uint64_t scale = 1;
      for (uint32_t d = 0; d < step / 20; ++d) scale *= 10;
      const uint64_t lo = kPow20[step % 20] * scale, hi = kPow20[step % 20 + 1] * scale;
      // kPow20 is scaled by 10^6 and step 0 is 10^4 fen: fen = value / 100.
      fen = std::min<uint64_t>((lo + r % (hi - lo)) / 100, 5000000000ULL);
      if (loss_roll < 450 && fen >= 100000) fen = fen / 10000 * 10000;  // round to 100 yuan
    }
    put_uint(out, fen / 100);
    out.push_back('.');
    put_padded(out, fen % 100, 2);
  }
  if (bad == Bad::LossText) replace_from(out, mark, "约5万");
  out.push_back(',');

  // remark: a pass-through column; about 1% need quoting, a few span lines.
  const uint32_t remark_roll = rng.below(1000);
  const SV remark = rng.pick(kRemarks);
  const SV quoted = rng.pick(kQuotedRemarks);
  if (remark_roll < 10) {
    append_csv_field(out, quoted);
  } else if (remark_roll < 12) {
    scratch_.assign("走访记录：\n");
    scratch_.append(remark);
    append_csv_field(out, scratch_);
  } else if (remark_roll < 500) {
    out.append(remark);
  }
  out.push_back('\n');
  return bad != Bad::None;
}

}  // namespace

std::span<const std::string_view> synth_columns() {
  return kColumns;
}

std::vector<std::string> synth_missing_fields(const Rules& rules) {
  std::vector<std::string> missing;
  for (const auto name : kColumns)
    if (name != "remark" && rules.find_field(name) < 0) missing.emplace_back(name);
  return missing;
}

SynthStats synth(const SynthOptions& options, const std::function<void(std::string_view)>& write) {
  Generator gen(options);
  std::string out;
  out.reserve(kSynthChunkBytes + 4096);
  for (size_t c = 0; c < kColumns.size(); ++c) {
    if (c) out.push_back(',');
    out.append(kColumns[c]);
  }
  out.push_back('\n');
  SynthStats stats;
  for (uint64_t n = 0; n < options.count; ++n) {
    if (gen.record(out, n)) ++stats.injected;
    if (out.size() >= kSynthChunkBytes) {
      write(out);
      out.clear();
    }
  }
  write(out);
  stats.records = options.count;
  return stats;
}

SynthStats synth_to_file(const SynthOptions& options, const std::string& path) {
  SynthStats stats;
  OutputSet out;
  out.add(path, [&](const std::function<void(std::string_view)>& sink) { stats = synth(options, sink); });
  out.commit();
  return stats;
}

}  // namespace riskledger
