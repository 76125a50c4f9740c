-- riskledger default policy (rules/default.yaml, method: weighted), written
-- independently in SQLite SQL (sqlite3 CLI >= 3.35 with the math functions).
--
-- Input : a table `records`, every column TEXT, as made by
--             .import --csv DATA.csv records
--         (header row = column names; the default schema in English).
-- Output: the ledger with --columns rank,id,title,category,district,score,grade,
--         one CSV line per record plus the header line, on standard output.
-- Run   : sqlite3 -batch -bail :memory: ".import --csv DATA.csv records" \
--             ".read tests/sql/policy.sql" > SQL.csv
--
-- The input must be valid (the cross-check compares graded ledgers, not
-- rejects). The section "Input checks" stops the script with an error (exit
-- code 1 under -bail) if any assumption about the input does not hold, so no
-- record can silently drop out of the ledger.
--
-- Contract (the scoring contract of the default rules), for a record of
-- category c:
--   values   trimmed of ASCII whitespace; empty status -> open, empty
--            casualties -> 0; other empty fields are "not measured";
--            category/trend/status accept code, Chinese label or alias.
--   w_j      = given_j / (the row's given weights added in the row's order)
--   s_j      linear [lo,hi]: clamp((v-lo)/(hi-lo), 0, 1)
--            log [lo,hi]:    clamp(log10(1+max(v-lo,0)) / log10(1+(hi-lo)), 0, 1)
--            map: trend rising 1.0, stable 0.5, easing 0.0
--            bins: casualties <=0 -> 0.0, <=2 -> 0.6, <=9 -> 0.8, else 1.0
--   M        = sum of w_j over measured indicators, in indicator file order
--            (severity, urgency, likelihood, scope, trend, opinion, harm, loss)
--   points_j = 100 * (w_j / M) * s_j,   raw = sum in file order, clamped to [0,100]
--   n        = round_half_away_from_zero(raw * 1e9)   (removes float noise)
--   units    = (n + 5000000) div 10000000               (the score times 100)
--   grade    A if units >= 7000, B if >= 4500, else C; then casualties >= 3
--            forces A; people_involved >= 50 raises C to B.
--   order    grade A, B, C; units descending; id ascending in byte order.
--
-- Floating point. Every operation below is an IEEE double operation in the
-- same order as the contract, so SQLite gets the same bits as C++ - with one
-- exception: SQLite's log10(x) is computed as ln(x)/ln(10), which can differ
-- from the C library's log10 in the last bit. That changes raw by ~1e-14, far
-- below the 1e-9 snap, so it can change a printed score only if the exact raw
-- lay within ~1e-12 of a rounding tie, which the log indicators (irrational
-- unless v = 0 or v >= hi, where both give exactly 0 or 1) never do in
-- practice. The cross-check therefore also shows the ledger does not depend on
-- last-bit differences between math libraries.
--
-- Worked examples (each checked against this script and reference.py; the
-- float values are the doubles both compute):
--
-- 1. public_order: severity 4, urgency 3, likelihood 2, people_involved 9,
--    trend rising, casualties 0. The row .25+.20+.20+.15+.10+.10 adds up to
--    exactly 1.0 in doubles; all six indicators are measured, so M = 1.0.
--      s      = .75, .5, .25, log10(10)/log10(1001) = 0.3332851094799275, 1, 0
--      points = 18.75 + 10 + 5 + 15 * 0.33328510... (= 4.999276642198913) + 10 + 0
--      raw    = 48.749276642198915 -> n = 48749276642 -> units 4875
--      score 48.75 -> grade B (>= 45); no override.
--
-- 2. cyber_security: severity 3, urgency 5, likelihood 4, opinion_heat 65.82,
--    people_involved and trend empty (not measured). Measured weights
--    .2 + .15 + .15 + .3 => M = 0.8, so the 0.2 of scope and trend moves over.
--      points = 100*(.2/.8)*.5 + 100*(.15/.8)*1 + 100*(.15/.8)*.75 + 100*(.3/.8)*.6582
--             = 12.5 + 18.749999999999996 + 14.062499999999996 + 24.682499999999994
--      In decimals that is 69.995 exactly, but the double raw is
--      69.99499999999998; rounding it to 2 decimals directly would print 69.99
--      (grade B). The snap: n = round(raw * 1e9) = 69995000000, units =
--      (69995000000 + 5000000) div 10000000 = 7000 -> score 70.00 -> grade A.
--
-- 3. social_conflict: severity 2, urgency 2, likelihood 1, people_involved 50,
--    trend easing, opinion_heat empty. M = .2+.2+.15+.25+.15 = 0.9500000000000001.
--      s      = .25, .25, 0, log10(51)/log10(1001) = 0.5691077130854597, 0
--      points = 5.263157894736842 + 5.263157894736842 + 0 + 14.976518765406833 + 0
--      raw    = 25.502834554880515 -> units 2550 -> score 25.50 -> threshold C,
--      then mass_incident (people_involved 50 >= 50) raises it to B.
--
-- (4. public_safety: severity 3, urgency 2, likelihood 2, casualties 3,
--    economic_loss 250000: points 12.5 + 3.75 + 5 + 20 (harm bin 3-9 = 0.8)
--    + 11.56701795504974 (loss) = 52.81701795504974 -> 52.82, threshold B, and
--    the casualties override forces A.)
--
-- Note: the political_security row .30+.20+.20+.10+.10+.10 adds up to
-- 0.9999999999999999 in doubles, so its weights are given/0.9999999999999999,
-- not the given values themselves; weight_row keeps that addition as written.

