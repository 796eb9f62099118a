// The CLI's choice of targets (tools/migrate/target_selection.cpp): --url or $DATABASE_URL against a
// project config, --keyspace / --all, the single target of a config, and the usage errors between them.
#include "target_selection.hpp"

#include <migrate/error.hpp>

#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using cli::select_targets;
using cli::TargetPolicy;
using cli::TargetRequest;
using cli::TargetSource;
using cli::UsageError;
using testing::TempDir;
using testing::write_file;

namespace {

// A request of `status` made in `dir`, nothing given.
TargetRequest request_in(const std::filesystem::path& dir) {
    TargetRequest r;
    r.command = "status";
    r.working_dir = dir;
    return r;
}

// A project of two targets (a, b) in <tmp>/proj, and a request made from inside it.
struct Project {
    TempDir tmp;
    std::filesystem::path root = tmp.path() / "proj";
    Project() {
        write_file(root / "migrate.json", R"({"targets": {
            "a": {"url": "mysql://u@h/a", "migrations": "db/a", "table": "t_a", "lockTimeout": 7},
            "b": {"url": "mysql://u@h/b"}}})");
    }
    TargetRequest request(TargetPolicy policy = TargetPolicy::several) const {
        auto r = request_in(root);
        r.policy = policy;
        return r;
    }
};

std::string usage_error(const TargetRequest& r) {
    try {
        select_targets(r);
    } catch (const UsageError& e) {
        return e.what();
    }
    FAIL("expected a usage error");
    return "";
}

std::vector<std::string> names(const cli::TargetSelection& s) {
    std::vector<std::string> out;
    for (const auto& t : s.targets) out.push_back(t.name);
    return out;
}

}  // namespace

TEST_CASE("targets: --url builds one target from the connection options") {
    TempDir tmp;  // no migrate.json here or above
    auto r = request_in(tmp.path());
    r.url = "mysql://u:pw@h:3306/app";
    r.flags.dir = "migrations";
    r.flags.table = "t";
    r.flags.lock = migrate::LockMode::lease;
    r.flags.lock_timeout = std::chrono::seconds(9);
    auto s = select_targets(r);
    REQUIRE(s.targets.size() == 1);
    CHECK(s.source == TargetSource::url);
    CHECK(s.targets[0].name == "app");
    CHECK(s.targets[0].migrations_dir == "migrations");
    CHECK(s.targets[0].table == "t");
    CHECK(s.targets[0].lock_mode == migrate::LockMode::lease);
    CHECK(s.targets[0].lock_timeout == std::chrono::seconds(9));

    r.flags = {};
    auto defaults = select_targets(r).targets.at(0);
    CHECK(defaults.migrations_dir == "drizzle");
    CHECK(defaults.table == "__drizzle_migrations");
    CHECK(defaults.lock_timeout == std::chrono::seconds(300));
}

TEST_CASE("targets: $DATABASE_URL when --url is not given, and a usage error without either") {
    TempDir tmp;
    auto r = request_in(tmp.path());
    r.database_url = "mysql://u@h/from_env";
    CHECK(names(select_targets(r)) == std::vector<std::string>{"from_env"});
    r.database_url.reset();
    CHECK_THAT(usage_error(r), Catch::Contains("no database") && Catch::Contains("DATABASE_URL"));
}

TEST_CASE("targets: migrate.json found upward only when no URL is given") {
    Project p;
    auto r = p.request();
    r.working_dir = p.root / "sub";
    std::filesystem::create_directories(r.working_dir);
    r.keyspaces = {"a"};
    auto s = select_targets(r);
    CHECK(s.source == TargetSource::project);
    REQUIRE(names(s) == std::vector<std::string>{"a"});
    CHECK(s.targets[0].migrations_dir == p.root / "db" / "a");
    CHECK(s.targets[0].table == "t_a");
    CHECK(s.targets[0].lock_timeout == std::chrono::seconds(7));

    auto with_url = p.request();
    with_url.url = "mysql://u@h/direct";
    CHECK(select_targets(with_url).source == TargetSource::url);
    auto with_env = p.request();
    with_env.database_url = "mysql://u@h/env";
    CHECK(names(select_targets(with_env)) == std::vector<std::string>{"env"});
}

TEST_CASE("targets: --keyspace picks targets in the order given, once each, --all picks every one") {
    Project p;
    auto r = p.request();
    r.keyspaces = {"b", "a", "b"};
    CHECK(names(select_targets(r)) == std::vector<std::string>{"b", "a"});
    auto all = p.request();
    all.all = true;
    CHECK(names(select_targets(all)) == std::vector<std::string>{"a", "b"});
}

