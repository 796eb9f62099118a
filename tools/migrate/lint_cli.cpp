#include "lint_cli.hpp"

#include "cli_common.hpp"
#include "git_tree.hpp"
#include "lint_output.hpp"

#include <migrate/migrate.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace cli {
namespace {

namespace fs = std::filesystem;

// Which folders to lint, with what each target accepts (docs/lint.md, "Which folders").
// Returns an exit code when the arguments cannot be used.
std::optional<int> choose_folders(const LintArgs& a, std::vector<LintedFolder>& out) {
    std::optional<migrate::Flavor> flavor;
    if (!a.flavor.empty()) flavor = migrate::parse_flavor(a.flavor);
    auto folder = [&](std::string name, fs::path dir) {
        out.push_back({.name = std::move(name),
                       .dir = std::move(dir),
                       .options = {.flavor = flavor.value_or(migrate::Flavor::mysql),
                                   .sharded = a.sharded,
                                   .foreign_keys = !a.no_foreign_keys},
                       .findings = {}});
    };
    const bool config_asked = !a.config.empty() || !a.keyspaces.empty() || a.all;
    if ((!a.folders.empty() || !a.dir.empty()) && config_asked) {
        fmt::print(stderr, "migrate lint: name folders (or --dir) or use a project config, not both\n");
        return exit_usage;
    }
    if (!a.url.empty() && config_asked) {
        fmt::print(stderr, "migrate lint: --url cannot be combined with --config, --keyspace or --all\n");
        return exit_usage;
    }
    for (const auto& f : a.folders) folder(f, f);
    if (!a.dir.empty()) folder(a.dir, a.dir);
    if (!out.empty()) return std::nullopt;

    std::string config = a.config;
    if (config.empty() && (config_asked || a.url.empty()))
        if (auto found = migrate::find_project_config(fs::current_path())) config = found->string();
    if (config.empty()) {
        if (config_asked) {
            fmt::print(stderr,
                       "migrate lint: --keyspace/--all need a project config: pass --config FILE or create "
                       "migrate.json (docs/config.md)\n");
            return exit_usage;
        }
        folder("drizzle", "drizzle");
        return std::nullopt;
    }
    auto project = migrate::load_project_folders(config);  // no secrets needed: lint never connects
    std::vector<migrate::TargetConfig> chosen;
    for (const auto& k : a.keyspaces) {
        const auto* t = project.find(k);
        if (!t) {
            fmt::print(stderr, "migrate lint: {} has no target \"{}\"\n", config, k);
            return exit_usage;
        }
        chosen.push_back(*t);
    }
    if (chosen.empty()) chosen = project.targets;  // lint reads folders only: every target by default
    for (const auto& t : chosen)
        out.push_back({.name = t.name,
                       .dir = t.migrations_dir,
                       .options = {.flavor = flavor.value_or(t.flavor.value_or(migrate::Flavor::mysql)),
                                   .sharded = t.sharded || a.sharded,
                                   .foreign_keys = t.foreign_keys && !a.no_foreign_keys},
                       .findings = {}});
    return std::nullopt;
}

// applied-migration-edited: the database's recorded hashes against the folder's files.
void check_applied(const std::string& url, const std::string& table, LintedFolder& folder) {
    std::optional<migrate::Target> target;
    try {
        target.emplace(migrate::Target::open({.url = url, .migrations_dir = folder.dir, .table = table}));
    } catch (const migrate::error& e) {
        if (exit_code_for(e.code()) == exit_invalid_input && e.code() != migrate::errc::url_invalid)
            return;  // the folder cannot be read: its findings already say why
        throw;
    }
    auto applied = migrate::lint_applied(target->status().plan, folder.options);
    folder.findings.insert(folder.findings.end(), applied.begin(), applied.end());
}

}  // namespace

int run_lint(const LintArgs& given) {
    LintArgs a = given;
    // --url defaults to $DATABASE_URL like every other command's, unless a project config is asked for.
    const bool config_asked = !a.config.empty() || !a.keyspaces.empty() || a.all;
    if (a.url.empty() && !config_asked)
        if (const char* env = std::getenv("DATABASE_URL")) a.url = env;
    std::vector<LintedFolder> folders;
    try {
        if (auto code = choose_folders(a, folders)) return *code;
        if (!a.url.empty() && folders.size() != 1) {
            fmt::print(stderr, "migrate lint: --url checks one folder; name exactly one\n");
            return exit_usage;
        }
        for (auto& f : folders) {
            f.findings = migrate::lint_folder(f.dir, f.options);
            if (!a.url.empty()) check_applied(a.url, a.table, f);
            if (!a.base.empty()) {
                // The merge findings (docs/merging.md): this folder against itself at --base and at the
                // merge base of HEAD and --base.
                const GitFolders git(f.dir, a.base);
                const auto comparison = migrate::compare_branches(git.base(), f.dir, git.merge_base());
                auto merge = migrate::lint_findings(comparison, f.options);
                f.findings.insert(f.findings.end(), merge.begin(), merge.end());
            }
        }
    } catch (const migrate::error& e) {
        fmt::print(stderr, "migrate: error[{}]: {}\n", migrate::to_string(e.code()), error_text(e));
        return exit_code_for(e.code());
    }
    if (a.format == "json" || a.json)
        fmt::print("{}", render_json(folders));
    else if (a.format == "sarif")
        fmt::print("{}", render_sarif(folders));
    else
        fmt::print("{}", render_human(folders));
    std::size_t errors = 0;
    for (const auto& f : folders) errors += migrate::lint_error_count(f.findings);
    return errors ? exit_failed : exit_ok;
}

}  // namespace cli