.bail on
.mode list
.headers off
.separator "," "\n"
.nullvalue ""

-- ---------------------------------------------------------------------------
-- The rules: names accepted for enum values, and the weight rows.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE category_name (name TEXT PRIMARY KEY, code TEXT NOT NULL);
INSERT INTO category_name VALUES
  ('political_security', 'political_security'), ('政治安全', 'political_security'),
  ('政治安全风险', 'political_security'), ('political', 'political_security'),
  ('public_order', 'public_order'), ('社会治安', 'public_order'),
  ('社会治安风险', 'public_order'), ('治安', 'public_order'),
  ('social_conflict', 'social_conflict'), ('社会矛盾', 'social_conflict'),
  ('社会矛盾风险', 'social_conflict'), ('矛盾纠纷', 'social_conflict'),
  ('public_safety', 'public_safety'), ('公共安全', 'public_safety'),
  ('公共安全风险', 'public_safety'),
  ('cyber_security', 'cyber_security'), ('网络安全', 'cyber_security'),
  ('网络安全风险', 'cyber_security');

CREATE TEMP TABLE status_name (name TEXT PRIMARY KEY, code TEXT NOT NULL);
INSERT INTO status_name VALUES
  ('open', 'open'), ('未化解', 'open'), ('handling', 'handling'), ('化解中', 'handling'),
  ('resolved', 'resolved'), ('已化解', 'resolved'), ('closed', 'closed'), ('已销号', 'closed');

-- trend is a `map` indicator: the sub-score is attached to the code.
CREATE TEMP TABLE trend_name (name TEXT PRIMARY KEY, code TEXT NOT NULL, score REAL NOT NULL);
INSERT INTO trend_name VALUES
  ('rising', 'rising', 1.0), ('上升', 'rising', 1.0),
  ('stable', 'stable', 0.5), ('平稳', 'stable', 0.5),
  ('easing', 'easing', 0.0), ('下降', 'easing', 0.0);

-- Given weights (NULL = the row does not name the indicator, weight 0) and
-- the row sum, added in the row's own order as the contract says.
CREATE TEMP TABLE weight_row (
  category TEXT PRIMARY KEY,
  severity REAL, urgency REAL, likelihood REAL, scope REAL,
  trend REAL, opinion REAL, harm REAL, loss REAL,
  row_sum REAL NOT NULL);
