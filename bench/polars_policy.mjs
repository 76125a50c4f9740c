// The default riskledger policy in Polars (through nodejs-polars, lazy API): a
// benchmark peer of `riskledger grade FILE --columns rank,id,title,category,district,score,grade`.
//
//   node bench/polars_policy.mjs INPUT.csv OUTPUT.csv [--threads N]
//
// Reads the CSV with every column as text (inferSchemaLength 0), applies the
// scoring contract (as written out at the top of tests/sql/policy.sql),
// drops the records riskledger rejects (invalid values, every copy of a
// duplicated id) and writes the ledger with Polars' own CSV writer. The
// floating-point operations are the contract's, in its order, on Float64
// columns and JavaScript (double) constants. Strings sort by their UTF-8 bytes
// in Polars, which is the ledger's id order.
import { FIELDS, ENUMS, enumNames, INDICATORS, weights, WS, mapHeader, parseArgs } from './policy_common.mjs';

const args = parseArgs(process.argv.slice(2), 'polars_policy.mjs');
// Polars sizes its thread pool once, from POLARS_MAX_THREADS, when it loads.
if (args.threads) process.env.POLARS_MAX_THREADS = String(args.threads);
const { default: pl } = await import('nodejs-polars');

const { col, lit, when } = pl;
const scan = pl.scanCSV(args.input, { hasHeader: true, inferSchemaLength: 0, sep: ',', quoteChar: '"' });
const columns = scan.columns;
const { columnOf } = mapHeader(columns);

const trimmed = (c) => col(c).fillNull('').str.stripChars(WS);
const f64 = (x) => lit(x).cast(pl.Float64);

// riskledger skips a row whose every cell is blank, and rejects a row with no
// id: either way the row is not in the ledger and its (empty) id counts for
// no duplicate, so the peers need no separate blank-row test.

// The fields the ledger or the score reads: trimmed text ('' when empty or
// absent), with the declared default for an empty value.
const USED = FIELDS.filter((f) => ['id', 'title', 'district'].includes(f.name) || f.type !== 'string');
const fieldText = USED.map((f) => {
  let e = columnOf[f.name] === undefined ? lit('') : trimmed(columnOf[f.name]);
  if (f.default !== undefined) e = when(e.eq(lit(''))).then(lit(f.default)).otherwise(e);
  return e.alias(f.name);
});

// Enum code of a text value: exact code/label/alias, then case-insensitive code/alias.
function enumCode(field) {
  const { exact, folded } = enumNames(field);
  const nul = lit(null).cast(pl.Utf8);
  const e = col(field).replaceStrict(exact.map((p) => p[0]), exact.map((p) => p[1]), nul, pl.Utf8);
  const l = col(field).str.toLowerCase().replaceStrict(folded.map((p) => p[0]), folded.map((p) => p[1]), nul, pl.Utf8);
  return when(e.isNotNull()).then(e).otherwise(l);
}

