#!/usr/bin/env bash
# riskledger benchmark harness. One command from a clean clone:
#
#   bench/run.sh
#
# Builds riskledger (Release), installs the peers (DuckDB and Polars, from the
# npm registry, versions pinned in bench/package-lock.json) into
# bench/node_modules, generates synthetic record files into bench/data, times
# riskledger and the peers as whole processes (median of BENCH_RUNS runs after
# one warm-up, with peak RSS), checks that the peers' ledgers are
# byte-identical to riskledger's, and prints a markdown report that is also
# written to bench/results-<date>.md. See docs/performance.md.
#
# Environment:
#   BENCH_SIZES       record counts (default "1000000 10000000")
#   BENCH_RUNS        timed runs per measurement, after one warm-up (default 5)
#   BENCH_PEERS       peers to run (default "duckdb polars"; "" for none)
#   BENCH_SKIP_BUILD  1 = use the existing build/cli/riskledger
#   BENCH_RESULTS     report file (default bench/results-<date>.md)
#
# Not part of ./scripts/test.sh or ctest.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
sizes=${BENCH_SIZES:-"1000000 10000000"}
runs=${BENCH_RUNS:-5}
peers=${BENCH_PEERS-"duckdb polars"}
as_of=2026-11-25
bin=$root/build/cli/riskledger
data=$root/bench/data
out_root=$data/out
results=${BENCH_RESULTS:-$root/bench/results-$(date +%F).md}
columns=rank,id,title,category,district,score,grade

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- tools ------------------------------------------------------------------
apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  log "installing Debian packages: $*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v python3 >/dev/null || missing+=(python3)
command -v lscpu >/dev/null || missing+=(util-linux)
if ((${#missing[@]})); then apt_install "${missing[@]}"; fi

# --- build ------------------------------------------------------------------
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "building riskledger (Release)"
  ./scripts/setup.sh build Release >&2
fi
[ -x "$bin" ] || die "$bin is missing (build failed?)"
# Every measurement uses one frozen copy of the binary, so a rebuild of
# build/ while the harness runs cannot change what is measured.
mkdir -p "$out_root"
cp "$bin" "$out_root/riskledger.tmp" && mv "$out_root/riskledger.tmp" "$out_root/riskledger"
bin=$out_root/riskledger

# --- peers ------------------------------------------------------------------
declare -A peer_ok=() peer_note=()
if [ -n "$peers" ]; then
  log "installing the peers into bench/node_modules (npm ci)"
  if ! npm ci --prefix bench --no-audit --no-fund --loglevel=error >&2; then
    log "warning: npm ci failed; the peers are skipped"
  fi
fi
for p in $peers; do
  case $p in
    duckdb) mod=@duckdb/node-api ;;
    polars) mod=nodejs-polars ;;
    *) die "unknown peer '$p' (BENCH_PEERS takes duckdb and/or polars)" ;;
  esac
  # Loading the module is not enough for Polars, whose native part is an
  # optional package npm skips on an unsupported Node version: run a query.
  case $p in
    duckdb) probe="const d = await import('$mod'); const i = await d.DuckDBInstance.create(':memory:'); await (await i.connect()).run('SELECT 1');" ;;
    polars) probe="const { default: pl } = await import('$mod'); pl.DataFrame({ a: [1] }).select(pl.col('a'));" ;;
  esac
  if err=$(cd bench && node --input-type=module -e "$probe" 2>&1); then
    peer_ok[$p]=1
  else
    peer_note[$p]="does not load on this machine: $(printf '%s' "$err" | grep -m1 -E 'Error|error' || true)"
    log "warning: peer $p ${peer_note[$p]}"
  fi
done
peer_version() { node -p "require('./bench/node_modules/$1/package.json').version" 2>/dev/null || echo "?"; }

# --- what this riskledger can do -------------------------------------------
has_synth=0
if "$bin" --help 2>/dev/null | grep -qE '^[[:space:]]+synth([[:space:]]|$)' && "$bin" synth --help >/dev/null 2>&1; then
  has_synth=1