INSERT INTO weight_row VALUES
  ('political_security', .30, .20, .20, .10, .10, .10, NULL, NULL,
                         ((((.30 + .20) + .20) + .10) + .10) + .10),
  ('public_order',       .25, .20, .20, .15, .10, NULL, .10, NULL,
                         ((((.25 + .20) + .20) + .15) + .10) + .10),
  ('social_conflict',    .20, .20, .15, .25, .15, .05, NULL, NULL,
                         ((((.20 + .20) + .15) + .25) + .15) + .05),
  ('public_safety',      .25, .15, .20, NULL, NULL, NULL, .25, .15,
                         (((.25 + .15) + .20) + .25) + .15),
  ('cyber_security',     .20, .15, .15, .10, .10, .30, NULL, NULL,
                         ((((.20 + .15) + .15) + .10) + .10) + .30);

-- w_j = given_j / row_sum (NULL stays NULL: weight 0, never measured).
CREATE TEMP VIEW weight AS
SELECT category,
       severity / row_sum AS w_severity, urgency / row_sum AS w_urgency,
       likelihood / row_sum AS w_likelihood, scope / row_sum AS w_scope,
       trend / row_sum AS w_trend, opinion / row_sum AS w_opinion,
       harm / row_sum AS w_harm, loss / row_sum AS w_loss
FROM weight_row;

-- ---------------------------------------------------------------------------
-- Field values: trimmed of ASCII whitespace (space, \t, \n, \v, \f, \r),
-- declared defaults applied to empty values.
-- ---------------------------------------------------------------------------
CREATE TEMP VIEW field AS
SELECT trim(id, ws) AS id, trim(title, ws) AS title, trim(category, ws) AS category,
       trim(district, ws) AS district, trim(found_on, ws) AS found_on,
       coalesce(nullif(trim(status, ws), ''), 'open') AS status,
       trim(severity, ws) AS severity, trim(likelihood, ws) AS likelihood,
       trim(urgency, ws) AS urgency, trim(people_involved, ws) AS people_involved,
       trim(trend, ws) AS trend, trim(opinion_heat, ws) AS opinion_heat,
       coalesce(nullif(trim(casualties, ws), ''), '0') AS casualties,
       trim(economic_loss, ws) AS economic_loss
FROM records, (SELECT char(32, 9, 10, 11, 12, 13) AS ws);

-- Typed values; NULL = empty = not measured. A decimal "ddd.ff" is read as
-- the integer dddff divided by 10^2: both are exact doubles, so the quotient
-- is the correctly rounded value of the decimal, as strtod/fast_float give.
CREATE TEMP TABLE value AS
SELECT f.id, f.title, f.district, c.code AS category,
       CAST(f.severity AS INTEGER) AS severity,
       CAST(f.urgency AS INTEGER) AS urgency,
       CAST(f.likelihood AS INTEGER) AS likelihood,
       CAST(nullif(f.people_involved, '') AS INTEGER) AS people_involved,
       t.score AS trend_score,
       CASE WHEN f.opinion_heat = '' THEN NULL
            WHEN instr(f.opinion_heat, '.') = 0 THEN CAST(f.opinion_heat AS INTEGER) * 1.0
            ELSE CAST(replace(f.opinion_heat, '.', '') AS INTEGER) * 1.0
                 / CAST('1' || substr('000000000000000', 1,
                                      length(f.opinion_heat) - instr(f.opinion_heat, '.'))
                        AS INTEGER)
       END AS opinion_heat,
       CAST(f.casualties AS INTEGER) AS casualties,
       CASE WHEN f.economic_loss = '' THEN NULL
            WHEN instr(f.economic_loss, '.') = 0 THEN CAST(f.economic_loss AS INTEGER) * 1.0
            ELSE CAST(replace(f.economic_loss, '.', '') AS INTEGER) * 1.0
                 / CAST('1' || substr('000000000000000', 1,
                                      length(f.economic_loss) - instr(f.economic_loss, '.'))
                        AS INTEGER)
       END AS economic_loss
