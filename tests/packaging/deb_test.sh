#!/usr/bin/env bash
# The Debian packages (cmake/packaging.cmake) of this build: cpack makes them, `dpkg-deb -x` unpacks them into a
# scratch root (never dpkg -i: nothing is installed into the system), and then
#   - each package holds its own files (library and drivers / headers, CMake package and .pc / programs, man
#     pages and completion), no file is in two packages, no file names the build or source tree;
#   - the control fields: versions equal, dev and tools depend on the runtime of that very version;
#   - consumers build against the root with find_package (examples/service-startup) and with pkg-config
#     (pkgconfig-consumer/) and run against the test server, and the unpacked migrate agrees with them;
#   - the unpacked migrate runs, its man pages name every command, its completion offers what it has.
# Usage: deb_test.sh <build dir> <source dir> <cmake> <c++ compiler>   (MIGRATE_TEST_URL: the test server)
set -euo pipefail
build=$1 source=$2 cmake=$3 cxx=$4
url=${MIGRATE_TEST_URL:-$MIGRATE_TEST_DEFAULT_URL}

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/libmigrate-deb.XXXXXX")
database=""
cleanup() {
    if [[ -n $database ]]; then sql "drop database if exists \`$database\`" || true; fi
    rm -rf "$scratch"
}
trap cleanup EXIT

# An environment that points at nothing of the build tree (tests/packaging/installed_tree.hpp does the same).
clean() { env LD_LIBRARY_PATH= MIGRATE_DRIVER_PATH= DATABASE_URL= MIGRATIONS_DIR= CMAKE_PREFIX_PATH= PKG_CONFIG_PATH= "$@"; }

# The packages, into a folder of this test's own (cpack -B), so that `make package`'s are not touched.
mkdir "$scratch/cpack"
(cd "$scratch/cpack" && "$(dirname "$cmake")/cpack" --config "$build/CPackConfig.cmake" -B "$scratch/cpack") \
    >"$scratch/cpack.log" 2>&1 || { cat "$scratch/cpack.log"; exit 1; }
