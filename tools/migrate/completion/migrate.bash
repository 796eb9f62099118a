# bash completion for migrate (libmigrate's CLI): installed as share/bash-completion/completions/migrate.
#
# Commands, their options and the values of the closed options are written out here, so completing costs no
# process; the test tests/packaging/completion_test.sh compares every list with `migrate <command> --help`, so
# a command or option added to the CLI fails that test until it is added here.
# Self-contained: bash's own COMP_WORDS/COMP_CWORD and compgen, no bash-completion helpers needed.

_migrate_commands="status up repair resolve revert plan version tui baseline verify lint new rebase"
_migrate_baseline_commands="create verify mark"

# The options of a command ("baseline create" is baseline_create).
_migrate_options() {
    local target="--url --dir --table --lock --lock-timeout --config --keyspace"
    local several="--all --jobs"
    local common="-h --help --json -q --quiet --no-color"
    local planetscale="--planetscale-org --planetscale-database --planetscale-branch --planetscale-api
                       --planetscale-keyspace --from-branch"
    local deploy="--cutover --revert-window --instant --deploy-timeout --deploy-poll-ms"
    local run="--allow-out-of-order --allow-missing --allow-dirty --to --max-table-copy --no-baseline"
    local locks="--statement-lock-wait --statement-lock-budget"
    case $1 in
    status) echo "$target $several $common -v --verbose --no-baseline $planetscale" ;;
    up) echo "$target $several $common -v --verbose --dry-run $locks $run $planetscale $deploy --log-format --log-level" ;;
    repair) echo "$target $common -y --yes" ;;
    resolve) echo "$target $common --applied --retry" ;;
    revert) echo "$target $common -y --yes $planetscale $deploy" ;;
    plan) echo "$target $several $common $run --sql $planetscale" ;;
    version) echo "$common" ;;
    # The TUI has no --json: it is a screen, not a document.
    tui) echo "$target $several -h --help -q --quiet --no-color $locks $run $planetscale $deploy" ;;
    baseline) echo "-h --help" ;;
    baseline_create) echo "$target $several $common --scratch-url --through" ;;
    baseline_verify) echo "$target $several $common --scratch-url" ;;
    baseline_mark) echo "$target $common --through -y --yes" ;;
    verify) echo "$target $several $common --schema" ;;
    lint) echo "--dir --format --flavor --url --base --table --config --keyspace --all --sharded --no-foreign-keys $common" ;;
    new) echo "--name --prefix --dir $common" ;;
    rebase) echo "--onto --dir $common" ;;
    "") echo "-h --help --version" ;;
    esac
}

# The values of an option that takes one from a closed set (empty: not a closed option).
_migrate_values() {
    case $1 in
    --lock) echo "session lease" ;;
    --format) echo "human json sarif" ;;
    --flavor) echo "mysql mariadb vitess planetscale" ;;
    --prefix) echo "index timestamp supabase unix none" ;;
    --cutover) echo "automatic apply wait" ;;
    --revert-window) echo "skip wait leave-open" ;;
    --log-format) echo "text json" ;;
    --log-level) echo "debug info warning error" ;;
    esac
}

# Options that take a value (the word after them is not a command or an option).
_migrate_takes_value() {
    case $1 in
    --url | --dir | --table | --lock | --lock-timeout | --config | --keyspace | --jobs | --statement-lock-wait | \
        --statement-lock-budget | --to | --max-table-copy | --planetscale-* | --from-branch | --cutover | \
        --revert-window | --deploy-timeout | --deploy-poll-ms | --scratch-url | --through | --format | --flavor | \
        --name | --prefix | --log-format | --log-level | --base | --onto) return 0 ;;
    esac
    return 1
}

# The target names of the project config: --config's file, else migrate.json here or in a parent folder (as
# the CLI finds it). Cheap, not a JSON parser: the keys that open an object two levels deep ("targets": {...}).
_migrate_keyspaces() {
    local config=$1 dir=$PWD
    if [[ -z $config ]]; then
        while [[ -n $dir ]]; do
            [[ -f $dir/migrate.json ]] && config=$dir/migrate.json && break
            [[ $dir == / ]] && break
            dir=${dir%/*}
            [[ -z $dir ]] && dir=/
        done
    fi
    [[ -r $config ]] || return
    awk '{
        line = $0
        while (length(line) > 0) {
            if (match(line, /^"[^"]*"[ \t]*:[ \t]*\{/)) {
                if (depth == 2) { key = substr(line, 2); sub(/".*/, "", key); print key }
                depth++; line = substr(line, RLENGTH + 1); continue
            }
            c = substr(line, 1, 1)
            if (c == "{") depth++
            else if (c == "}") depth--
            else if (c == "\"") { if (match(line, /^"([^"\\]|\\.)*"/)) { line = substr(line, RLENGTH + 1); continue } }
            line = substr(line, 2)
        }
    }' "$config" 2>/dev/null
}

_migrate() {
    COMPREPLY=()
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=""
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # --opt=value: bash splits at '=' (COMP_WORDBREAKS), giving "--opt" "=" "value".
    if [[ $cur == = ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        cur=""
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi

    # The command (and the baseline subcommand) so far, and the --config given, if any.
    local command="" sub="" config="" i word
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        if [[ $word == --config ]] && ((i + 1 < COMP_CWORD)); then
            config=${COMP_WORDS[i + 1]}
            [[ $config == = ]] && ((i + 2 < COMP_CWORD)) && config=${COMP_WORDS[i + 2]}
        fi
        if _migrate_takes_value "$word"; then
            ((i++))
            [[ ${COMP_WORDS[i]} == = ]] && ((i++))
            continue
        fi
        [[ $word == -* || $word == = ]] && continue
        if [[ -z $command ]]; then
            command=$word
        elif [[ $command == baseline && -z $sub ]]; then
            sub=$word
        fi
    done

    if _migrate_takes_value "$prev"; then
        local values
        values=$(_migrate_values "$prev")
        if [[ -n $values ]]; then
            mapfile -t COMPREPLY < <(compgen -W "$values" -- "$cur")
            return 0
        fi
        case $prev in
        --dir)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
            ;;
        --config)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            ;;
        --keyspace) mapfile -t COMPREPLY < <(compgen -W "$(_migrate_keyspaces "$config")" -- "$cur") ;;
        esac
        return 0
    fi

    if [[ -z $command ]]; then
        if [[ $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W "$(_migrate_options "")" -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -W "$_migrate_commands" -- "$cur")
        fi
        return 0
    fi
    if [[ $command == baseline && -z $sub && $cur != -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$_migrate_baseline_commands" -- "$cur")
        return 0
    fi
    local key=$command
    [[ -n $sub ]] && key=${command}_$sub
    if [[ $cur == -* || $command != resolve ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_migrate_options "$key")" -- "$cur")
    fi
    return 0
}

complete -F _migrate migrate