fi
has_threads=0
if "$bin" grade --help 2>/dev/null | grep -q -- '--threads'; then has_threads=1; fi
has_no_fsync=0
if "$bin" grade --help 2>/dev/null | grep -q -- '--no-fsync'; then has_no_fsync=1; fi
has_score_threads=0
if "$bin" score --help 2>/dev/null | grep -q -- '--threads'; then has_score_threads=1; fi

# --- data -------------------------------------------------------------------
mkdir -p "$data"
if ((has_synth)); then
  generator="riskledger synth ($("$bin" --version 2>/dev/null | head -n1))"
else
  generator="tests/sql/make_synthetic.py (riskledger synth is not available)"
fi
for n in $sizes; do
  file=$data/records-$n.csv
  if [ -f "$file" ] && [ "$(cat "$file.source" 2>/dev/null)" = "$generator --count $n --seed 1" ]; then
    continue
  fi
  log "generating $n records with $generator"
  rm -f "$file" "$file.source"
  if ((has_synth)); then
    "$bin" synth --count "$n" --seed 1 -o "$file.tmp"
  else
    python3 tests/sql/make_synthetic.py --count "$n" --seed 1 -o "$file.tmp"
  fi
  mv "$file.tmp" "$file"
  printf '%s\n' "$generator --count $n --seed 1" >"$file.source"
done

# --- measuring --------------------------------------------------------------
# measure KEY STDOUT OK_CODES CMD...: one warm-up, then $runs timed runs of
# CMD with stdout to STDOUT; stores the median, min and max wall seconds, the
# median user+system CPU seconds and the peak RSS (KiB) over the timed runs,
# and the exit codes seen. An exit code outside OK_CODES (a comma-separated
# list) makes it return 1, which stops the harness (set -e) for riskledger and
# marks a peer as failed. With `fresh=FILE measure ...`, FILE (the output) is
# removed before each run, outside the timing, so that no run pays for freeing
# the last run's output: replacing a 3.4 GB ledger cost the rename 1.1-1.4 s
# on the project's machine (its disk is mounted with discard), the same for
# any --threads, and the peers' outputs are treated alike.
declare -A med=() tmin=() tmax=() rss=() cpu=() codes=()
measure() {
  local key=$1 stdout=$2 ok=$3
  shift 3
  local tf errf times=() cpus=() r code peak=0
  tf=$(mktemp) errf=$(mktemp)
  log "  $key: warm-up + $runs runs"
  for ((r = 0; r <= runs; r++)); do
    if [ -n "${fresh:-}" ]; then
      rm -f "$fresh"
      sync
    fi
    code=0
    /usr/bin/time -f '%e %M %U %S' -o "$tf" -- "$@" >"$stdout" 2>"$errf" || code=$?
    if [[ ",$ok," != *",$code,"* ]]; then
      codes[$key]=$code
      log "error: '$*' exited with $code; its stderr:"
      tail -n 20 "$errf" >&2
      grep -v '^Command exited' "$tf" >&2 || true
      rm -f "$tf" "$errf"
      return 1
    fi
    [[ ",${codes[$key]:-}," == *",$code,"* ]] || codes[$key]=${codes[$key]:+${codes[$key]},}$code
    ((r == 0)) && continue
    local line e m u s
    line=$(grep -E '^[0-9.]+ [0-9]+ [0-9.]+ [0-9.]+$' "$tf" | tail -n1)
    read -r e m u s <<<"$line"
    times+=("$e")
    cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')")
    ((m > peak)) && peak=$m
  done
  rm -f "$tf" "$errf"
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  med[$key]=$(printf '%s\n' "$sorted" | median)
  tmin[$key]=$(printf '%s\n' "$sorted" | head -n1)
  tmax[$key]=$(printf '%s\n' "$sorted" | tail -n1)
  rss[$key]=$peak
  cpu[$key]=$(printf '%s\n' "${cpus[@]}" | sort -g | median)
}

