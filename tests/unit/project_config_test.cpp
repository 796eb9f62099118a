// migrate.json: parsing, env:, Hyperdrive-style fields, errors naming file/target/key, upward search.
#include <migrate/connection_url.hpp>
#include <migrate/error.hpp>
#include <migrate/project.hpp>

#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using migrate::parse_project_config;
using testing::TempDir;
using testing::write_file;

namespace {

// The message of the config_invalid (or `code`) error parsing `text` throws.
std::string config_error(const std::string& text, migrate::errc code = migrate::errc::config_invalid) {
    try {
        parse_project_config(text, "proj/migrate.json");
    } catch (const migrate::error& e) {
        CHECK(e.code() == code);
        return e.what();
    }
    FAIL("expected an error for " << text);
    return "";
}

struct EnvVar {
    std::string name;
    EnvVar(std::string n, const char* value) : name(std::move(n)) {
        if (value)
            ::setenv(name.c_str(), value, 1);
        else
            ::unsetenv(name.c_str());
    }
    ~EnvVar() { ::unsetenv(name.c_str()); }
};

}  // namespace

TEST_CASE("config: url targets, defaults, env:, relative folders, file order") {
    EnvVar url("MIGRATE_TEST_CFG_URL", "mysql://app:s3cret@db.example.com:3306/zeta");
    auto c = parse_project_config(R"({"targets": {
        "zeta": {"url": "env:MIGRATE_TEST_CFG_URL"},
        "alpha": {"url": "mysql://app@localhost/alpha", "migrations": "../drizzle/alpha", "table": "__mig",
                  "lock": "lease", "lockTimeout": 5, "statementLockWait": 0, "statementLockBudget": 40}}})",
                                  "proj/sub/migrate.json");
    REQUIRE(c.targets.size() == 2);
    CHECK(c.file == "proj/sub/migrate.json");
    const auto& z = c.targets[0];  // the file's order, not sorted
    CHECK(z.name == "zeta");
    CHECK(z.url == "mysql://app:s3cret@db.example.com:3306/zeta");
    CHECK(z.migrations_dir == "proj/sub/zeta");  // default: the target's name, next to the file
    CHECK(z.table == "__drizzle_migrations");
    CHECK(z.lock_mode == migrate::LockMode::session);
    CHECK(z.lock_timeout == std::chrono::seconds(300));
    CHECK(z.lock_waits.per_attempt == std::chrono::seconds(3));  // the guard is on by default
    CHECK(z.lock_waits.total == std::chrono::seconds(120));
    const auto* a = c.find("alpha");
    REQUIRE(a);
    CHECK(a->migrations_dir == "proj/drizzle/alpha");
    CHECK(a->table == "__mig");
    CHECK(a->lock_mode == migrate::LockMode::lease);
    CHECK(a->lock_timeout == std::chrono::seconds(5));
    CHECK(a->options().migrations_dir == "proj/drizzle/alpha");
    CHECK(a->options().lock_waits.per_attempt == std::chrono::seconds(0));  // off
    CHECK(a->options().lock_waits.total == std::chrono::seconds(40));
    CHECK(c.find("beta") == nullptr);

    auto abs =
        parse_project_config(R"({"targets": {"x": {"url": "mysql://u@h/x", "migrations": "/srv/x"}}})", "migrate.json");
    CHECK(abs.targets[0].migrations_dir == "/srv/x");
    auto here = parse_project_config(R"({"targets": {"x": {"url": "mysql://u@h/x"}}})", "migrate.json");
    CHECK(here.targets[0].migrations_dir == "x");
}

TEST_CASE("config: Hyperdrive-style fields build a percent-encoded mysql URL") {
    EnvVar pw("MIGRATE_TEST_CFG_PW", "p@ss:/w rd");
    auto c = parse_project_config(R"({"targets": {"k": {"host": "127.0.0.1", "port": 13306, "user": "mi grate",
        "password": "env:MIGRATE_TEST_CFG_PW", "database": "oi_k"}}})",
                                  "migrate.json");
    const auto& url = c.targets[0].url;
    CHECK(url == "mysql://mi%20grate:p%40ss%3A%2Fw%20rd@127.0.0.1:13306/oi_k");
    auto parsed = migrate::parse_connection_url(url);
    CHECK(parsed.user == "mi grate");
    CHECK(parsed.password == "p@ss:/w rd");
    CHECK(parsed.port == 13306);
    CHECK(parsed.database == "oi_k");

    auto no_pw = parse_project_config(R"({"targets": {"k": {"host": "::1", "port": "3307", "user": "u"}}})", "m.json");
    CHECK(no_pw.targets[0].url == "mysql://u@[::1]:3307");
}

