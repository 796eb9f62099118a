// `migrate lint [folders…]`: the lint rules over migrations folders, as text, JSON or SARIF (docs/lint.md).
#pragma once

#include <string>
#include <vector>

namespace cli {

struct LintArgs {
    std::vector<std::string> folders;  // positional; default: --dir, the project config's targets, or drizzle
    std::string dir;
    std::string format = "human";  // human | json | sarif
    std::string flavor;            // empty: the target's "flavor", else mysql
    std::string url;               // enables applied-migration-edited (one folder only); default $DATABASE_URL
    std::string table = "__drizzle_migrations";  // the tracking table --url reads
    std::string config;
    std::vector<std::string> keyspaces;
    bool all = false;
    bool sharded = false;
    bool no_foreign_keys = false;
    std::string base;   // --base REV: also compare each folder with the git revision it will be merged into
    bool json = false;  // --json: the same as --format json, like every other subcommand
};

// The subcommand and its options: commands/lint.cpp.
int run_lint(const LintArgs& args);

}  // namespace cli
