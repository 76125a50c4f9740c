// The default riskledger policy (rules/default.yaml, method: weighted) as data,
// shared by the two peer implementations (duckdb_policy.mjs, polars_policy.mjs).
//
// This is a port of tests/sql/policy.sql and of the scoring contract: the
// peers must write, for valid input, exactly the bytes of
//   riskledger grade FILE --columns rank,id,title,category,district,score,grade
// so the benchmark compares equal work. It is hard-coded (like policy.sql):
// change it when rules/default.yaml changes.

// Fields, in the order of the rules file: name, Chinese label, aliases,
// type, range, default, required. Header names are matched like riskledger:
// trimmed; name and aliases ASCII-case-insensitively, the label exactly.
export const FIELDS = [
  { name: 'id', label: '编号', aliases: ['风险点编号', 'code'], type: 'string', required: true },
  { name: 'title', label: '名称', aliases: ['风险点名称', 'name'], type: 'string' },
  { name: 'category', label: '类别', aliases: ['风险类别'], type: 'enum', required: true },
  { name: 'subtype', label: '子类', type: 'string' },
  { name: 'city', label: '市', type: 'string' },
  { name: 'district', label: '区县', type: 'string' },
  { name: 'township', label: '乡镇街道', aliases: ['乡镇'], type: 'string' },
  { name: 'village', label: '村社区', aliases: ['村(社区)'], type: 'string' },
  { name: 'grid', label: '网格', type: 'string' },
  { name: 'responsible_unit', label: '责任单位', type: 'string' },
  { name: 'responsible_person', label: '责任人', type: 'string' },
  { name: 'found_on', label: '发现日期', type: 'date', required: true },
  { name: 'status', label: '状态', type: 'enum', default: 'open' },
  { name: 'severity', label: '严重程度', type: 'integer', required: true, min: 1, max: 5 },
  { name: 'likelihood', label: '可能性', type: 'integer', required: true, min: 1, max: 5 },
  { name: 'urgency', label: '紧迫程度', type: 'integer', required: true, min: 1, max: 5 },
  { name: 'people_involved', label: '涉及人数', type: 'integer', min: 0 },
  { name: 'trend', label: '趋势', type: 'enum' },
  { name: 'opinion_heat', label: '舆情热度', type: 'number', min: 0, max: 100 },
  { name: 'casualties', label: '伤亡人数', type: 'integer', min: 0, default: '0' },
  { name: 'economic_loss', label: '经济损失(元)', aliases: ['经济损失'], type: 'number', min: 0 },
];

// Enum values: code -> [Chinese label, ...aliases]. A value is matched
// exactly against code, label and aliases first, then ASCII-case-insensitively
// against code and aliases (as riskledger's FieldSpec::find_value).
export const ENUMS = {
  category: {
    political_security: ['政治安全', '政治安全风险', 'political'],
    public_order: ['社会治安', '社会治安风险', '治安'],
    social_conflict: ['社会矛盾', '社会矛盾风险', '矛盾纠纷'],
    public_safety: ['公共安全', '公共安全风险'],
    cyber_security: ['网络安全', '网络安全风险'],
  },
  status: {
    open: ['未化解'],
    handling: ['化解中'],
    resolved: ['已化解'],
    closed: ['已销号'],
  },
  trend: {
    rising: ['上升'],
    stable: ['平稳'],
    easing: ['下降'],
  },
};
// The first entry of each list is the label, matched exactly only.
const LABEL_COUNT = 1;

// [name, code] pairs for exact matching, and [lowercase name, code] pairs for
// the ASCII-case-insensitive fallback (codes and aliases only, not labels).
export function enumNames(field) {
  const exact = [];
  const folded = [];
  for (const [code, names] of Object.entries(ENUMS[field])) {
    exact.push([code, code]);
    names.forEach((n) => exact.push([n, code]));
    folded.push([code.toLowerCase(), code]);
    names.slice(LABEL_COUNT).forEach((n) => folded.push([n.toLowerCase(), code]));
  }
  // A name already matched exactly never reaches the fallback, and the
  // fallback list must not hold one name twice.
  const seen = new Set();
  return { exact, folded: folded.filter(([n]) => (seen.has(n) ? false : seen.add(n))) };
}