# median: of the sorted numbers on stdin.
median() { awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# first_difference A B: the first differing line of two files, both sides.
first_difference() {
  local at line
  at=$(cmp "$1" "$2" 2>&1 | head -n1 || true)
  printf '%s\n' "$at"
  line=$(printf '%s\n' "$at" | sed -nE 's/.* line ([0-9]+).*/\1/p')
  if [ -n "$line" ]; then
    printf 'riskledger line %s: %s\n' "$line" "$(sed -n "${line}{p;q}" "$1")"
    printf 'peer       line %s: %s\n' "$line" "$(sed -n "${line}{p;q}" "$2")"
  fi
}

mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }
verdict() { awk -v x="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == "<=") ? x <= t : (op == "<") ? x < t : x >= t; print ok ? "met" : "**not met**" }'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A identical=() mismatch=() peer_failed=()
for n in $sizes; do
  file=$data/records-$n.csv
  out=$out_root/$n
  mkdir -p "$out"
  log "size $n ($(du -h "$file" | cut -f1))"
  fresh="$out/grade.csv" measure "$n|grade" /dev/null 0,3 "$bin" grade "$file" --as-of "$as_of" -o "$out/grade.csv" --quiet
  fresh="$out/grade-columns.csv" measure "$n|grade-columns" /dev/null 0,3 "$bin" grade "$file" --as-of "$as_of" -o "$out/grade-columns.csv" --quiet --columns "$columns"
  if ((has_no_fsync)); then
    # Like for like: the peers do not flush their output to disk.
    fresh="$out/grade-columns-nofsync.csv" measure "$n|grade-columns-nofsync" /dev/null 0,3 "$bin" grade "$file" --as-of "$as_of" -o "$out/grade-columns-nofsync.csv" --quiet --columns "$columns" --no-fsync
    cmp -s "$out/grade-columns.csv" "$out/grade-columns-nofsync.csv" || log "MISMATCH: --no-fsync changed the ledger at $n records"
  fi
  if ((has_threads)); then
    fresh="$out/grade-t1.csv" measure "$n|grade-t1" /dev/null 0,3 "$bin" grade "$file" --as-of "$as_of" -o "$out/grade-t1.csv" --quiet --threads 1
    fresh="$out/grade-t2.csv" measure "$n|grade-t2" /dev/null 0,3 "$bin" grade "$file" --as-of "$as_of" -o "$out/grade-t2.csv" --quiet --threads 2
    same=yes
    for t in t1 t2; do cmp -s "$out/grade.csv" "$out/grade-$t.csv" || same=no; done
    identical[$n|threads]=$same
    [ "$same" = yes ] || log "MISMATCH: grade output differs between thread counts at $n records"
  fi
  measure "$n|score" /dev/null 0,3 "$bin" score "$file" --as-of "$as_of" --quiet
  if ((has_score_threads)); then
    measure "$n|score-t1" /dev/null 0,3 "$bin" score "$file" --as-of "$as_of" --quiet --threads 1
  fi
  measure "$n|validate" /dev/null 0,3 "$bin" validate "$file" --quiet
  for p in $peers; do
    [ -n "${peer_ok[$p]:-}" ] || continue
    rm -f "$out/$p.csv"
    if ! fresh="$out/$p.csv" measure "$n|$p" /dev/null 0 node "$root/bench/${p}_policy.mjs" "$file" "$out/$p.csv"; then
      peer_failed[$n|$p]=1
      log "warning: $p failed at $n records (see above); no ratio for it"
      continue
    fi
    if cmp -s "$out/grade-columns.csv" "$out/$p.csv"; then
      identical[$n|$p]=yes
    else
      identical[$n|$p]=no
      mismatch[$n|$p]=$(first_difference "$out/grade-columns.csv" "$out/$p.csv")
      {
        echo
        echo "!!!!!!!! MISMATCH: $p's ledger is not byte-identical to riskledger's ($n records) !!!!!!!!"
        printf '%s\n' "${mismatch[$n|$p]}"
        echo "!!!!!!!! no ratio is reported for $p at $n records !!!!!!!!"
        echo
      } >&2
    fi
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report -----------------------------------------------------------------
label() {
  case $1 in
    grade) echo "riskledger grade (full default ledger)" ;;
    grade-columns) echo "riskledger grade --columns $columns" ;;
    grade-columns-nofsync) echo "riskledger grade --columns (as above) --no-fsync" ;;
    grade-t1) echo "riskledger grade --threads 1" ;;
    grade-t2) echo "riskledger grade --threads 2" ;;
    score) echo "riskledger score > /dev/null" ;;
    score-t1) echo "riskledger score --threads 1 > /dev/null" ;;
    validate) echo "riskledger validate" ;;
    duckdb) echo "DuckDB $(peer_version @duckdb/node-api) (bench/duckdb_policy.mjs)" ;;
    polars) echo "Polars $(peer_version nodejs-polars) (bench/polars_policy.mjs)" ;;
  esac
}