FROM field f
LEFT JOIN category_name c ON c.name = f.category
LEFT JOIN trend_name t ON t.name = f.trend;

-- ---------------------------------------------------------------------------
-- Sub-scores s_j (NULL = not measured: the field is empty or the row gives
-- the indicator no weight) and the weights w_j of the record's category.
-- min()/max() with several arguments are SQLite's scalar functions (clamp).
-- ---------------------------------------------------------------------------
CREATE TEMP VIEW subscore AS
SELECT v.*,
  w.w_severity, w.w_urgency, w.w_likelihood, w.w_scope,
  w.w_trend, w.w_opinion, w.w_harm, w.w_loss,
  -- severity, urgency, likelihood: linear [1, 5]
  CASE WHEN w.w_severity > 0 THEN
    max(0.0, min(1.0, (v.severity - 1.0) / (5.0 - 1.0))) END AS s_severity,
  CASE WHEN w.w_urgency > 0 THEN
    max(0.0, min(1.0, (v.urgency - 1.0) / (5.0 - 1.0))) END AS s_urgency,
  CASE WHEN w.w_likelihood > 0 THEN
    max(0.0, min(1.0, (v.likelihood - 1.0) / (5.0 - 1.0))) END AS s_likelihood,
  -- scope: people_involved, log [0, 1000]
  CASE WHEN w.w_scope > 0 AND v.people_involved IS NOT NULL THEN
    max(0.0, min(1.0, log10(1.0 + max(v.people_involved - 0.0, 0.0))
                      / log10(1.0 + (1000.0 - 0.0)))) END AS s_scope,
  -- trend: map
  CASE WHEN w.w_trend > 0 THEN v.trend_score END AS s_trend,
  -- opinion: opinion_heat, linear [0, 100]
  CASE WHEN w.w_opinion > 0 AND v.opinion_heat IS NOT NULL THEN
    max(0.0, min(1.0, (v.opinion_heat - 0.0) / (100.0 - 0.0))) END AS s_opinion,
  -- harm: casualties, bins [[0, 0.0], [2, 0.6], [9, 0.8], [null, 1.0]]
  CASE WHEN w.w_harm > 0 THEN
    CASE WHEN v.casualties <= 0 THEN 0.0 WHEN v.casualties <= 2 THEN 0.6
         WHEN v.casualties <= 9 THEN 0.8 ELSE 1.0 END END AS s_harm,
  -- loss: economic_loss, log [0, 10000000]
  CASE WHEN w.w_loss > 0 AND v.economic_loss IS NOT NULL THEN
    max(0.0, min(1.0, log10(1.0 + max(v.economic_loss - 0.0, 0.0))
                      / log10(1.0 + (10000000.0 - 0.0)))) END AS s_loss
FROM value v JOIN weight w ON w.category = v.category;

-- M: measured weights added in indicator file order (adding 0.0 for an
-- unmeasured indicator leaves a double sum unchanged).
CREATE TEMP TABLE measured AS
SELECT s.*,
  ((((((((0.0 + CASE WHEN s_severity   IS NOT NULL THEN w_severity   ELSE 0.0 END)
              + CASE WHEN s_urgency    IS NOT NULL THEN w_urgency    ELSE 0.0 END)
              + CASE WHEN s_likelihood IS NOT NULL THEN w_likelihood ELSE 0.0 END)
              + CASE WHEN s_scope      IS NOT NULL THEN w_scope      ELSE 0.0 END)
              + CASE WHEN s_trend      IS NOT NULL THEN w_trend      ELSE 0.0 END)
              + CASE WHEN s_opinion    IS NOT NULL THEN w_opinion    ELSE 0.0 END)
              + CASE WHEN s_harm       IS NOT NULL THEN w_harm       ELSE 0.0 END)
              + CASE WHEN s_loss       IS NOT NULL THEN w_loss       ELSE 0.0 END) AS m