// Indicators in file order.
export const INDICATORS = [
  { name: 'severity', field: 'severity', linear: [1, 5] },
  { name: 'urgency', field: 'urgency', linear: [1, 5] },
  { name: 'likelihood', field: 'likelihood', linear: [1, 5] },
  { name: 'scope', field: 'people_involved', log: [0, 1000] },
  { name: 'trend', field: 'trend', map: { rising: 1.0, stable: 0.5, easing: 0.0 } },
  { name: 'opinion', field: 'opinion_heat', linear: [0, 100] },
  { name: 'harm', field: 'casualties', bins: [[0, 0.0], [2, 0.6], [9, 0.8], [null, 1.0]] },
  { name: 'loss', field: 'economic_loss', log: [0, 10000000] },
];

// Weight rows as given, in the row's own order.
const WEIGHT_ROWS = {
  political_security: [['severity', 0.3], ['urgency', 0.2], ['likelihood', 0.2], ['scope', 0.1], ['trend', 0.1], ['opinion', 0.1]],
  public_order: [['severity', 0.25], ['urgency', 0.2], ['likelihood', 0.2], ['scope', 0.15], ['trend', 0.1], ['harm', 0.1]],
  social_conflict: [['severity', 0.2], ['urgency', 0.2], ['likelihood', 0.15], ['scope', 0.25], ['trend', 0.15], ['opinion', 0.05]],
  public_safety: [['severity', 0.25], ['urgency', 0.15], ['likelihood', 0.2], ['harm', 0.25], ['loss', 0.15]],
  cyber_security: [['severity', 0.2], ['urgency', 0.15], ['likelihood', 0.15], ['scope', 0.1], ['trend', 0.1], ['opinion', 0.3]],
};

// w[category][indicator] = given / (the row's given weights added in the
// row's order), as IEEE doubles (JavaScript numbers are doubles, so this is
// the same arithmetic as the C++). Indicators a row does not name get 0.
export function weights() {
  const out = {};
  for (const [cat, row] of Object.entries(WEIGHT_ROWS)) {
    let sum = 0;
    for (const [, g] of row) sum += g;
    out[cat] = Object.fromEntries(INDICATORS.map((ind) => [ind.name, 0]));
    for (const [name, g] of row) out[cat][name] = g / sum;
  }
  return out;
}

export const SCALE = 100;
// Grades highest first: [grade, min score in units of 0.01].
export const GRADES = [['A', 7000], ['B', 4500], ['C', 0]];
export const GRADE_ORDER = { A: 1, B: 2, C: 3 };
// Overrides, in order: casualties >= 3 forces A; people_involved >= 50 raises to at least B.

export const LEDGER_COLUMNS = ['rank', 'id', 'title', 'category', 'district', 'score', 'grade'];

// ASCII whitespace trimmed from values and header names (as policy.sql:
// space, \t, \n, \v, \f, \r).
export const WS = ' \t\n\u000b\f\r';

function trimAscii(s) {
  let a = 0;
  let b = s.length;
  while (a < b && WS.includes(s[a])) a++;
  while (b > a && WS.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

// Maps the file's header to fields. Returns { columnOf: {field: column name
// or undefined}, columns: [all column names] }; throws when a required
// column is missing or two columns map to one field.
export function mapHeader(columns) {
  const columnOf = {};
  for (const col of columns) {
    const name = trimAscii(col);
    const lower = name.toLowerCase();
    const f = FIELDS.find(
      (f) => f.name === lower || f.label === name || (f.aliases ?? []).some((a) => a.toLowerCase() === lower),
    );
    if (!f) continue;
    if (columnOf[f.name] !== undefined) throw new Error(`columns '${columnOf[f.name]}' and '${col}' both map to field '${f.name}'`);
    columnOf[f.name] = col;
  }
  for (const f of FIELDS)
    if (f.required && columnOf[f.name] === undefined) throw new Error(`missing required column '${f.name}'`);
  return { columnOf, columns };
}

// Command line: node X_policy.mjs INPUT.csv OUTPUT.csv [--threads N]
export function parseArgs(argv, tool) {
  const args = { threads: null };
  const pos = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--threads') args.threads = Number(argv[++i]);
    else pos.push(argv[i]);
  }
  if (pos.length !== 2) {
    process.stderr.write(`usage: node ${tool} INPUT.csv OUTPUT.csv [--threads N]\n`);
    process.exit(2);
  }
  [args.input, args.output] = pos;
  return args;
}