report() {
  local mem_kib
  mem_kib=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
  echo "# riskledger benchmark, $(date '+%F %H:%M %Z')"
  echo
  echo "## Machine"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| CPU | $(lscpu | sed -nE 's/^Model name:[[:space:]]+//p' | head -n1) |"
  echo "| cores (nproc) | $(nproc) |"
  echo "| memory | $(awk -v k="$mem_kib" 'BEGIN { printf "%.1f GiB", k / 1048576 }') |"
  echo "| load average (1/5/15 min) before / after | $load_before / $load_after |"
  echo "| riskledger | $("$bin" --version 2>/dev/null | head -n1), work tree at commit $(git rev-parse --short HEAD 2>/dev/null || echo ?)$(git diff --quiet HEAD -- lib cli CMakeLists.txt 2>/dev/null || echo ' with uncommitted changes in lib/ or cli/'); binary sha256 $(sha256sum "$bin" | cut -c1-12) |"
  echo "| --threads | $( ((has_threads)) && echo "listed by grade --help" || echo "not available (grade --help does not list it)") |"
  echo "| node | $(node --version) |"
  for p in duckdb polars; do
    case $p in duckdb) m=@duckdb/node-api ;; polars) m=nodejs-polars ;; esac
    if [[ " $peers " != *" $p "* ]]; then
      echo "| $p | not run (BENCH_PEERS) |"
    elif [ -n "${peer_ok[$p]:-}" ]; then
      echo "| $p | $m $(peer_version "$m") |"
    else
      echo "| $p | **unavailable**: ${peer_note[$p]:-} |"
    fi
  done
  echo "| data | $generator, seed 1 |"
  echo "| method | whole processes, /usr/bin/time; median of $runs runs after one warm-up; peak RSS = largest of the $runs runs; each run writes its ledger to a path removed (and synced) before it, outside the timing |"
  for n in $sizes; do
    local file=$data/records-$n.csv bytes
    bytes=$(stat -c %s "$file")
    echo
    echo "## $n records ($(awk -v b="$bytes" 'BEGIN { printf "%.1f MB, %.0f MiB", b / 1e6, b / 1048576 }'))"
    echo
    echo "| measurement | median s | min s | max s | CPU s (user+sys, median) | peak RSS MiB | RSS / input | MB/s | exit |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
    local k
    for k in grade grade-columns grade-columns-nofsync grade-t1 grade-t2 score score-t1 validate $peers; do
      [ -n "${med[$n|$k]:-}" ] || continue
      echo "| $(label "$k") | ${med[$n|$k]} | ${tmin[$n|$k]} | ${tmax[$n|$k]} | ${cpu[$n|$k]} | $(mib "${rss[$n|$k]}") |" \
        "$(awk -v r="${rss[$n|$k]}" -v b="$bytes" 'BEGIN { printf "%.2f", r * 1024 / b }') |" \
        "$(awk -v b="$bytes" -v t="${med[$n|$k]}" 'BEGIN { if (t > 0) printf "%.0f", b / 1e6 / t; else print "-" }') | ${codes[$n|$k]} |"
    done
    echo
    echo "| check | value | target | |"
    echo "|---|---:|---|---|"
    local p r
    for p in $peers; do
      if [ -z "${peer_ok[$p]:-}" ]; then
        echo "| grade --columns / $p (wall) | – | $p unavailable | |"
      elif [ -n "${peer_failed[$n|$p]:-}" ]; then
        echo "| grade --columns / $p (wall) | – | **$p failed** (exit code ${codes[$n|$p]:-?}) | |"
      elif [ "${identical[$n|$p]:-}" = yes ]; then
        r=$(ratio "${med[$n|grade-columns]}" "${med[$n|$p]}")
        local t
        case $p in duckdb) t=0.2 ;; polars) t=0.25 ;; esac
        echo "| grade --columns / $p (wall), outputs byte-identical | $r | <= $t on 10M | $(verdict "$r" '<=' "$t")$( ((n == 10000000)) || echo ' (target is for 10M)') |"
        if [ -n "${med[$n|grade-columns-nofsync]:-}" ]; then
          r=$(ratio "${med[$n|grade-columns-nofsync]}" "${med[$n|$p]}")
          echo "| grade --columns --no-fsync / $p (wall): like for like, neither flushes | $r | <= $t on 10M | $(verdict "$r" '<=' "$t")$( ((n == 10000000)) || echo ' (target is for 10M)') |"
        fi
        echo "| grade (full ledger) / $p (wall) | $(ratio "${med[$n|grade]}" "${med[$n|$p]}") | (for information) | |"
      else
        echo "| grade --columns / $p | **MISMATCH**: no ratio | byte-identical output | **not met** |"
      fi
    done
    echo "| grade peak RSS / input size | $(awk -v r="${rss[$n|grade]}" -v b="$bytes" 'BEGIN { printf "%.2f", r * 1024 / b }') | <= 2 | $(verdict "$(awk -v r="${rss[$n|grade]}" -v b="$bytes" 'BEGIN { print r * 1024 / b }')" '<=' 2) |"
    echo "| score peak RSS MiB | $(mib "${rss[$n|score]}") | < 64, flat | $(verdict "$(mib "${rss[$n|score]}")" '<' 64) |"
    local one=score
    [ -n "${med[$n|score-t1]:-}" ] && one=score-t1
    r=$(awk -v b="$bytes" -v t="${med[$n|$one]}" 'BEGIN { printf "%.0f", b / 1e6 / t }')
    echo "| score MB/s$([ $one = score-t1 ] && echo ' (--threads 1)') | $r | >= 300 on one core | $(verdict "$r" '>=' 300) |"
    if [ $one = score-t1 ]; then
      r=$(awk -v b="$bytes" -v t="${med[$n|score]}" 'BEGIN { printf "%.0f", b / 1e6 / t }')
      echo "| score MB/s (default: one thread per core) | $r | (for information) | |"
    fi
    if ((has_threads)); then
      r=$(ratio "${med[$n|grade-t1]}" "${med[$n|grade-t2]}")
      echo "| grade speed-up, --threads 2 over --threads 1 | $r | >= 1.7 on 10M | $(verdict "$r" '>=' 1.7)$( ((n == 10000000)) || echo ' (target is for 10M)') |"
      echo "| grade output identical for --threads 1, 2 and default | ${identical[$n|threads]} | yes | $([ "${identical[$n|threads]}" = yes ] && echo met || echo '**not met**') |"
    else
      echo "| grade speed-up, --threads 2 over --threads 1 | – | >= 1.7 | not measurable: no --threads |"
    fi
    for p in $peers; do
      if [ -n "${mismatch[$n|$p]:-}" ]; then
        echo
        echo "**MISMATCH** between riskledger and $p at $n records (first difference):"
        echo
        echo '```'
        printf '%s\n' "${mismatch[$n|$p]}"
        echo '```'
      fi
    done
  done
}

report | tee "$results"
log "report written to ${results#"$root"/}"
for k in "${!mismatch[@]}"; do
  log "MISMATCH: ${k#*|} at ${k%%|*} records (see the report)"
done
if ((${#mismatch[@]})); then exit 1; fi
