#!/usr/bin/env bash
# The bash completion of migrate (tools/migrate/completion/migrate.bash) against the CLI itself: every command,
# baseline subcommand and option `migrate ... --help` lists is offered, nothing else is, the closed options
# offer exactly their values, and --dir/--config/--keyspace complete folders, files and the config's targets.
# Usage: completion_test.sh <migrate> <migrate.bash>
set -uo pipefail
migrate=$1
# shellcheck source=/dev/null
source "$2"

failures=0
[[ $(complete -p migrate) == *"-F _migrate "* ]] || { echo "FAIL: migrate.bash registers no _migrate for migrate" >&2; exit 1; }
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# What completing the last word of `migrate <words...>` offers, sorted, one a line.
offered() {
    COMP_WORDS=(migrate "$@")
    COMP_CWORD=$(($#))
    COMP_LINE="migrate $*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _migrate
    printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort -u
}

help_of() { "$migrate" "$@" --help; }
# The subcommands a --help lists.
subcommands_of() { help_of "$@" | awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1; next } on { exit }' | sort -u; }
# The options a --help lists ("-q,--quiet" is two), at the two-space indent of CLI11's option lines.
options_of() { help_of "$@" | grep -oE '^  -[^ ]+' | sed 's/^  //' | tr ',' '\n' | sort -u; }

expect_same() {  # what, expected, actual: the difference as diff shows it (<: expected only, >: offered only)
    if [[ $2 != "$3" ]]; then
        fail "$1 (<: expected, not offered; >: offered, not expected)"$'\n'"$(diff <(echo "$2") <(echo "$3") | grep '^[<>]')"
    fi
}

# Commands.
commands=$(subcommands_of)
[[ -n $commands ]] || fail "no subcommands parsed from migrate --help"
expect_same "commands" "$commands" "$(offered "")"
expect_same "commands starting with b" "$(grep '^b' <<<"$commands")" "$(offered b)"
expect_same "top-level options" "$(options_of)" "$(offered -)"

# Each command's options, the nested baseline commands' too.
paths=()
for command in $commands; do
    subs=$(subcommands_of "$command")
    if [[ -n $subs ]]; then
        expect_same "$command subcommands" "$subs" "$(offered "$command" "")"
        paths+=("$command")
        for sub in $subs; do paths+=("$command $sub"); done
    else
        paths+=("$command")
    fi
done
for path in "${paths[@]}"; do
    read -ra words <<<"$path"
    expect_same "options of $path" "$(options_of "${words[@]}")" "$(offered "${words[@]}" -)"
    # Each option that takes a value is known as one (the next word is its value, not a command or option),
    # and a closed option ({a,b} in the help) offers exactly its values, also as --opt=value.
    while read -r option type; do
        [[ -n $option ]] || continue
        _migrate_takes_value "$option" || fail "$path: $option takes a value ($type) but the completion skips none"
        if [[ $type =~ \{([^}]*)\} ]]; then
            values=$(tr ',' '\n' <<<"${BASH_REMATCH[1]}" | sort -u)
            expect_same "$path $option values" "$values" "$(offered "${words[@]}" "$option" "")"
            expect_same "$path $option=values" "$values" "$(offered "${words[@]}" "$option" = "")"
        fi
    done < <(help_of "${words[@]}" | sed -nE 's/^  (-[a-z],)?(--[a-z0-9-]+) ([A-Z]+([:=][^ ]*)?)( .*|)$/\2 \3/p')
    # Flags do not take one.
    while read -r flag; do
        [[ -n $flag ]] || continue
        if _migrate_takes_value "$flag"; then fail "$path: $flag is a flag but the completion skips a value after it"; fi
    done < <(help_of "${words[@]}" | sed -nE 's/^  (-[a-z],)?(--[a-z0-9-]+)( {2,}[a-z].*|)$/\2/p')
    # After an option's value, the command's options again.
    expect_same "options of $path after --dir x" "$(options_of "${words[@]}" | grep -- '--no-color')" \
        "$(offered "${words[@]}" --dir x --no-c)"
done

# --prefix's values are named in its description (drizzle-kit's migrations.prefix), not as a CLI11 set.
prefix_help=$(help_of new | grep -- '--prefix')
for value in $(offered new --prefix ""); do
    [[ $prefix_help == *"$value"* ]] || fail "new --prefix offers $value, which its help does not name"
done
expect_same "new --prefix t" "timestamp" "$(offered new --prefix t)"

# Folders, files and targets.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/project/drizzle" "$scratch/project/sub"
cat >"$scratch/project/migrate.json" <<'EOF'
{
  "targets": {
    "oi_global": { "url": "mysql://u@h/oi_global", "migrations": "drizzle" },
    "oi_claims": {
      "url": "mysql://u@h/oi_claims",
      "migrations": "drizzle",
      "planetscale": { "organization": "acme", "database": "claims" }
    }
  },
  "defaults": { "table": "__drizzle_migrations" }
}
EOF
cp "$scratch/project/migrate.json" "$scratch/project/sub/other.json"
cd "$scratch/project/sub" || exit 1
expect_same "--keyspace from migrate.json in a parent folder" $'oi_claims\noi_global' "$(offered up --keyspace "")"
expect_same "--keyspace oi_c" "oi_claims" "$(offered status --keyspace oi_c)"
cd "$scratch/project" || exit 1
expect_same "--keyspace from --config" "oi_global" "$(offered up --config sub/other.json --keyspace oi_g)"
expect_same "--dir completes folders" $'drizzle' "$(offered up --dir dr)"
expect_same "--dir= completes folders" $'sub' "$(offered lint --dir = s)"
expect_same "--config completes files" "migrate.json" "$(offered up --config mig)"

if ((failures)); then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "completion: ${#paths[@]} commands checked against their --help"