TEST_CASE("targets: usage errors name the flag, the file and the fix") {
    Project p;
    auto several = p.request();
    CHECK_THAT(usage_error(several),
               Catch::Contains("names 2 targets (a, b)") && Catch::Contains("--keyspace NAME or --all"));

    auto unknown = p.request();
    unknown.keyspaces = {"zz"};
    CHECK_THAT(usage_error(unknown), Catch::Contains("has no target \"zz\" (it has: a, b)"));

    auto url_and_keyspace = p.request();
    url_and_keyspace.url = "mysql://u@h/x";
    url_and_keyspace.keyspaces = {"a"};
    CHECK_THAT(usage_error(url_and_keyspace),
               Catch::Contains("--url cannot be combined with --config, --keyspace or --all"));

    TempDir empty;
    auto no_config = request_in(empty.path());
    no_config.keyspaces = {"a"};
    CHECK_THAT(usage_error(no_config), Catch::Contains("need a project config") && Catch::Contains("--config FILE"));
}

TEST_CASE("targets: one-target commands refuse several, the TUI takes every target by default") {
    Project p;
    auto repair = p.request(TargetPolicy::exactly_one);
    repair.command = "repair";
    repair.all = true;
    CHECK_THAT(usage_error(repair), Catch::Contains("migrate repair: works on one target"));
    repair.all = false;
    repair.keyspaces = {"a"};
    CHECK(names(select_targets(repair)) == std::vector<std::string>{"a"});

    CHECK(names(select_targets(p.request(TargetPolicy::every_by_default))) == std::vector<std::string>{"a", "b"});
    auto tui_narrowed = p.request(TargetPolicy::every_by_default);
    tui_narrowed.keyspaces = {"b"};
    CHECK(names(select_targets(tui_narrowed)) == std::vector<std::string>{"b"});
}

TEST_CASE("targets: a config with one target needs no choice, one that cannot be read is a config error") {
    TempDir tmp;
    write_file(tmp.path() / "migrate.json", R"({"targets": {"only": {"url": "mysql://u@h/only"}}})");
    auto r = request_in(tmp.path());
    CHECK(names(select_targets(r)) == std::vector<std::string>{"only"});

    write_file(tmp.path() / "migrate.json", R"({"targets": {"only": {"url": "mysql://u@h/only", "typo": 1}}})");
    try {
        select_targets(r);
        FAIL("expected config_invalid");
    } catch (const migrate::error& e) {
        CHECK(e.code() == migrate::errc::config_invalid);
    }
}

TEST_CASE("targets: flags win over the environment, which wins over migrate.json, for the selected targets only") {
    Project p;
    auto r = p.request();
    r.keyspaces = {"a"};
    r.environment.table = "env_table";
    r.environment.lock_timeout = std::chrono::seconds(11);
    auto a = select_targets(r).targets.at(0);
    CHECK(a.table == "env_table");  // env over the file's t_a
    CHECK(a.lock_timeout == std::chrono::seconds(11));
    CHECK(a.migrations_dir == p.root / "db" / "a");  // not overridden: the file's

    r.flags.dir = "elsewhere";
    r.flags.table = "flag_table";
    r.flags.lock = migrate::LockMode::lease;
    a = select_targets(r).targets.at(0);
    CHECK(a.table == "flag_table");  // flag over env
    CHECK(a.migrations_dir == "elsewhere");
    CHECK(a.lock_mode == migrate::LockMode::lease);
    CHECK(a.lock_timeout == std::chrono::seconds(11));

    TempDir tmp;
    auto url = request_in(tmp.path());
    url.url = "mysql://u@h/app";
    url.environment.table = "env_table";
    CHECK(select_targets(url).targets.at(0).table == "env_table");  // env over the default
}

TEST_CASE("targets: only the selected targets' env: secrets are read") {
    TempDir tmp;
    ::unsetenv("MIGRATE_TEST_UNSET_SECRET");
    write_file(tmp.path() / "migrate.json", R"({"targets": {
        "a": {"url": "mysql://u@h/a"},
        "b": {"host": "h", "user": "u", "password": "env:MIGRATE_TEST_UNSET_SECRET", "database": "b"}}})");
    auto r = request_in(tmp.path());
    r.keyspaces = {"a"};
    CHECK(names(select_targets(r)) == std::vector<std::string>{"a"});
    r.keyspaces = {"b"};
    try {
        select_targets(r);
        FAIL("expected config_invalid for b's unset secret");
    } catch (const migrate::error& e) {
        CHECK(e.code() == migrate::errc::config_invalid);
        CHECK_THAT(e.what(), Catch::Contains("MIGRATE_TEST_UNSET_SECRET"));
    }
}
