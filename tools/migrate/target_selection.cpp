#include "target_selection.hpp"

#include <migrate/connection_url.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace cli {
namespace {

// The project's targets the request names (docs/cli.md, "Which targets").
std::vector<migrate::TargetConfig> choose(const migrate::ProjectConfig& config, const TargetRequest& r,
                                          const std::string& file) {
    std::string names;
    for (const auto& t : config.targets) names += (names.empty() ? "" : ", ") + t.name;
    if (r.all || (r.policy == TargetPolicy::every_by_default && r.keyspaces.empty())) return config.targets;
    if (!r.keyspaces.empty()) {
        std::vector<migrate::TargetConfig> chosen;
        for (const auto& k : r.keyspaces) {
            const auto* t = config.find(k);
            if (!t) throw UsageError(fmt::format("migrate: {} has no target \"{}\" (it has: {})", file, k, names));
            if (std::none_of(chosen.begin(), chosen.end(), [&](const auto& c) { return c.name == k; }))
                chosen.push_back(*t);
        }
        return chosen;
    }
    if (config.targets.size() == 1) return config.targets;
    throw UsageError(fmt::format("migrate: {} names {} targets ({}): choose with --keyspace NAME or --all", file,
                                 config.targets.size(), names));
}

// The chosen targets with their env: values read, and no other target's (every key of every target was
// validated already by load_project_folders).
std::vector<migrate::TargetConfig> with_secrets(const std::string& file,
                                                const std::vector<migrate::TargetConfig>& chosen) {
    std::vector<std::string> names;
    for (const auto& t : chosen) names.push_back(t.name);
    const auto read = migrate::load_project_targets(file, names);
    std::vector<migrate::TargetConfig> out;
    for (const auto& t : chosen) {
        const auto* found = read.find(t.name);
        if (!found)  // the file changed between the two reads
            throw UsageError(fmt::format("migrate: {} no longer has target \"{}\"", file, t.name));
        out.push_back(*found);
    }
    return out;
}

void apply(const ConnectionOverrides& o, migrate::TargetConfig& t) {
    if (o.dir) t.migrations_dir = *o.dir;
    if (o.table) t.table = *o.table;
    if (o.lock) t.lock_mode = *o.lock;
    if (o.lock_timeout) t.lock_timeout = *o.lock_timeout;
}

}  // namespace

TargetSelection select_targets(const TargetRequest& r) {
    // A project config: asked for explicitly, or found upward when no URL is given (docs/config.md).
    const bool config_asked = !r.config.empty() || !r.keyspaces.empty() || r.all;
    if (config_asked && !r.url.empty())
        throw UsageError("migrate: --url cannot be combined with --config, --keyspace or --all");
    std::string config = r.config;
    bool use_config = config_asked;
    if (!use_config && r.url.empty() && !r.database_url)
        if (auto found = migrate::find_project_config(r.working_dir)) {
            config = found->string();
            use_config = true;
        }
    if (use_config) {
        if (config.empty()) {
            auto found = migrate::find_project_config(r.working_dir);
            if (!found)
                throw UsageError(
                    "migrate: --keyspace/--all need a project config: pass --config FILE or create "
                    "migrate.json (docs/config.md)");
            config = found->string();
        }
        const auto chosen = choose(migrate::load_project_folders(config), r, config);
        if (chosen.size() > 1 && r.policy == TargetPolicy::exactly_one)
            throw UsageError(fmt::format("migrate {}: works on one target: choose it with --keyspace NAME", r.command));
        TargetSelection out{.targets = with_secrets(config, chosen), .source = TargetSource::project};
        for (auto& t : out.targets) {
            apply(r.environment, t);
            apply(r.flags, t);
        }
        return out;
    }
    const std::string url = !r.url.empty() ? r.url : r.database_url.value_or("");
    if (url.empty())
        throw UsageError("migrate: no database: pass --url mysql://user:password@host:port/db or set DATABASE_URL");
    migrate::TargetConfig t;
    t.url = url;
    t.name = migrate::parse_connection_url(url).database;
    t.migrations_dir = "drizzle";  // drizzle-kit's default `out`
    apply(r.environment, t);
    apply(r.flags, t);
    return {.targets = {std::move(t)}, .source = TargetSource::url};
}

}  // namespace cli