FROM subscore s;

-- raw = sum of points_j = (100 * (w_j / M)) * s_j in file order, clamped.
CREATE TEMP TABLE raw_score AS
SELECT id, title, category, district, people_involved, casualties,
  max(0.0, min(100.0,
    ((((((((0.0 + coalesce((100.0 * (w_severity   / m)) * s_severity,   0.0))
                + coalesce((100.0 * (w_urgency    / m)) * s_urgency,    0.0))
                + coalesce((100.0 * (w_likelihood / m)) * s_likelihood, 0.0))
                + coalesce((100.0 * (w_scope      / m)) * s_scope,      0.0))
                + coalesce((100.0 * (w_trend      / m)) * s_trend,      0.0))
                + coalesce((100.0 * (w_opinion    / m)) * s_opinion,    0.0))
                + coalesce((100.0 * (w_harm       / m)) * s_harm,       0.0))
                + coalesce((100.0 * (w_loss       / m)) * s_loss,       0.0)))) AS raw
FROM measured;

-- Snap and round in integers. x = raw * 1e9 >= 0; CAST(x AS INTEGER)
-- truncates, and x - trunc(x) is exact, so n is x rounded half away from zero
-- (written out rather than with round(), whose x + 0.5 can misround).
-- units = (n + d/2) div d with d = 10^(9 - precision) = 10^7.
CREATE TEMP VIEW score AS
SELECT id, title, category, district, people_involved, casualties,
       (n + 5000000) / 10000000 AS units
FROM (SELECT *, CAST(x AS INTEGER) + (x - CAST(x AS INTEGER) >= 0.5) AS n
      FROM (SELECT *, raw * 1e9 AS x FROM raw_score));

-- Threshold grade on the rounded score (min * 10^precision), then the
-- overrides in order: casualties >= 3 forces A; people_involved >= 50 raises
-- C to B. A comparison with NULL (missing value) is not true.
CREATE TEMP VIEW graded AS
SELECT *,
  CASE WHEN casualties >= 3 THEN 'A'
       WHEN people_involved >= 50 AND threshold_grade = 'C' THEN 'B'
       ELSE threshold_grade END AS grade
FROM (SELECT *, CASE WHEN units >= 7000 THEN 'A' WHEN units >= 4500 THEN 'B' ELSE 'C' END
                  AS threshold_grade
      FROM score);

-- Ranking: grade, score descending, id in byte order (BINARY collation = memcmp).
CREATE TEMP TABLE ranked AS
SELECT ROW_NUMBER() OVER (ORDER BY CASE grade WHEN 'A' THEN 1 WHEN 'B' THEN 2 ELSE 3 END,
                                   units DESC, id COLLATE BINARY) AS rank,
       *
FROM graded;

-- ---------------------------------------------------------------------------
-- Input checks: one row of counts that must all be 0. A non-zero count stops
-- the run with "CHECK constraint failed: <name of the check>" (exit code 1
-- under -bail) before any ledger line is printed.
-- ---------------------------------------------------------------------------
-- found_on as YYYY-MM-DD: accept YYYY/M/D too; a date is real when it
-- survives a round trip through julianday() (date() alone accepts 02-30).
CREATE TEMP VIEW found_on_iso AS
SELECT id, CASE WHEN found_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN found_on
                WHEN found_on GLOB '[0-9][0-9][0-9][0-9]/[0-9]*/[0-9]*'
                 AND substr(found_on, 6) NOT GLOB '*[^0-9/]*'
                 AND length(found_on) <= 10
                THEN printf('%s-%02d-%02d', substr(found_on, 1, 4),
                            substr(found_on, 6, instr(substr(found_on, 6), '/') - 1),
                            substr(found_on, 6 + instr(substr(found_on, 6), '/')))
           END AS iso