mapfile -t debs < <(ls "$scratch"/cpack/packages/*.deb)
echo "packages: ${debs[*]##*/}"
((${#debs[@]} == 3)) || { fail "expected 3 packages, got ${#debs[@]}"; exit 1; }

deb_of() { ls "$scratch"/cpack/packages/"$1"_*.deb; }
runtime=$(basename "$(ls "$scratch"/cpack/packages/libmigrate[0-9]*_*.deb)")
runtime=${runtime%%_*}
field() { dpkg-deb -f "$(deb_of "$1")" "$2"; }
files_of() { dpkg-deb -c "$(deb_of "$1")" | awk '{ print $6 }' | sed 's|^\./|/|' | grep -v '/$' | sort; }

# Control fields.
version=$(field "$runtime" Version)
for package in libmigrate-dev migrate-tools; do
    [[ $(field $package Version) == "$version" ]] || fail "$package version $(field $package Version) != $version"
    [[ $(field $package Depends) == *"$runtime (= $version)"* ]] ||
        fail "$package Depends lacks $runtime (= $version): $(field $package Depends)"
done
[[ $(field "$runtime" Depends) == *libc6* ]] || fail "$runtime Depends has no libc6 (dpkg-shlibdeps): $(field "$runtime" Depends)"
[[ $(field migrate-tools Depends) == *libc6* ]] || fail "migrate-tools Depends has no libc6: $(field migrate-tools Depends)"
[[ $(field "$runtime" Depends) != *"$runtime"* ]] || fail "$runtime depends on itself"
for package in "$runtime" libmigrate-dev migrate-tools; do
    description=$(field "$package" Description)
    [[ $description == *$'\n '?* && $description != *";"* ]] || fail "$package Description: $description"
done
[[ $(for p in "$runtime" libmigrate-dev migrate-tools; do field "$p" Description | head -1; done | sort -u | wc -l) == 3 ]] ||
    fail "the packages share a synopsis"

# File lists: what must be where, and nothing twice.
expect_files() {  # package, then extended regexes each matching at least one of its files
    local package=$1 files
    shift
    files=$(files_of "$package")
    for pattern in "$@"; do
        grep -qE "^$pattern\$" <<<"$files" || fail "$package has no file matching $pattern"
    done
}
expect_files "$runtime" '/usr/lib/libmigrate\.so\.[0-9]+' '/usr/lib/libmigrate\.so\.[0-9.]+' \
    '/usr/lib/libmigrate/libmigrate-driver-mysql2-like\.so' '/usr/lib/libmigrate/libmigrate-driver-http-planetscale\.so' \
    '/usr/share/doc/libmigrate/cli\.md'
expect_files libmigrate-dev '/usr/include/migrate/migrate\.hpp' '/usr/include/migrate\.h' '/usr/include/migrate/driver\.h' \
    '/usr/lib/libmigrate\.so' '/usr/lib/cmake/libmigrate/libmigrateConfig\.cmake' '/usr/lib/pkgconfig/libmigrate\.pc'
expect_files migrate-tools '/usr/bin/migrate' '/usr/bin/migrate-driver-check' '/usr/bin/psdb-gateway' \
    '/usr/share/man/man1/migrate\.1\.gz' '/usr/share/man/man1/migrate-baseline-create\.1\.gz' \
    '/usr/share/man/man1/psdb-gateway\.1\.gz' '/usr/share/bash-completion/completions/migrate'
files_of "$runtime" | grep -E '^/usr/(include|bin)/|\.pc$|\.cmake$|/libmigrate\.so$' | sed "s/^/FAIL: $runtime holds a dev or tools file: /" >&2 && failures=$((failures + 1))
files_of libmigrate-dev | grep -E '^/usr/bin/|\.so\.[0-9]|/share/man/' | sed "s/^/FAIL: libmigrate-dev holds: /" >&2 && failures=$((failures + 1))
files_of migrate-tools | grep -E '^/usr/(lib|include)/' | sed "s/^/FAIL: migrate-tools holds: /" >&2 && failures=$((failures + 1))
twice=$(for p in "$runtime" libmigrate-dev migrate-tools; do files_of "$p"; done | sort | uniq -d)
[[ -z $twice ]] || fail "in two packages: $twice"

# Unpacked into a scratch root, not installed.
root=$scratch/root
for deb in "${debs[@]}"; do dpkg-deb -x "$deb" "$root"; done
# No file names the build tree or the source checkout (debug info, a generated path, a man page's usage line).
for tree in "$build" "$source"; do
    if named=$(grep -rlF -- "$tree" "$root"); then fail "files naming $tree: $named"; fi
done

# The unpacked CLI runs from the root: its libmigrate.so and drivers come from there.
migrate=$root/usr/bin/migrate
out=$(clean "$migrate" --version) || fail "migrate --version: $out"
[[ $out == *"migrate ${version%-*}"* && $out == *"; $root/usr/"*"/lib/libmigrate/libmigrate-driver-mysql2-like.so)"* ]] ||
    fail "migrate --version from the root: $out"
clean "$root/usr/bin/psdb-gateway" --help >/dev/null || fail "psdb-gateway --help"

# Man pages: every command of `migrate --help` has its page and migrate(1) names it; man renders it.
commands=$(clean "$migrate" --help | awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1; next } on { exit }')
[[ -n $commands ]] || fail "no commands in migrate --help"
page=$(gzip -dc "$root/usr/share/man/man1/migrate.1.gz")
for command in $commands; do
    [[ -f $root/usr/share/man/man1/migrate-$command.1.gz ]] || fail "no man page migrate-$command.1.gz"
    grep -q "^$command\$" <<<"$page" || fail "migrate(1) does not list $command"
done
if command -v man >/dev/null; then
    rendered=$(MANWIDTH=100 man -l "$root/usr/share/man/man1/migrate-up.1.gz" 2>/dev/null | col -b 2>/dev/null || true)
    [[ $rendered == *"--dry-run"* && $rendered == *"migrate up"* ]] || fail "man -l migrate-up.1.gz: $rendered"
fi

# The packaged completion is the source's, and completes what the packaged CLI has (completion_test.sh).
completion=$root/usr/share/bash-completion/completions/migrate
cmp -s "$completion" "$source/tools/migrate/completion/migrate.bash" || fail "the packaged completion differs from the source's"
clean bash "$source/tests/packaging/completion_test.sh" "$migrate" "$completion" >/dev/null || fail "completion_test.sh on the root"

# Consumers against the root, on a scratch database of the test server.
if [[ ! $url =~ ^mysql://([^:@/]+)(:([^@/]*))?@([^:/]+)(:([0-9]+))?/?$ ]]; then
    fail "MIGRATE_TEST_URL must look like mysql://user:password@host:port: $url"
    exit 1
fi
user=${BASH_REMATCH[1]} password=${BASH_REMATCH[3]} host=${BASH_REMATCH[4]} port=${BASH_REMATCH[6]:-3306}
client=$(command -v mariadb || command -v mysql)
sql() { MYSQL_PWD=$password "$client" --protocol=tcp -h "$host" -P "$port" -u "$user" -e "$1"; }
database=pkg_deb_$$
sql "create database \`$database\`"
db_url=${url%/}/$database
folder=$source/examples/openinsure/oi_billing
entries=$(grep -c '"tag"' "$folder/meta/_journal.json")

# Configures and builds a consumer project with `clean` plus the assignments in consumer_env.
consumer_env=()
configure() {  # source, build dir, extra cmake args...
    local from=$1 into=$2
    shift 2
    { clean env "${consumer_env[@]}" "$cmake" -S "$from" -B "$into" -DCMAKE_CXX_COMPILER="$cxx" \
        -DCMAKE_BUILD_TYPE=Release "$@" && clean "$cmake" --build "$into" -j2; } >"$into.log" 2>&1 ||
        { cat "$into.log"; return 1; }
}
consumer_env=(CMAKE_PREFIX_PATH="$root/usr")
if configure "$source/examples/service-startup" "$scratch/service"; then
    grep -q "libmigrate_DIR:PATH=$root/usr/lib/cmake/libmigrate" "$scratch/service/CMakeCache.txt" ||
        fail "find_package did not find the unpacked libmigrate"
    out=$(clean env DATABASE_URL="$db_url" MIGRATIONS_DIR="$folder" MIGRATE_USE_BASELINE=0 \
        "$scratch/service/service-startup" 2>&1) || fail "service-startup: $out"
    [[ $out == *"ready applied=$entries "* ]] || fail "service-startup did not apply $entries migrations: $out"
else
    fail "the find_package consumer does not build against the root"
fi
consumer_env=(PKG_CONFIG_PATH="$root/usr/lib/pkgconfig")
if configure "$source/tests/packaging/pkgconfig-consumer" "$scratch/pc"; then
    out=$(clean env DATABASE_URL="$db_url" MIGRATIONS_DIR="$folder" "$scratch/pc/pkgconfig-consumer" 2>&1) ||
        fail "pkgconfig-consumer: $out"
    [[ $out == *"recorded=$entries pending=0"* ]] || fail "pkgconfig-consumer: $out"
else
    fail "the pkg-config consumer does not build against the root"
fi
# The unpacked CLI agrees: every migration recorded, none pending.
out=$(clean "$migrate" status --json --no-baseline --url "$db_url" --dir "$folder" 2>&1) || fail "migrate status: $out"
[[ $out != *'"pending"'* || $out == *'"state": "applied"'* ]] || fail "migrate status: $out"

if ((failures)); then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "packages ok: ${debs[*]##*/}"
