// The default riskledger policy in DuckDB SQL (through @duckdb/node-api): a
// benchmark peer of `riskledger grade FILE --columns rank,id,title,category,district,score,grade`.
//
//   node bench/duckdb_policy.mjs INPUT.csv OUTPUT.csv [--threads N]
//
// Reads the CSV with every column as text, applies the scoring contract
// (as written out at the top of tests/sql/policy.sql), drops the records
// riskledger rejects (invalid values, every copy of a duplicated id) and
// writes the ledger with DuckDB's own CSV writer. The floating-point
// operations are the contract's, in its order, on DOUBLE values: every
// constant is written as a string cast to DOUBLE, because a DuckDB literal
// such as .30 is an exact DECIMAL and would not add up like the C++ doubles.
import { DuckDBInstance } from '@duckdb/node-api';
import { FIELDS, ENUMS, enumNames, INDICATORS, weights, WS, mapHeader, parseArgs } from './policy_common.mjs';

const args = parseArgs(process.argv.slice(2), 'duckdb_policy.mjs');

const str = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;
// A double constant, exactly: JavaScript's shortest round-trip text, parsed
// by DuckDB as a DOUBLE (correctly rounded), never a DECIMAL.
const dbl = (x) => `CAST(${str(Object.is(x, -0) ? '-0.0' : String(x))} AS DOUBLE)`;
const WS_SQL = `(${[...WS].map((c) => `chr(${c.charCodeAt(0)})`).join(' || ')})`;

const source = `read_csv(${str(args.input)}, header = true, all_varchar = true, auto_detect = true,
  delim = ',', quote = '"', escape = '"', encoding = 'utf-8', null_padding = false)`;

const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
if (args.threads) await con.run(`SET threads = ${Number(args.threads)}`);
await con.run(`SET preserve_insertion_order = true`);

// The header, to map columns to fields like riskledger does.
const described = await con.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
const columns = described.getRows().map((r) => String(r[0]));
const { columnOf } = mapHeader(columns);

// The fields the ledger or the score reads: id, title, category, district and
// every field that is typed (the others are checked for nothing but blankness).
const USED = FIELDS.filter((f) => ['id', 'title', 'district'].includes(f.name) || f.type !== 'string');
// Trimmed text of each used field ('' when empty, or when the column is
// absent), with the declared default for an empty value.
// trim(x, characters) is slow in DuckDB, so it runs only on values that
// start or end with whitespace.
const WS_CLASS = `[${[...WS].map((c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0')).join('')}]`;
const trimmed = (col) => {
  const x = `coalesce(${ident(col)}, '')`;
  return `CASE WHEN regexp_matches(${x}, '^${WS_CLASS}|${WS_CLASS}$') THEN trim(${x}, ${WS_SQL}) ELSE ${x} END`;
};
const fieldText = USED.map((f) => {
  const col = columnOf[f.name];
  let e = col === undefined ? `''` : trimmed(col);
  if (f.default !== undefined) e = `coalesce(nullif(${e}, ''), ${str(f.default)})`;
  return `${e} AS ${ident(f.name)}`;
});
// riskledger skips a row whose every cell is blank, and rejects a row with no
// id: either way the row is not in the ledger and its (empty) id counts for
// no duplicate, so the peers need no separate blank-row test.

// Enum code of a text value: exact code/label/alias, then case-insensitive code/alias.
function enumCode(field) {
  const { exact, folded } = enumNames(field);
  const x = ident(field);
  return `CASE ${x} ${exact.map(([n, c]) => `WHEN ${str(n)} THEN ${str(c)}`).join(' ')}
    ELSE CASE lower(${x}) ${folded.map(([n, c]) => `WHEN ${str(n)} THEN ${str(c)}`).join(' ')} END END`;
}

