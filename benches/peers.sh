#!/usr/bin/env bash
# Compares trellisc with two peer tools, migra (PyPI) and pgmold (crates.io),
# on the generated schemas, and prints a markdown table (also saved to
# target/peers/results.md).
#
#   bash benches/peers.sh [--proxy | --no-proxy] [--sizes 3000[,1000,10000]] [--runs 3]
#
#   --sizes LIST  table counts with databases to diff (default 3000; env PEERS_SIZES)
#   --no-proxy    skip the rows through the 25 ms latency proxy (env PEERS_PROXY=0)
#   --runs N      runs per command, the median quoted (default 3; env PEERS_RUNS)
#
# Other environment: PEERS_PORT (5510) and PEERS_PROXY_PORT (5520) for the
# throwaway server and the proxy; PEERS_DATABASE_URL=postgresql://USER@HOST:PORT
# to use an existing server instead (old_N and new_N there are dropped and
# made again); PEERS_DUMP_PROXY_RUNS (1) runs of the pg_dump floor through the
# proxy (pg_dump 15 asks per table, so that takes minutes); PGBIN
# (/usr/lib/postgresql/15/bin). Needs root (the server runs as `postgres`),
# python3, cargo. Installs the peers into target/peers when missing. Every
# command's exit status and output are checked: an error is reported in the
# table instead of a time. Outputs of the last run are kept in target/peers/out.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SIZES="${PEERS_SIZES:-3000}"
PROXY="${PEERS_PROXY:-1}"
RUNS="${PEERS_RUNS:-3}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --proxy) PROXY=1 ;;
        --no-proxy) PROXY=0 ;;
        --sizes) SIZES="$2"; shift ;;
        --sizes=*) SIZES="${1#--sizes=}" ;;
        --runs) RUNS="$2"; shift ;;
        --runs=*) RUNS="${1#--runs=}" ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "peers.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
    esac
    shift
done
IFS=', ' read -r -a SIZE_LIST <<< "$SIZES"
GROWTH_SIZES=(1000 3000 10000)
OFFLINE_SIZE=10000
RTT_MS=25

PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
PORT="${PEERS_PORT:-5510}"
PROXY_PORT="${PEERS_PROXY_PORT:-5520}"
DUMP_PROXY_RUNS="${PEERS_DUMP_PROXY_RUNS:-1}"
OUT="$ROOT/target/peers"
SQL_DIR="$OUT/sql"
KEEP_DIR="$OUT/out"
SCHEMAS="$ROOT/target/bench-schemas"
BIN_DIR=/tmp/peers-bin
TRELLISC="$BIN_DIR/trellisc"
MIGRA="$OUT/venv/bin/migra"
PGMOLD="$OUT/bin/pgmold"
TIME=/usr/bin/time
mkdir -p "$OUT" "$SQL_DIR" "$KEEP_DIR" "$BIN_DIR"
SCRATCH="$(mktemp -d /tmp/peers-run.XXXXXX)"
STARTED=$(date +%s)
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'peers.sh: %s\n' "$*" >&2; exit 1; }

