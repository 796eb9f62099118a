# Shared by the bench/ scripts (sourced, not run): paths, the server, timing and medians.
#   BUILD_DIR=… (default build)  MIGRATE_BENCH_URL=mysql://user:pw@host:port (default: $MIGRATE_TEST_URL,
#   else the private server of scripts/db). Every database a benchmark uses is created and dropped by it,
#   over TCP as that user (the user needs CREATE/DROP DATABASE).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN="${BUILD_DIR:-build}/bin"
MIGRATE="$BIN/migrate"
INTEROP="$PWD/tests/interop"
EXAMPLES="$PWD/examples/openinsure"
# Raw samples of the benchmarks that write them (.tsv), for bench/plot; bench/results/ is not committed.
RESULTS="${BENCH_RESULTS:-$PWD/bench/results}"
SERVER_URL="${MIGRATE_BENCH_URL:-${MIGRATE_TEST_URL:-$(scripts/db url)}}"
SERVER_URL="${SERVER_URL%/}"
[[ "$SERVER_URL" =~ ^mysql://([^:@/]+):([^@/]*)@([^:/]+):([0-9]+)$ ]] ||
  { echo "bench: expected mysql://user:password@host:port in MIGRATE_BENCH_URL/MIGRATE_TEST_URL" >&2; exit 1; }
DB_USER="${BASH_REMATCH[1]}" DB_PASSWORD="${BASH_REMATCH[2]}" DB_HOST="${BASH_REMATCH[3]}" DB_PORT="${BASH_REMATCH[4]}"
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
[[ -d "$INTEROP/node_modules/drizzle-orm" ]] || { echo "bench: npm packages missing (scripts/bootstrap)" >&2; exit 1; }

db_url() { echo "$SERVER_URL/$1"; }
# The mariadb client over TCP as the bench user; the password goes through the environment, not argv.
SQL_CLIENT=(mariadb --no-defaults --protocol=tcp -h "$DB_HOST" -P "$DB_PORT" -u "$DB_USER")
sql() { MYSQL_PWD="$DB_PASSWORD" command "${SQL_CLIENT[@]}" "$@"; }
fresh() { for db in "$@"; do sql -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db"; done; }
drop() { for db in "$@"; do sql -e "DROP DATABASE IF EXISTS $db" || true; done; }
rows() { sql -N -e "SELECT COUNT(*) FROM $1.__drizzle_migrations"; }
journal_entries() { grep -o '"idx"' "$1/meta/_journal.json" | wc -l; }

work="$(mktemp -d)"
# Each script sets BENCH_DATABASES (dropped at exit) and may add to cleanup via on_exit.
BENCH_DATABASES=()
on_exit_hooks=()
on_exit() { on_exit_hooks+=("$1"); }
bench_cleanup() {
  local h
  for h in "${on_exit_hooks[@]}"; do eval "$h" || true; done
  drop "${BENCH_DATABASES[@]}"
  rm -rf "$work"
}
trap bench_cleanup EXIT

# measure CMD…: prints "seconds kib" — wall time from bash's microsecond clock around the process, peak
# RSS from GNU time (%M; of the largest process in the tree for node's children). Fails loudly.
measure() {
  local start=$EPOCHREALTIME
  /usr/bin/time -f '%M' -o "$work/.t" "$@" >/dev/null 2>"$work/.err" || { cat "$work/.err" >&2; exit 1; }
  awk -v a="$start" -v b="$EPOCHREALTIME" -v k="$(tail -n 1 "$work/.t")" 'BEGIN {printf "%.6f %d\n", b - a, k}'
}
measure_sql() { MYSQL_PWD="$DB_PASSWORD" measure "${SQL_CLIENT[@]}" "$@"; }  # the client, measured
median() { sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "nan"; else print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
col() { cut -d' ' -f"$2" "$work/$1" | median; }  # median of column $2 of the file $work/$1