// Typed values (null = empty) and the validity of every field, as riskledger's record builder.
const typed = [];
const valid = [];
const DATE_RE = '^([0-9]{4})(?:-([0-9]{2})-([0-9]{2})|/([0-9]{1,2})/([0-9]{1,2}))$';
for (const f of USED) {
  const x = col(f.name);
  const empty = x.eq(lit(''));
  if (f.required || f.name === 'id') valid.push(empty.not());
  if (f.type === 'integer' || f.type === 'number') {
    typed.push(when(empty).then(lit(null).cast(pl.Float64)).otherwise(x.cast(pl.Float64, false)).alias(`v_${f.name}`));
  } else if (f.type === 'enum') {
    typed.push(enumCode(f.name).alias(`c_${f.name}`));
  } else if (f.type === 'date') {
    const part = (a, b) => {
      const one = x.str.extract(DATE_RE, a);
      return when(one.isNotNull()).then(one).otherwise(x.str.extract(DATE_RE, b)).cast(pl.Int32, false);
    };
    typed.push(x.str.extract(DATE_RE, 1).cast(pl.Int32, false).alias(`y_${f.name}`));
    typed.push(part(2, 4).alias(`m_${f.name}`));
    typed.push(part(3, 5).alias(`d_${f.name}`));
  }
}
for (const f of USED) {
  const empty = col(f.name).eq(lit(''));
  if (f.type === 'integer' || f.type === 'number') {
    const v = col(`v_${f.name}`);
    let ok = v.isNotNull().and(v.isFinite());
    if (f.type === 'integer') ok = ok.and(v.floor().eq(v));
    if (f.min !== undefined) ok = ok.and(v.gtEq(f64(f.min)));
    if (f.max !== undefined) ok = ok.and(v.ltEq(f64(f.max)));
    valid.push(empty.or(ok.fillNull(false)));
  } else if (f.type === 'enum') {
    valid.push(empty.or(col(`c_${f.name}`).isNotNull()));
  } else if (f.type === 'date') {
    const y = col(`y_${f.name}`);
    const m = col(`m_${f.name}`);
    const d = col(`d_${f.name}`);
    const leap = y.modulo(4).eq(0).and(y.modulo(100).neq(0)).or(y.modulo(400).eq(0));
    const dim = when(m.eq(2)).then(when(leap).then(lit(29)).otherwise(lit(28)))
      .when(m.isIn([4, 6, 9, 11])).then(lit(30)).otherwise(lit(31));
    valid.push(y.isNotNull().and(y.gtEq(1900)).and(y.ltEq(2999)).and(m.gtEq(1)).and(m.ltEq(12))
      .and(d.gtEq(1)).and(d.ltEq(dim)).fillNull(false));
  }
}

// Weights w_j of the record's category (0 when the row does not name j).
const W = weights();
const cats = Object.keys(ENUMS.category);
function wExpr(ind) {
  let chain = when(col('c_category').eq(lit(cats[0]))).then(f64(W[cats[0]][ind]));
  for (const c of cats.slice(1)) chain = chain.when(col('c_category').eq(lit(c))).then(f64(W[c][ind]));
  return chain.otherwise(f64(0)).alias(`w_${ind}`);
}

// Sub-score s_j: null when not measured (no weight, or the field is empty).
const clamp01 = (e) => when(e.ltEq(f64(0))).then(f64(0)).when(e.gtEq(f64(1))).then(f64(1)).otherwise(e);
function subscore(ind) {
  const v = col(ind.field === 'trend' ? 'c_trend' : `v_${ind.field}`);
  let s;
  if (ind.linear) {
    const [lo, hi] = ind.linear;
    s = clamp01(v.minus(f64(lo)).div(f64(hi).minus(f64(lo))));
  } else if (ind.log) {
    const [lo, hi] = ind.log;
    const d = v.minus(f64(lo));
    const pos = when(d.gt(f64(0))).then(d).otherwise(f64(0));
    s = clamp01(f64(1).plus(pos).log(10).div(f64(1).plus(f64(hi).minus(f64(lo))).log(10)));
  } else if (ind.map) {
    const [first, ...rest] = Object.entries(ind.map);
    let chain = when(v.eq(lit(first[0]))).then(f64(first[1]));
    for (const [k, x] of rest) chain = chain.when(v.eq(lit(k))).then(f64(x));
    s = chain.otherwise(lit(null).cast(pl.Float64));
  } else if (ind.bins) {
    const bounded = ind.bins.filter(([up]) => up !== null);
    let chain = when(v.ltEq(f64(bounded[0][0]))).then(f64(bounded[0][1]));
    for (const [up, x] of bounded.slice(1)) chain = chain.when(v.ltEq(f64(up))).then(f64(x));
    s = chain.otherwise(f64(ind.bins.find(([up]) => up === null)[1]));
  }
  return when(col(`w_${ind.name}`).gt(f64(0)).and(v.isNotNull())).then(s).otherwise(lit(null).cast(pl.Float64)).alias(`s_${ind.name}`);
}