PG_DIR=""
PROXY_PID=""
cleanup() {
    set +e
    if [[ -n "$PROXY_PID" ]]; then kill "$PROXY_PID" 2>/dev/null; wait "$PROXY_PID" 2>/dev/null; fi
    if [[ -n "$PG_DIR" && -d "$PG_DIR/data" ]]; then
        runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
    fi
    [[ -n "$PG_DIR" ]] && rm -rf "$PG_DIR"
    rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[[ -x "$TIME" ]] || { say "installing GNU time"; apt-get install -y time >/dev/null || die "needs /usr/bin/time (apt-get install time)"; }
for tool in initdb pg_ctl psql pg_dump; do [[ -x "$PGBIN/$tool" ]] || die "no $PGBIN/$tool (PostgreSQL 15)"; done

# --- 1. trellisc and the schemas ---------------------------------------------
if [[ -x target/release/trellisc ]]; then
    source_bin=target/release/trellisc
else
    target_dir="${PEERS_TARGET_DIR:-/tmp/peers-target}"
    say "building trellisc (release) into $target_dir"
    CARGO_TARGET_DIR="$target_dir" cargo build --release --bin trellisc >&2
    source_bin="$target_dir/release/trellisc"
fi
# A copy, so that a concurrent rebuild of target/release cannot change it mid-run.
cp "$source_bin" "$TRELLISC.$$" && mv -f "$TRELLISC.$$" "$TRELLISC"
TRELLISC_NOTE="$source_bin of $(date -u -r "$source_bin" '+%Y-%m-%d %H:%M UTC'), tree at $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
[[ -z "$(git status --porcelain --untracked-files=no -- src Cargo.toml Cargo.lock 2>/dev/null || true)" ]] ||
    TRELLISC_NOTE+=" with uncommitted changes in src/ or Cargo.*"
"$TRELLISC" --version >/dev/null || die "$TRELLISC does not run"

missing=()
for n in "${SIZE_LIST[@]}" "${GROWTH_SIZES[@]}" "$OFFLINE_SIZE"; do
    if [[ ! -d "$SCHEMAS/$n" || ! -d "$SCHEMAS/$n-changed" ]] && [[ " ${missing[*]} " != *" $n "* ]]; then
        missing+=("$n")
    fi
done
if [[ ${#missing[@]} -gt 0 ]]; then
    say "generating schemas ${missing[*]}"
    cargo bench --bench generate -- "${missing[@]}" >&2
fi

# --- the peers ----------------------------------------------------------------
MIGRA_BROKEN=""
if [[ ! -x "$MIGRA" ]]; then
    say "installing migra into $OUT/venv"
    # migra 3.0 (its last release) needs SQLAlchemy 1.x: with 2.x it picks the
    # psycopg 3 driver and its queries fail.
    if ! { python3 -m venv "$OUT/venv" &&
           "$OUT/venv/bin/pip" install -q 'migra==3.0.1663481299' 'schemainspect==3.1.1663587362' \
               'sqlalchemy>=1.4,<2' psycopg2-binary; } >"$SCRATCH/migra-install.log" 2>&1; then
        MIGRA_BROKEN="install failed: $(tail -n1 "$SCRATCH/migra-install.log")"
    fi
fi
PGMOLD_BROKEN=""
if [[ ! -x "$PGMOLD" ]]; then
    say "installing pgmold into $OUT (compiles, several minutes)"
    spec=pgmold
    [[ -n "${PEERS_PGMOLD_VERSION:-}" ]] && spec="pgmold@$PEERS_PGMOLD_VERSION"
    if ! CARGO_TARGET_DIR="$SCRATCH/pgmold-build" cargo install --locked --root "$OUT" "$spec" \
            >"$SCRATCH/pgmold-install.log" 2>&1; then
        PGMOLD_BROKEN="install failed: $(grep -m1 '^error' "$SCRATCH/pgmold-install.log" || tail -n1 "$SCRATCH/pgmold-install.log")"
    fi
fi
MIGRA_VERSION="not installed"
if [[ -z "$MIGRA_BROKEN" ]]; then
    MIGRA_VERSION="$("$OUT/venv/bin/python" - <<'EOF'
from importlib.metadata import version
print(", ".join(f"{p} {version(p)}" for p in ("migra", "schemainspect", "sqlbag", "SQLAlchemy", "psycopg2-binary")))
EOF
)"
fi
PGMOLD_VERSION="not installed"
[[ -z "$PGMOLD_BROKEN" ]] && PGMOLD_VERSION="$("$PGMOLD" --version)"

# --- 2. the server ---------------------------------------------------------------
if [[ -n "${PEERS_DATABASE_URL:-}" ]]; then
    [[ "$PEERS_DATABASE_URL" =~ ^postgres(ql)?://([^@/]+)@([^:/]+):([0-9]+)/?$ ]] ||
        die "PEERS_DATABASE_URL must be postgresql://USER[:PASSWORD]@HOST:PORT"
    DB_USERINFO="${BASH_REMATCH[2]}"
    DB_HOST="${BASH_REMATCH[3]}"
    PORT="${BASH_REMATCH[4]}"
    SERVER_NOTE="existing server $DB_HOST:$PORT"
else
    DB_USERINFO=postgres
    DB_HOST=127.0.0.1
    base=/dev/shm
    # Two databases of N tables take about 0.25 MB per table.
    need_kb=$(( (1000000 + 250 * $(printf '%s\n' "${SIZE_LIST[@]}" | sort -n | tail -n1)) ))
    if [[ ! -d /dev/shm ]] || (( $(df -Pk /dev/shm | awk 'NR==2 {print $4}') < need_kb )); then base=/var/tmp; fi
    PG_DIR="$(mktemp -d "$base/peers-pg.XXXXXX")"
    chown postgres "$PG_DIR"
    say "starting PostgreSQL on 127.0.0.1:$PORT in $PG_DIR"
    runuser -u postgres -- "$PGBIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust \
        -E UTF8 --locale=C.UTF-8 >"$SCRATCH/initdb.log" 2>&1 || { cat "$SCRATCH/initdb.log" >&2; die "initdb failed"; }
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off \
            -c full_page_writes=off -c max_locks_per_transaction=2048 -c shared_buffers=512MB \
            -c max_connections=50" start >/dev/null ||
        { cat "$PG_DIR/server.log" >&2; die "the server did not start (port $PORT taken?)"; }
    SERVER_NOTE="throwaway server, data in $base (fsync=off, max_locks_per_transaction=2048)"
fi
export PGCONNECT_TIMEOUT=20
url() { printf 'postgresql://%s@%s:%s/%s' "$DB_USERINFO" "$DB_HOST" "$1" "$2"; }
admin_psql() { PGOPTIONS='-c client_min_messages=warning' "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$(url "$PORT" "${1:-postgres}")" "${@:2}"; }
PG_VERSION="$(admin_psql postgres -Atc 'show server_version')"

# --- 3 and 4. source SQL, databases ------------------------------------------------
# trellisc's own `diff --from empty` output: what the databases are made from
# and what pgmold reads as its `sql:` input.
write_sql() { # NAME DIR
    local rc=0
    "$TRELLISC" diff --from empty --to "$2" >"$SQL_DIR/$1.sql" 2>"$SCRATCH/$1.err" || rc=$?
    [[ $rc -eq 2 && -s "$SQL_DIR/$1.sql" ]] || { cat "$SCRATCH/$1.err" >&2; die "trellisc diff --from empty --to $2 exited $rc"; }
}
sql_sizes=("${SIZE_LIST[@]}")
[[ " ${sql_sizes[*]} " == *" $OFFLINE_SIZE "* ]] || sql_sizes+=("$OFFLINE_SIZE")
for n in "${sql_sizes[@]}"; do
    say "writing $SQL_DIR/old_$n.sql and new_$n.sql"
    write_sql "old_$n" "$SCHEMAS/$n"
    write_sql "new_$n" "$SCHEMAS/$n-changed"
done

# pgmold 0.34's parser refuses the standard spelling `character varying(n)`
# ("unsupported column type: CharacterVarying"). If it does, it is given the
# same SQL with `varchar(n)`, the same type, and a note says so.
PGMOLD_NOTE=""
PGMOLD_SUFFIX=""
if [[ -z "$PGMOLD_BROKEN" ]]; then
    probe="$SQL_DIR/new_${SIZE_LIST[0]}.sql"
    if ! "$PGMOLD" check --schema "sql:$probe" >"$SCRATCH/pgmold-probe.out" 2>&1; then
        reason="$(grep -m1 -v '^[[:space:]]*$' "$SCRATCH/pgmold-probe.out" | cut -c1-160)"
        for f in "$SQL_DIR"/old_*.sql "$SQL_DIR"/new_*.sql; do
            [[ "$f" == *.pgmold.sql ]] && continue
            sed 's/character varying(/varchar(/g' "$f" >"${f%.sql}.pgmold.sql"
        done
        if "$PGMOLD" check --schema "sql:${probe%.sql}.pgmold.sql" >"$SCRATCH/pgmold-probe2.out" 2>&1; then
            PGMOLD_SUFFIX=.pgmold
            PGMOLD_NOTE="pgmold refuses trellisc's SQL as written (\`$reason\`); it is given the same SQL with \`character varying(n)\` spelt \`varchar(n)\` (target/peers/sql/*.pgmold.sql)."
        else
            PGMOLD_BROKEN="refuses the input SQL: $reason"
        fi
    fi
fi

for n in "${SIZE_LIST[@]}"; do
    for side in old new; do
        db="${side}_$n"
        say "creating database $db"
        admin_psql postgres -c "drop database if exists $db" -c "create database $db"
        admin_psql "$db" -f "$SQL_DIR/$db.sql" >/dev/null
        admin_psql "$db" -c 'vacuum analyze'
    done
    # The databases must be exactly their sources.
    for pair in "old_$n:$n" "new_$n:$n-changed"; do
        rc=0
        "$TRELLISC" diff --from "$(url "$PORT" "${pair%%:*}")" --to "$SCHEMAS/${pair#*:}" >"$SCRATCH/same.out" 2>&1 || rc=$?
        [[ $rc -eq 0 ]] || { head -n 20 "$SCRATCH/same.out" >&2; die "database ${pair%%:*} differs from $SCHEMAS/${pair#*:} (exit $rc)"; }
    done
done

# --- 5. the latency proxy ------------------------------------------------------------
LATENCY_NOTE=""
median_of() { sort -g | awk '{v[NR]=$1} END {if (NR == 0) print ""; else if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
query_rtt() { # PORT: median client-side time of `select 1`, in ms, over one connection
    { echo '\timing on'; for _ in $(seq 10); do echo 'select 1;'; done; } >"$SCRATCH/rtt.sql"
    "$PGBIN/psql" -X -q -At "$(url "$1" postgres)" -f "$SCRATCH/rtt.sql" | awk '/^Time:/ {print $2}' | median_of
}
connect_ms() { # PORT: mean wall time of a whole `psql -c 'select 1'`, in ms, over 10
    local start end
    start=$(date +%s%N)
    for _ in $(seq 10); do "$PGBIN/psql" -X -At "$(url "$1" postgres)" -c 'select 1' >/dev/null; done
    end=$(date +%s%N)
    echo $(( (end - start) / 10000000 ))
}
if [[ "$PROXY" == 1 ]]; then
    python3 "$ROOT/benches/latency_proxy.py" "$PROXY_PORT" "$DB_HOST" "$PORT" "$RTT_MS" >"$SCRATCH/proxy.log" 2>&1 &
    PROXY_PID=$!
    for _ in $(seq 50); do
        "$PGBIN/psql" -X -At "$(url "$PROXY_PORT" postgres)" -c 'select 1' >/dev/null 2>&1 && break
        kill -0 "$PROXY_PID" 2>/dev/null || { cat "$SCRATCH/proxy.log" >&2; die "the latency proxy did not start"; }
        sleep 0.2
    done
    d_q=$(query_rtt "$PORT"); p_q=$(query_rtt "$PROXY_PORT")
    d_c=$(connect_ms "$PORT"); p_c=$(connect_ms "$PROXY_PORT")
    LATENCY_NOTE="Latency proxy check: \`select 1\` takes ${d_q} ms direct, ${p_q} ms through the proxy (median of 10 on one connection); a whole \`psql -c 'select 1'\` (connect, SSL refusal, startup, query) ${d_c} ms direct, ${p_c} ms through it (mean of 10)."
    say "$LATENCY_NOTE"
    awk -v d="$d_q" -v p="$p_q" -v r="$RTT_MS" 'BEGIN {x = p - d; exit !(x > r * 0.9 && x < r * 1.3)}' ||
        die "the proxy adds $(awk -v d="$d_q" -v p="$p_q" 'BEGIN {print p - d}') ms per round trip, not ~$RTT_MS"
fi

# --- 6. measuring ------------------------------------------------------------------
declare -A WALL RSS FAIL STMTS
count_statements() { # SQL statements in a tool's output: lines ending in `;`, less comments and BEGIN/COMMIT
    grep -v '^[[:space:]]*--' "$1" | grep -Ev '^(BEGIN|COMMIT);[[:space:]]*$' | grep -c ';[[:space:]]*$' || true
}
# measure KEY "EXPECTED EXIT CODES" OUTPUT(nonempty|any) COMMAND...
measure() {
    local key="$1" expected="$2" output="$3"; shift 3
    local walls=() rsss=() i rc line
    for ((i = 1; i <= RUNS; i++)); do
        rc=0
        "$TIME" -f '%e %M' -o "$SCRATCH/$key.time" "$@" >"$SCRATCH/$key.out" 2>"$SCRATCH/$key.err" || rc=$?
        line="$(tail -n1 "$SCRATCH/$key.time")"
        if [[ " $expected " != *" $rc "* ]]; then
            FAIL[$key]="failed: exit $rc: $(grep -m1 -v '^[[:space:]]*$' "$SCRATCH/$key.err" | cut -c1-140 | tr '|' '/')"
        elif [[ "$output" == nonempty && ! -s "$SCRATCH/$key.out" ]]; then
            FAIL[$key]="failed: exit $rc but no output"
        fi
        cp "$SCRATCH/$key.out" "$KEEP_DIR/$key.out"
        cp "$SCRATCH/$key.err" "$KEEP_DIR/$key.err"
        if [[ -n "${FAIL[$key]:-}" ]]; then say "$key: ${FAIL[$key]}"; return 0; fi
        walls+=("${line% *}")
        rsss+=("${line#* }")
        say "$key: run $i: ${line% *} s, $(( ${line#* } / 1024 )) MiB (exit $rc)"
    done
    WALL[$key]="$(printf '%s\n' "${walls[@]}" | median_of)"
    RSS[$key]="$(printf '%s\n' "${rsss[@]}" | median_of | awk '{printf "%.0f", $1 / 1024}')"
    STMTS[$key]="$(count_statements "$SCRATCH/$key.out")"
}
broken() { # KEY REASON: a row for a peer that cannot run
    FAIL[$1]="failed: $2"
}

run_migra() { # KEY PORT N
    if [[ -n "$MIGRA_BROKEN" ]]; then broken "$1" "$MIGRA_BROKEN"; return; fi
    # migra exits 2 when the databases differ, 0 when they do not.
    measure "$1" "2" nonempty "$MIGRA" --unsafe "$(url "$2" "old_$3")" "$(url "$2" "new_$3")"
}
run_pgmold_plan() { # KEY PORT N
    if [[ -n "$PGMOLD_BROKEN" ]]; then broken "$1" "$PGMOLD_BROKEN"; return; fi
    # pgmold plan exits 0 whether or not there are changes.
    measure "$1" "0" nonempty "$PGMOLD" plan --schema "sql:$SQL_DIR/new_$3$PGMOLD_SUFFIX.sql" \
        --database "db:$(url "$2" "old_$3")"
}

# The floor issue 21 names: one query per catalog the comparison needs
# (tables, columns with their defaults, constraints, indexes, sequences,
# enums, dependencies), each with PostgreSQL's own deparsing, on one
# connection; what reading the database cannot go below.
cat >"$SQL_DIR/floor.sql" <<'FLOOR'
SELECT c.oid, c.relname, c.relkind, c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public';
SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped;
SELECT co.conrelid, co.conname, pg_get_constraintdef(co.oid) FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace WHERE n.nspname = 'public';
SELECT i.indrelid, i.indexrelid, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public';
SELECT s.* FROM pg_sequence s;
SELECT e.enumtypid, e.enumlabel, e.enumsortorder FROM pg_enum e;
SELECT d.classid, d.objid, d.refclassid, d.refobjid, d.deptype FROM pg_depend d WHERE d.deptype IN ('n', 'a', 'i');
FLOOR

# A diff of two databases reads both: its floor is the same queries on
# both databases at once (one connection each), done when both are.
cat >"$SQL_DIR/floor_both.sh" <<FLOOR_BOTH
"$PGBIN/psql" -X -q -o /dev/null -f "$SQL_DIR/floor.sql" "\$1" & first=\$!
"$PGBIN/psql" -X -q -o /dev/null -f "$SQL_DIR/floor.sql" "\$2" || exit 1
wait "\$first"
FLOOR_BOTH

for n in "${SIZE_LIST[@]}"; do
    say "database rows, $n tables"
    measure "floor_lo_$n" "0" any "$PGBIN/psql" -X -q -o /dev/null -f "$SQL_DIR/floor.sql" "$(url "$PORT" "old_$n")"
    measure "floor2_lo_$n" "0" any bash "$SQL_DIR/floor_both.sh" "$(url "$PORT" "old_$n")" "$(url "$PORT" "new_$n")"
    measure "dump_lo_$n" "0" nonempty "$PGBIN/pg_dump" --schema-only "$(url "$PORT" "old_$n")"
    measure "t_dbdb_lo_$n" "2" nonempty "$TRELLISC" diff --allow-destructive --from "$(url "$PORT" "old_$n")" --to "$(url "$PORT" "new_$n")"
    run_migra "p_dbdb_lo_$n" "$PORT" "$n"
    measure "t_dbsrc_lo_$n" "2" nonempty "$TRELLISC" diff --from "$(url "$PORT" "old_$n")" --to "$SCHEMAS/$n-changed"
    run_pgmold_plan "p_dbsrc_lo_$n" "$PORT" "$n"
    if [[ "$PROXY" == 1 ]]; then
        measure "t_dbdb_px_$n" "2" nonempty "$TRELLISC" diff --allow-destructive --from "$(url "$PROXY_PORT" "old_$n")" --to "$(url "$PROXY_PORT" "new_$n")"
        run_migra "p_dbdb_px_$n" "$PROXY_PORT" "$n"
        measure "t_dbsrc_px_$n" "2" nonempty "$TRELLISC" diff --from "$(url "$PROXY_PORT" "old_$n")" --to "$SCHEMAS/$n-changed"
        run_pgmold_plan "p_dbsrc_px_$n" "$PROXY_PORT" "$n"
        measure "floor_px_$n" "0" any "$PGBIN/psql" -X -q -o /dev/null -f "$SQL_DIR/floor.sql" "$(url "$PROXY_PORT" "old_$n")"
        measure "floor2_px_$n" "0" any bash "$SQL_DIR/floor_both.sh" "$(url "$PROXY_PORT" "old_$n")" "$(url "$PROXY_PORT" "new_$n")"
        saved_runs="$RUNS"; RUNS="$DUMP_PROXY_RUNS"
        measure "dump_px_$n" "0" nonempty "$PGBIN/pg_dump" --schema-only "$(url "$PROXY_PORT" "old_$n")"
        RUNS="$saved_runs"
    fi
done

say "offline rows, $OFFLINE_SIZE tables"
measure "t_src_$OFFLINE_SIZE" "2" nonempty "$TRELLISC" diff --from "$SCHEMAS/$OFFLINE_SIZE" --to "$SCHEMAS/$OFFLINE_SIZE-changed"
if [[ -n "$PGMOLD_BROKEN" ]]; then
    broken "p_src_$OFFLINE_SIZE" "$PGMOLD_BROKEN"
else
    # pgmold diff exits 0 whether or not there are changes.
    measure "p_src_$OFFLINE_SIZE" "0" nonempty "$PGMOLD" diff --from "sql:$SQL_DIR/old_$OFFLINE_SIZE$PGMOLD_SUFFIX.sql" \
        --to "sql:$SQL_DIR/new_$OFFLINE_SIZE$PGMOLD_SUFFIX.sql"
fi

say "trellisc alone, ${GROWTH_SIZES[*]} tables"
for n in "${GROWTH_SIZES[@]}"; do
    [[ -n "${WALL[t_src_$n]:-}${FAIL[t_src_$n]:-}" ]] ||
        measure "t_src_$n" "2" nonempty "$TRELLISC" diff --from "$SCHEMAS/$n" --to "$SCHEMAS/$n-changed"
    measure "t_check_$n" "0" any "$TRELLISC" check "$SCHEMAS/$n"
done

# --- the table ---------------------------------------------------------------------
cell() { # KEY: "wall s / RSS MB" or the failure
    if [[ -n "${FAIL[$1]:-}" ]]; then printf '%s' "${FAIL[$1]}"
    elif [[ -n "${WALL[$1]:-}" ]]; then printf '%.2f s, %s MiB' "${WALL[$1]}" "${RSS[$1]}"
    else printf 'not run'; fi
}
ratio() { # A B FIELD: B / A
    local a b
    if [[ "$3" == wall ]]; then a="${WALL[$1]:-}"; b="${WALL[$2]:-}"; else a="${RSS[$1]:-}"; b="${RSS[$2]:-}"; fi
    if [[ -n "$a" && -n "$b" && -z "${FAIL[$1]:-}${FAIL[$2]:-}" ]]; then
        awk -v a="$a" -v b="$b" 'BEGIN {if (a > 0) printf "%.1f×", b / a; else printf "–"}'
    else printf '–'; fi
}
stmts() { [[ -n "${WALL[$1]:-}" && -z "${FAIL[$1]:-}" ]] && printf '%s' "${STMTS[$1]}" || printf '–'; }
row() { # LABEL TRELLISC_KEY PEER_NAME PEER_KEY DUMP_KEY CATALOG_FLOOR_KEY
    local floor='–' catalog='–'
    [[ -n "$5" ]] && floor="$(cell "$5")"
    [[ -n "${6:-}" ]] && catalog="$(cell "$6") ($(ratio "$6" "$2" wall) of it)"
    printf '| %s | %s | %s | %s | %s | %s | %s / %s | %s | %s |\n' "$1" "$(cell "$2")" "$3" "$(cell "$4")" \
        "$(ratio "$2" "$4" wall)" "$(ratio "$2" "$4" rss)" "$(stmts "$2")" "$(stmts "$4")" "$catalog" "$floor"
}
growth() { # LABEL KEY_PREFIX
    local line="| $1 |" prev="" n key i
    for n in "${GROWTH_SIZES[@]}"; do line+=" $(cell "$2$n") |"; done
    for ((i = 1; i < ${#GROWTH_SIZES[@]}; i++)); do
        prev="$2${GROWTH_SIZES[i-1]}"; key="$2${GROWTH_SIZES[i]}"
        line+=" $(ratio "$prev" "$key" wall) time, $(ratio "$prev" "$key" rss) memory |"
    done
    printf '%s\n' "$line"
}

{
    echo "## trellisc and its peers"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/^Mem/ {print $2}') GiB;" \
        "PostgreSQL $PG_VERSION, $SERVER_NOTE; $("$TRELLISC" --version); $PGMOLD_VERSION; $MIGRA_VERSION."
    echo "trellisc measured: $TRELLISC_NOTE (copied to $TRELLISC at the start)."
    echo "Load average (1, 5, 15 min) $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end (the measured commands themselves count for about 1): well above that, something else was running too (a build?) and the figures are noisy."
    echo "Each figure is the median of $RUNS run(s) (wall seconds, peak RSS) of the whole process, /usr/bin/time; ratios are peer ÷ trellisc, so above 1× means trellisc is faster or smaller. Statements: \`;\`-terminated lines of the output, less comments and BEGIN/COMMIT. The N-changed schemas differ from N in 1% of their tables."
    echo
    echo "| diff | trellisc | peer tool | peer | time ratio | memory ratio | statements trellisc / peer | floor: one query per catalog, of both databases at once for database → database (trellisc ÷ floor) | pg_dump --schema-only of old_N |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    for n in "${SIZE_LIST[@]}"; do
        row "database → database, $n tables, loopback" "t_dbdb_lo_$n" "migra --unsafe" "p_dbdb_lo_$n" "dump_lo_$n" "floor2_lo_$n"
        [[ "$PROXY" == 1 ]] && row "database → database, $n tables, ${RTT_MS} ms round trip" "t_dbdb_px_$n" "migra --unsafe" "p_dbdb_px_$n" "dump_px_$n" "floor2_px_$n"
        row "database → source, $n tables, loopback" "t_dbsrc_lo_$n" "pgmold plan" "p_dbsrc_lo_$n" "dump_lo_$n" "floor_lo_$n"
        [[ "$PROXY" == 1 ]] && row "database → source, $n tables, ${RTT_MS} ms round trip" "t_dbsrc_px_$n" "pgmold plan" "p_dbsrc_px_$n" "dump_px_$n" "floor_px_$n"
    done
    row "source → source, $OFFLINE_SIZE tables, offline" "t_src_$OFFLINE_SIZE" "pgmold diff" "p_src_$OFFLINE_SIZE" ""
    echo
    [[ "$PROXY" == 1 && "$DUMP_PROXY_RUNS" != "$RUNS" ]] && echo "The pg_dump floor through the proxy is $DUMP_PROXY_RUNS run(s), not $RUNS: pg_dump 15 sends queries per table, so it takes minutes there." && echo
    echo "trellisc alone, as the schema grows (${GROWTH_SIZES[*]} tables; each step is ×3 and ×3.3 the tables):"
    echo
    header="| trellisc |"; sep="| --- |"
    for n in "${GROWTH_SIZES[@]}"; do header+=" $n tables |"; sep+=" --- |"; done
    for ((i = 1; i < ${#GROWTH_SIZES[@]}; i++)); do header+=" ${GROWTH_SIZES[i-1]} → ${GROWTH_SIZES[i]} |"; sep+=" --- |"; done
    echo "$header"; echo "$sep"
    growth "diff N → N-changed (sources)" "t_src_"
    growth "check N" "t_check_"
    echo
    [[ -n "$LATENCY_NOTE" ]] && echo "$LATENCY_NOTE" && echo
    [[ -n "$PGMOLD_NOTE" ]] && echo "$PGMOLD_NOTE" && echo
    echo "Run with \`bash benches/peers.sh --sizes ${SIZES// /} $([[ "$PROXY" == 1 ]] && echo --proxy || echo --no-proxy) --runs $RUNS\` in $(( $(date +%s) - STARTED )) s; the outputs of each command's last run are in target/peers/out."
} >"$SCRATCH/results.md"
cp "$SCRATCH/results.md" "$OUT/results.md"
cat "$OUT/results.md"