TEST_CASE("config: errors name the file, the target and the key") {
    auto unknown = config_error(R"({"targets": {"oi_a": {"url": "mysql://u@h/a", "lockTimeOut": 3}}})");
    CHECK_THAT(unknown, Catch::Contains("proj/migrate.json: target \"oi_a\": key \"lockTimeOut\": unknown key"));

    auto top = config_error(R"({"targets": {"a": {"url": "mysql://u@h/a"}}, "target": {}})");
    CHECK_THAT(top, Catch::Contains("key \"target\": unknown top-level key"));

    auto lock = config_error(R"({"targets": {"a": {"url": "mysql://u@h/a", "lock": "mutex"}}})");
    CHECK_THAT(lock, Catch::Contains("target \"a\": key \"lock\": expected \"session\" or \"lease\", got \"mutex\""));

    auto timeout = config_error(R"({"targets": {"a": {"url": "mysql://u@h/a", "lockTimeout": "5"}}})");
    CHECK_THAT(timeout, Catch::Contains("key \"lockTimeout\": expected whole seconds"));
    auto wait = config_error(R"({"targets": {"a": {"url": "mysql://u@h/a", "statementLockWait": -1}}})");
    CHECK_THAT(wait, Catch::Contains("key \"statementLockWait\": expected whole seconds 0..86400, got -1"));
    auto budget = config_error(R"({"targets": {"a": {"url": "mysql://u@h/a", "statementLockBudget": 0}}})");
    CHECK_THAT(budget, Catch::Contains("key \"statementLockBudget\": expected whole seconds 1..86400, got 0"));

    auto port = config_error(R"({"targets": {"a": {"host": "h", "user": "u", "port": 70000}}})");
    CHECK_THAT(port, Catch::Contains("key \"port\": expected a port number"));

    auto both = config_error(R"({"targets": {"a": {"url": "mysql://u@h/a", "host": "h"}}})");
    CHECK_THAT(both, Catch::Contains("not both"));

    auto none = config_error(R"({"targets": {"a": {"migrations": "a"}}})");
    CHECK_THAT(none, Catch::Contains("target \"a\": key \"url\": missing"));

    auto name = config_error(R"({"targets": {"a/b": {"url": "mysql://u@h/a"}}})");
    CHECK_THAT(name, Catch::Contains("target \"a/b\""));

    CHECK_THAT(config_error(R"({"targets": {}})"), Catch::Contains("names no target"));
    CHECK_THAT(config_error(R"([1])"), Catch::Contains("expected an object"));

    auto json = config_error("{\n  \"targets\": {\n    \"a\": {\"url\": \"x\",}\n  }\n}");
    CHECK_THAT(json, Catch::Contains("proj/migrate.json:3:"));
    CHECK_THAT(json, Catch::Contains("not valid JSON"));

    // A bad URL keeps url_invalid, names the target, and never shows the password.
    auto bad_url =
        config_error(R"({"targets": {"a": {"url": "mysql://u:topsecret@h:notaport/a"}}})", migrate::errc::url_invalid);
    CHECK_THAT(bad_url, Catch::Contains("target \"a\": key \"url\""));
    CHECK_THAT(bad_url, !Catch::Contains("topsecret"));
}

TEST_CASE("config: a missing env: variable names the target, the key and the variable") {
    EnvVar gone("MIGRATE_TEST_CFG_UNSET", nullptr);
    auto e = config_error(R"({"targets": {"oi_claims": {"host": "h", "user": "u",
        "password": "env:MIGRATE_TEST_CFG_UNSET"}}})");
    CHECK_THAT(e, Catch::Contains("target \"oi_claims\": key \"password\": environment variable "
                                  "MIGRATE_TEST_CFG_UNSET is not set"));
    auto u = config_error(R"({"targets": {"g": {"url": "env:MIGRATE_TEST_CFG_UNSET"}}})");
    CHECK_THAT(u, Catch::Contains("target \"g\": key \"url\": environment variable MIGRATE_TEST_CFG_UNSET"));
}

TEST_CASE("config: the chosen targets' secrets only, every target's keys checked") {
    EnvVar set("MIGRATE_TEST_CFG_SET", "mysql://u:pw@h/a");
    EnvVar gone("MIGRATE_TEST_CFG_UNSET", nullptr);
    const std::string text = R"({"targets": {
        "b": {"url": "env:MIGRATE_TEST_CFG_UNSET"},
        "a": {"url": "env:MIGRATE_TEST_CFG_SET", "table": "t_a"},
        "c": {"url": "mysql://u@h/c"}}})";
    auto c = migrate::parse_project_targets(text, "proj/migrate.json", {"c", "a"});
    REQUIRE(c.targets.size() == 2);
    CHECK(c.targets[0].name == "a");  // the file's order
    CHECK(c.targets[0].url == "mysql://u:pw@h/a");
    CHECK(c.targets[0].table == "t_a");
    CHECK(c.targets[1].url == "mysql://u@h/c");
    CHECK(migrate::parse_project_targets(text, "proj/migrate.json", {"nope"}).targets.empty());
    // The chosen target's unset variable is an error; another target's bad key too.
    CHECK_THROWS_WITH(migrate::parse_project_targets(text, "proj/migrate.json", {"b"}),
                      Catch::Contains("target \"b\": key \"url\": environment variable MIGRATE_TEST_CFG_UNSET"));
    CHECK_THROWS_WITH(migrate::parse_project_targets(R"({"targets": {"a": {"url": "mysql://u@h/a"},
        "b": {"url": "mysql://u@h/b", "lock": "nope"}}})",
                                                     "proj/migrate.json", {"a"}),
                      Catch::Contains("target \"b\": key \"lock\""));
}