// M and raw, added in indicator file order.
const M = INDICATORS.reduce(
  (acc, ind) => acc.plus(when(col(`s_${ind.name}`).isNotNull()).then(col(`w_${ind.name}`)).otherwise(f64(0))),
  f64(0),
).alias('m');
const rawSum = INDICATORS.reduce(
  (acc, ind) => acc.plus(f64(100).mul(col(`w_${ind.name}`).div(col('m'))).mul(col(`s_${ind.name}`)).fillNull(f64(0))),
  f64(0),
);
const raw = when(rawSum.lt(f64(0))).then(f64(0)).when(rawSum.gt(f64(100))).then(f64(100)).otherwise(rawSum);

// Snap and round in integers: n = round_half_away(raw * 1e9) (raw >= 0),
// units = (n + 5e6) div 1e7.
const x = col('x');
const n = x.floor().cast(pl.Int64).plus(x.minus(x.floor()).gtEq(f64(0.5)).cast(pl.Int64));
const np = n.plus(lit(5000000).cast(pl.Int64));
const units = np.minus(np.modulo(lit(10000000).cast(pl.Int64))).div(lit(10000000).cast(pl.Int64)).cast(pl.Int64);

const grade = when(col('v_casualties').gtEq(f64(3))).then(lit('A'))
  .when(col('units').gtEq(7000)).then(lit('A'))
  .when(col('units').gtEq(4500)).then(lit('B'))
  .when(col('v_people_involved').gtEq(f64(50))).then(lit('B'))
  .otherwise(lit('C'));

// (A JavaScript number is a Float64 literal: integer constants are cast.)
const i64 = (x) => lit(x).cast(pl.Int64);
const u = col('units');
const whole = u.minus(u.modulo(i64(100))).div(i64(100)).cast(pl.Int64).cast(pl.Utf8);
const cents = u.modulo(i64(100)).cast(pl.Int64).cast(pl.Utf8).str.padStart(2, '0');
const emptyToNull = (c) => when(col(c).eq(lit(''))).then(lit(null).cast(pl.Utf8)).otherwise(col(c)).alias(c);

const base = scan.select(...fieldText).withColumns(...typed);
const ledger = base
  // Every record of an id seen twice is rejected, valid or not.
  .filter(col('id').isDuplicated().not())
  .filter(valid.reduce((a, b) => a.and(b)))
  // Keep only what the score and the ledger read (less memory from here on).
  .select('id', 'title', 'district', 'c_category', 'c_trend', ...USED.filter((f) => f.type === 'integer' || f.type === 'number').map((f) => `v_${f.name}`))
  .withColumns(...INDICATORS.map((i) => wExpr(i.name)))
  .withColumns(...INDICATORS.map(subscore))
  .withColumns(M)
  .withColumns(raw.mul(f64(1e9)).alias('x'))
  .withColumns(units.alias('units'))
  .withColumns(grade.alias('grade'))
  // Grades A, B, C sort as their names do in the default rules; units
  // descending as -units ascending (this nodejs-polars takes one `descending`
  // flag for all keys).
  .withColumns(lit(0).cast(pl.Int64).minus(col('units')).alias('neg_units'))
  .sort({ by: ['grade', 'neg_units', 'id'], descending: false, nullsLast: false, maintainOrder: false })
  .withRowIndex('rank', 1)
  .select(
    col('rank'), emptyToNull('id'), emptyToNull('title'), col('c_category').alias('category'), emptyToNull('district'),
    pl.concatString([whole, cents], '.').alias('score'), col('grade'),
  );

const df = await ledger.collect();
df.writeCSV(args.output, { includeHeader: true, separator: ',', quoteChar: '"', lineTerminator: '\n', nullValue: '' });