// Typed values (NULL = empty) and the validity of every field, as riskledger's record builder.
const typed = [];
const valid = [];
for (const f of USED) {
  const x = ident(f.name);
  const empty = `${x} = ''`;
  if (f.required && f.type !== 'string') valid.push(`${x} <> ''`);
  if (f.name === 'id') valid.push(`${x} <> ''`);
  if (f.type === 'integer' || f.type === 'number') {
    const v = `v_${f.name}`;
    typed.push(`CASE WHEN ${empty} THEN NULL ELSE TRY_CAST(${x} AS DOUBLE) END AS ${v}`);
    const conds = [`${v} IS NOT NULL`, `isfinite(${v})`];
    if (f.type === 'integer') conds.push(`floor(${v}) = ${v}`);
    if (f.min !== undefined) conds.push(`${v} >= ${dbl(f.min)}`);
    if (f.max !== undefined) conds.push(`${v} <= ${dbl(f.max)}`);
    valid.push(`(${empty} OR (${conds.join(' AND ')}))`);
  } else if (f.type === 'enum') {
    typed.push(`${enumCode(f.name)} AS ${ident('c_' + f.name)}`);
    valid.push(`(${empty} OR ${ident('c_' + f.name)} IS NOT NULL)`);
  } else if (f.type === 'date') {
    // YYYY-MM-DD or YYYY/M/D, a real day of the years 1900-2999.
    const parts = `string_split(replace(${x}, '/', '-'), '-')`;
    typed.push(`CASE WHEN regexp_full_match(${x}, '[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}')
      THEN ${parts} END AS d_${f.name}`);
    const y = `CAST(d_${f.name}[1] AS INTEGER)`;
    const m = `CAST(d_${f.name}[2] AS INTEGER)`;
    const d = `CAST(d_${f.name}[3] AS INTEGER)`;
    const dim = `CASE WHEN ${m} = 2 THEN CASE WHEN (${y} % 4 = 0 AND ${y} % 100 <> 0) OR ${y} % 400 = 0 THEN 29 ELSE 28 END
      WHEN ${m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
    valid.push(`(d_${f.name} IS NOT NULL AND ${y} BETWEEN 1900 AND 2999 AND ${m} BETWEEN 1 AND 12 AND ${d} BETWEEN 1 AND ${dim})`);
  }
}

// Weights w_j of the record's category (0 when the row does not name j).
const W = weights();
const cats = Object.keys(ENUMS.category);
const wExpr = (ind) => `CASE c_category ${cats.map((c) => `WHEN ${str(c)} THEN ${dbl(W[c][ind])}`).join(' ')} END`;

// Sub-score s_j: NULL when not measured (no weight, or the field is empty).
function subscore(ind) {
  const v = ind.field === 'trend' ? `c_trend` : `v_${ind.field}`;
  let s;
  if (ind.linear) {
    const [lo, hi] = ind.linear;
    s = `greatest(${dbl(0)}, least(${dbl(1)}, (${v} - ${dbl(lo)}) / (${dbl(hi)} - ${dbl(lo)})))`;
  } else if (ind.log) {
    const [lo, hi] = ind.log;
    s = `greatest(${dbl(0)}, least(${dbl(1)}, log10(${dbl(1)} + greatest(${v} - ${dbl(lo)}, ${dbl(0)}))
          / log10(${dbl(1)} + (${dbl(hi)} - ${dbl(lo)}))))`;
  } else if (ind.map) {
    s = `CASE ${v} ${Object.entries(ind.map).map(([k, x]) => `WHEN ${str(k)} THEN ${dbl(x)}`).join(' ')} END`;
  } else if (ind.bins) {
    s = `CASE ${ind.bins.map(([up, x]) => (up === null ? `ELSE ${dbl(x)}` : `WHEN ${v} <= ${dbl(up)} THEN ${dbl(x)}`)).join(' ')} END`;
  }
  return `CASE WHEN w_${ind.name} > 0 AND ${v} IS NOT NULL THEN ${s} END AS s_${ind.name}`;
}

// M and raw, added in indicator file order.
const M = INDICATORS.reduce(
  (acc, ind) => `(${acc} + CASE WHEN s_${ind.name} IS NOT NULL THEN w_${ind.name} ELSE ${dbl(0)} END)`,
  dbl(0),
);
const rawSum = INDICATORS.reduce(
  (acc, ind) => `(${acc} + coalesce((${dbl(100)} * (w_${ind.name} / m)) * s_${ind.name}, ${dbl(0)}))`,
  dbl(0),
);

const sql = `
COPY (
WITH base AS MATERIALIZED (
  -- Typed once, for the duplicate test and for the scoring.
  SELECT *, ${typed.join(',\n    ')}
  FROM (SELECT ${fieldText.join(',\n      ')}
        FROM ${source})
),
dup AS (SELECT id FROM base WHERE id <> '' GROUP BY id HAVING count(*) > 1),
checked AS (
  SELECT * FROM base ANTI JOIN dup USING (id)
  WHERE ${valid.join('\n    AND ')}
),
weighted AS (SELECT *, ${INDICATORS.map((i) => `${wExpr(i.name)} AS w_${i.name}`).join(',\n    ')} FROM checked),
sub AS (SELECT *, ${INDICATORS.map(subscore).join(',\n    ')} FROM weighted),
measured AS (SELECT *, ${M} AS m FROM sub),
raw AS (SELECT *, greatest(${dbl(0)}, least(${dbl(100)}, ${rawSum})) * ${dbl(1e9)} AS x FROM measured),
units AS (
  SELECT *, (CAST(trunc(x) AS BIGINT) + CASE WHEN x - trunc(x) >= ${dbl(0.5)} THEN 1 ELSE 0 END + 5000000) // 10000000 AS units
  FROM raw
),
graded AS (
  SELECT id, title, c_category AS category, district, units,
    CASE WHEN v_casualties >= ${dbl(3)} THEN 'A'
         WHEN units >= 7000 THEN 'A'
         WHEN units >= 4500 THEN 'B'
         WHEN v_people_involved >= ${dbl(50)} THEN 'B'
         ELSE 'C' END AS grade
  FROM units
)
SELECT rank, nullif(id, '') AS id, nullif(title, '') AS title, category, nullif(district, '') AS district,
       CAST(units // 100 AS VARCHAR) || '.' || lpad(CAST(units % 100 AS VARCHAR), 2, '0') AS score,
       grade
FROM (SELECT *, row_number() OVER (ORDER BY grade, units DESC, id) AS rank FROM graded)
ORDER BY rank
) TO ${str(args.output)} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"', ESCAPE '"', NULLSTR '')`;

if (process.env.BENCH_SHOW_SQL) process.stderr.write(sql + '\n');
await con.run(sql);