TEST_CASE("config: load from a file, and find migrate.json upward") {
    TempDir tmp;
    const auto root = tmp.path() / "proj";
    write_file(root / "migrate.json", R"({"targets": {"a": {"url": "mysql://u@h/a", "migrations": "db/a"}}})");
    write_file(root / "src" / "deep" / "keep.txt", "");
    auto found = migrate::find_project_config(root / "src" / "deep");
    REQUIRE(found);
    CHECK(*found == root / "migrate.json");
    CHECK(migrate::find_project_config(root) == root / "migrate.json");
    auto c = migrate::load_project_config(*found);
    CHECK(c.targets[0].migrations_dir == root / "db" / "a");

    write_file(root / "src" / "migrate.json", R"({"targets": {"b": {"url": "mysql://u@h/b"}}})");
    CHECK(migrate::find_project_config(root / "src" / "deep") == root / "src" / "migrate.json");

    try {
        migrate::load_project_config(tmp.path() / "nope.json");
        FAIL("expected config_invalid");
    } catch (const migrate::error& e) {
        CHECK(e.code() == migrate::errc::config_invalid);
        CHECK_THAT(e.what(), Catch::Contains("nope.json"));
    }
}

TEST_CASE("config: baseline is a folder, or false to never load one") {
    auto c = parse_project_config(R"({"targets": {
        "a": {"url": "mysql://u@h/a"},
        "b": {"url": "mysql://u@h/b", "migrations": "drizzle/b", "baseline": "snapshots/b"},
        "c": {"url": "mysql://u@h/c", "baseline": false}}})",
                                  "proj/migrate.json");
    REQUIRE(c.targets.size() == 3);
    CHECK(c.targets[0].use_baseline);
    CHECK(c.targets[0].baseline_dir.empty());  // <migrations>/baseline
    CHECK(c.targets[1].baseline_dir == std::filesystem::path("proj/snapshots/b"));
    CHECK(c.targets[1].options().baseline_dir == std::filesystem::path("proj/snapshots/b"));
    CHECK_FALSE(c.targets[2].use_baseline);
    CHECK_FALSE(c.targets[2].options().use_baseline);
    CHECK_THAT(config_error(R"({"targets": {"a": {"url": "mysql://u@h/a", "baseline": 3}}})"),
               Catch::Contains("target \"a\": key \"baseline\": expected a folder (string) or true/false, got number"));
    CHECK_THAT(config_error(R"({"targets": {"a": {"url": "mysql://u@h/a", "baseline": ""}}})"),
               Catch::Contains("key \"baseline\": is empty"));
}

TEST_CASE("config: maxTableCopy is a size, bytes, or null, and anything else names the key") {
    auto c = parse_project_config(R"({"targets": {
        "a": {"url": "mysql://u@h/a", "maxTableCopy": "1GiB"},
        "b": {"url": "mysql://u@h/b", "maxTableCopy": 5000000},
        "c": {"url": "mysql://u@h/c", "maxTableCopy": null},
        "d": {"url": "mysql://u@h/d"}}})",
                                  "migrate.json");
    CHECK(c.targets[0].max_table_copy_bytes == 1073741824u);
    CHECK(c.targets[1].max_table_copy_bytes == 5000000u);
    CHECK_FALSE(c.targets[2].max_table_copy_bytes);
    CHECK_FALSE(c.targets[3].max_table_copy_bytes);
    // Lint reads the same keys without secrets.
    CHECK(migrate::parse_project_folders(R"({"targets": {"a": {"url": "env:NOPE", "maxTableCopy": "2G"}}})", "m.json")
              .targets[0]
              .max_table_copy_bytes == 2147483648u);
    for (const char* bad : {R"("lots")", "0", "-5", "1.5", "true", R"("0B")"}) {
        INFO(bad);
        const auto msg =
            config_error(std::string(R"({"targets": {"a": {"url": "mysql://u@h/a", "maxTableCopy": )") + bad + "}}}");
        CHECK_THAT(msg, Catch::Contains("proj/migrate.json") && Catch::Contains("\"a\"") &&
                            Catch::Contains("maxTableCopy") && Catch::Contains("1GiB"));
    }
}