FROM field;

CREATE TEMP TABLE input_check (
  empty_id         INTEGER CONSTRAINT "an id is empty" CHECK (empty_id = 0),
  duplicate_id     INTEGER CONSTRAINT "an id is duplicated" CHECK (duplicate_id = 0),
  bad_category     INTEGER CONSTRAINT "unknown category" CHECK (bad_category = 0),
  bad_status       INTEGER CONSTRAINT "unknown status" CHECK (bad_status = 0),
  bad_trend        INTEGER CONSTRAINT "unknown trend" CHECK (bad_trend = 0),
  bad_assessment   INTEGER CONSTRAINT "severity, likelihood or urgency not 1-5"
                   CHECK (bad_assessment = 0),
  bad_count        INTEGER CONSTRAINT "people_involved or casualties not a whole number"
                   CHECK (bad_count = 0),
  bad_number       INTEGER CONSTRAINT "opinion_heat or economic_loss not a plain decimal"
                   CHECK (bad_number = 0),
  bad_opinion      INTEGER CONSTRAINT "opinion_heat above 100" CHECK (bad_opinion = 0),
  bad_date         INTEGER CONSTRAINT "found_on not a valid date" CHECK (bad_date = 0),
  missing          INTEGER CONSTRAINT "records missing from the ledger" CHECK (missing = 0));
INSERT INTO input_check SELECT
  (SELECT count(*) FROM field WHERE id = ''),
  (SELECT count(*) - count(DISTINCT id) FROM field),
  (SELECT count(*) FROM field WHERE category NOT IN (SELECT name FROM category_name)),
  (SELECT count(*) FROM field WHERE status NOT IN (SELECT name FROM status_name)),
  (SELECT count(*) FROM field WHERE trend <> '' AND trend NOT IN (SELECT name FROM trend_name)),
  (SELECT count(*) FROM field
   WHERE NOT (severity GLOB '[1-5]' AND likelihood GLOB '[1-5]' AND urgency GLOB '[1-5]')),
  (SELECT count(*) FROM field
   WHERE people_involved GLOB '*[^0-9]*' OR length(people_involved) > 15
      OR casualties = '' OR casualties GLOB '*[^0-9]*' OR length(casualties) > 15),
  (SELECT count(*) FROM (SELECT opinion_heat AS x FROM field
                         UNION ALL SELECT economic_loss FROM field)
   WHERE x <> '' AND (replace(x, '.', '') = '' OR replace(x, '.', '') GLOB '*[^0-9]*'
                      OR length(x) - length(replace(x, '.', '')) > 1
                      OR x GLOB '.*' OR x GLOB '*.' OR length(x) > 16)),
  (SELECT count(*) FROM value WHERE opinion_heat > 100),
  (SELECT count(*) FROM found_on_iso WHERE iso IS NULL OR date(julianday(iso)) IS NOT iso),
  (SELECT count(*) FROM records) - (SELECT count(*) FROM ranked);

-- ---------------------------------------------------------------------------
-- The ledger. A field is quoted only when it holds a comma, a double quote,
-- CR or LF (inner quotes doubled); the score is units/100 with two decimals.
-- ---------------------------------------------------------------------------
SELECT 'rank,id,title,category,district,score,grade';

SELECT rank
    || ',' || CASE WHEN id GLOB '*[,"' || char(13, 10) || ']*'
                   THEN '"' || replace(id, '"', '""') || '"' ELSE id END
    || ',' || CASE WHEN title GLOB '*[,"' || char(13, 10) || ']*'
                   THEN '"' || replace(title, '"', '""') || '"' ELSE title END
    || ',' || category
    || ',' || CASE WHEN district GLOB '*[,"' || char(13, 10) || ']*'
                   THEN '"' || replace(district, '"', '""') || '"' ELSE district END
    || ',' || printf('%d.%02d', units / 100, units % 100)
    || ',' || grade
FROM ranked
ORDER BY rank;
