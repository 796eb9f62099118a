// migrate.json: several named targets (docs/config.md).
#include <migrate/connection_url.hpp>
#include <migrate/error.hpp>
#include <migrate/project.hpp>

#include "source/json_document.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

namespace migrate {
namespace {

using json = nlohmann::ordered_json;  // targets keep the file's order
namespace fs = std::filesystem;

constexpr std::string_view config_file_name = "migrate.json";

// Builds messages naming the file, the target and the key.
struct Where {
    std::string file;
    std::string target;
    bool read_env = true;  // false: env: values stay as written (lint never connects)

    [[noreturn]] void fail(std::string_view key, const std::string& what, errc code = errc::config_invalid) const {
        std::string at = file;
        if (!target.empty()) at += fmt::format(": target \"{}\"", target);
        if (!key.empty()) at += fmt::format(": key \"{}\"", key);
        throw error(code, fmt::format("{}: {}", at, what), {.file = file});
    }
};

std::string json_type(const json& v) { return v.type_name(); }

// A string value, with env:VAR read from the environment. Messages never echo a value read this way.
std::string string_value(const Where& w, std::string_view key, const json& v) {
    if (!v.is_string()) w.fail(key, fmt::format("expected a string, got {}", json_type(v)));
    auto s = v.get<std::string>();
    if (s.rfind("env:", 0) == 0 && w.read_env) {
        auto var = s.substr(4);
        if (var.empty()) w.fail(key, "\"env:\" needs a variable name, e.g. \"env:DATABASE_URL\"");
        const char* value = std::getenv(var.c_str());
        if (!value) w.fail(key, fmt::format("environment variable {} is not set", var));
        return value;
    }
    return s;
}

// RFC 3986 percent-encoding of everything but unreserved characters.
std::string percent_encode(std::string_view s) {
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
            out += static_cast<char>(c);
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

bool valid_target_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    for (const char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
    return true;
}

// "planetscale": the deploy-request workflow (docs/planetscale.md). The service token is a secret: only
// "env:VAR" (or the environment's PLANETSCALE_SERVICE_TOKEN_ID / PLANETSCALE_SERVICE_TOKEN) is accepted.
DeployRequestOptions parse_planetscale(const Where& w, const json& p, const std::string& database) {
    static const std::set<std::string> known = {
        "organization", "database",     "branch",  "apiUrl",        "keyspace",     "serviceTokenId", "serviceToken",
        "cutover",      "revertWindow", "instant", "deployTimeout", "branchPrefix", "pollIntervalMs", "fromBranch"};
    if (!p.is_object()) w.fail("planetscale", fmt::format("expected an object, got {}", json_type(p)));
    for (const auto& [key, value] : p.items())
        if (!known.contains(key))
            w.fail("planetscale." + key,
                   "unknown key (known: organization, database, branch, apiUrl, keyspace, "
                   "serviceTokenId, serviceToken, cutover, revertWindow, instant, deployTimeout, "
                   "branchPrefix, pollIntervalMs, fromBranch)");
    DeployRequestOptions o;
    auto str = [&](const char* key, std::string& field) {
        if (p.contains(key)) field = string_value(w, std::string("planetscale.") + key, p[key]);
    };
    str("organization", o.api.organization);
    str("database", o.api.database);
    str("branch", o.api.production_branch);
    str("apiUrl", o.api.url);
    str("keyspace", o.keyspace);
    str("branchPrefix", o.branch_prefix);
    str("fromBranch", o.from_branch);
    if (o.api.organization.empty()) w.fail("planetscale.organization", "missing: the PlanetScale organization");
    if (o.api.database.empty()) w.fail("planetscale.database", "missing: the PlanetScale database");
    if (o.keyspace.empty()) o.keyspace = database;
    for (auto [key, field, env] :
         {std::tuple{"serviceTokenId", &o.api.service_token_id, "PLANETSCALE_SERVICE_TOKEN_ID"},
          std::tuple{"serviceToken", &o.api.service_token, "PLANETSCALE_SERVICE_TOKEN"}}) {
        const std::string where = std::string("planetscale.") + key;
        if (p.contains(key)) {
            if (!p[key].is_string() || p[key].get<std::string>().rfind("env:", 0) != 0)
                w.fail(where, "a service token is a secret: give it as \"env:VARIABLE\", never in the file");
            *field = string_value(w, where, p[key]);
        } else if (w.read_env) {
            const char* value = std::getenv(env);
            if (!value) w.fail(where, fmt::format("missing, and the environment variable {} is not set", env));
            *field = value;
        }
    }
    auto choice = [&](const char* key, auto& field,
                      std::initializer_list<std::pair<const char*, std::decay_t<decltype(field)>>> options) {
        if (!p.contains(key)) return;
        const auto value = string_value(w, std::string("planetscale.") + key, p[key]);
        std::string names;
        for (const auto& [name, v] : options) {
            if (value == name) {
                field = v;
                return;
            }
            names += (names.empty() ? "\"" : ", \"") + std::string(name) + "\"";
        }
        w.fail(std::string("planetscale.") + key, fmt::format("expected one of {}, got \"{}\"", names, value));
    };
    choice("cutover", o.cutover,
           {{"automatic", CutOver::automatic}, {"apply", CutOver::apply}, {"wait", CutOver::wait_for_human}});
    choice("revertWindow", o.revert_window,
           {{"skip", RevertWindow::skip}, {"wait", RevertWindow::wait}, {"leave-open", RevertWindow::leave_open}});
    if (p.contains("instant")) {
        if (!p["instant"].is_boolean()) w.fail("planetscale.instant", "expected true or false");
        o.instant = p["instant"].get<bool>() ? InstantDeploy::when_eligible : InstantDeploy::never;
    }
    if (p.contains("deployTimeout")) {
        const auto& v = p["deployTimeout"];
        if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 7LL * 86400)
            w.fail("planetscale.deployTimeout", fmt::format("expected whole seconds 1..604800, got {}", v.dump()));
        o.timeout = std::chrono::seconds(v.get<long long>());
    }
    if (p.contains("pollIntervalMs")) {
        const auto& v = p["pollIntervalMs"];
        if (!v.is_number_integer() || v.get<long long>() < 10 || v.get<long long>() > 600000)
            w.fail("planetscale.pollIntervalMs", fmt::format("expected milliseconds 10..600000, got {}", v.dump()));
        o.poll_every = std::chrono::milliseconds(v.get<long long>());
    }
    return o;
}

TargetConfig parse_target(const Where& w, const json& t, const fs::path& base) {
    static const std::set<std::string> known = {
        "url",        "host",   "port",    "user",        "password",          "database",
        "migrations", "table",  "lock",    "lockTimeout", "statementLockWait", "statementLockBudget",
        "baseline",   "flavor", "sharded", "foreignKeys", "maxTableCopy",      "planetscale"};
    if (!t.is_object()) w.fail("", fmt::format("expected an object, got {}", json_type(t)));
    for (const auto& [key, value] : t.items())
        if (!known.contains(key))
            w.fail(key,
                   "unknown key (known: url, host, port, user, password, database, migrations, table, lock, "
                   "lockTimeout, baseline, flavor, sharded, foreignKeys, maxTableCopy, planetscale)");

    TargetConfig c;
    c.name = w.target;

    const bool has_url = t.contains("url");
    bool has_fields = false;
    for (const char* k : {"host", "port", "user", "password", "database"}) has_fields = has_fields || t.contains(k);
    if (has_url && has_fields) w.fail("url", "give either \"url\" or host/port/user/password/database, not both");
    if (has_url) {
        c.url = string_value(w, "url", t["url"]);
        if (c.url.empty()) w.fail("url", "is empty");
    } else if (has_fields) {
        if (!t.contains("host")) w.fail("host", "missing (needed without \"url\")");
        auto host = string_value(w, "host", t["host"]);
        if (host.empty()) w.fail("host", "is empty");
        std::string port;
        if (t.contains("port")) {
            const auto& p = t["port"];
            long long n = 0;
            if (p.is_number_integer()) {
                n = p.get<long long>();
            } else if (p.is_string()) {
                auto s = string_value(w, "port", p);
                if (!w.read_env && s.rfind("env:", 0) == 0) s = "1";  // not read: any valid port
                try {
                    std::size_t used = 0;
                    n = std::stoll(s, &used);
                    if (used != s.size()) n = -1;
                } catch (const std::exception&) {
                    n = -1;
                }
            } else {
                w.fail("port", fmt::format("expected a number, got {}", json_type(p)));
            }
            if (n < 1 || n > 65535) w.fail("port", "expected a port number 1..65535");
            port = ":" + std::to_string(n);
        }
        if (!t.contains("user")) w.fail("user", "missing (needed without \"url\")");
        auto user = string_value(w, "user", t["user"]);
        std::string password;
        bool has_password = false;
        if (t.contains("password")) {
            password = string_value(w, "password", t["password"]);
            has_password = true;
        }
        std::string database;
        if (t.contains("database")) database = string_value(w, "database", t["database"]);
        std::string host_part = host.find(':') != std::string::npos ? "[" + host + "]" : percent_encode(host);
        c.url = "mysql://" + percent_encode(user) + (has_password ? ":" + percent_encode(password) : "") + "@" +
                host_part + port + (database.empty() ? "" : "/" + percent_encode(database));
    } else {
        w.fail("url", "missing: give \"url\" or host/port/user/password/database");
    }
    // Validate now, so a bad URL names the target (the parser's messages never hold the password).
    if (!w.read_env) {
        c.url.clear();  // may hold unread env: names; never used by the commands that skip secrets
    } else {
        try {
            (void)parse_connection_url(c.url);
        } catch (const error& e) {
            w.fail(has_url ? "url" : "host", e.what(), e.code());
        }
    }

    std::string migrations = c.name;
    if (t.contains("migrations")) {
        migrations = string_value(w, "migrations", t["migrations"]);
        if (migrations.empty()) w.fail("migrations", "is empty");
    }
    fs::path dir = migrations;
    c.migrations_dir = dir.is_absolute() ? dir : (base / dir).lexically_normal();

    if (t.contains("table")) {
        c.table = string_value(w, "table", t["table"]);
        if (c.table.empty()) w.fail("table", "is empty");
    }
    if (t.contains("baseline")) {
        const auto& b = t["baseline"];
        if (b.is_boolean()) {
            c.use_baseline = b.get<bool>();
        } else if (b.is_string()) {
            fs::path bdir = string_value(w, "baseline", b);
            if (bdir.empty()) w.fail("baseline", "is empty (false turns baselines off)");
            c.baseline_dir = bdir.is_absolute() ? bdir : (base / bdir).lexically_normal();
        } else {
            w.fail("baseline", fmt::format("expected a folder (string) or true/false, got {}", json_type(b)));
        }
    }
    if (t.contains("lock")) {
        auto lock = string_value(w, "lock", t["lock"]);
        if (lock == "session")
            c.lock_mode = LockMode::session;
        else if (lock == "lease")
            c.lock_mode = LockMode::lease;
        else
            w.fail("lock", fmt::format("expected \"session\" or \"lease\", got \"{}\"", lock));
    }
    if (t.contains("lockTimeout")) {
        const auto& v = t["lockTimeout"];
        if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > 86400)
            w.fail("lockTimeout", fmt::format("expected whole seconds 0..86400, got {}", v.dump()));
        c.lock_timeout = std::chrono::seconds(v.get<long long>());
    }
    // Each statement's wait for other sessions' locks (safety.md, "Lock waits"): 0 turns the guard off.
    for (auto [key, field, least] : {std::tuple{"statementLockWait", &c.lock_waits.per_attempt, 0LL},
                                     std::tuple{"statementLockBudget", &c.lock_waits.total, 1LL}})
        if (t.contains(key)) {
            const auto& v = t[key];
            if (!v.is_number_integer() || v.get<long long>() < least || v.get<long long>() > 86400)
                w.fail(key, fmt::format("expected whole seconds {}..86400, got {}", least, v.dump()));
            *field = std::chrono::seconds(v.get<long long>());
        }
    if (t.contains("flavor")) {
        auto name = string_value(w, "flavor", t["flavor"]);
        c.flavor = parse_flavor(name);
        if (!c.flavor)
            w.fail("flavor",
                   fmt::format("expected \"mysql\", \"mariadb\", \"vitess\" or \"planetscale\", got \"{}\"", name));
    }
    if (t.contains("maxTableCopy")) {  // docs/online-ddl.md: a size, or null for no limit
        const auto& v = t["maxTableCopy"];
        std::optional<std::uint64_t> bytes;
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > 0)
            bytes = v.get<std::uint64_t>();
        else if (v.is_string())
            bytes = parse_byte_size(v.get<std::string>());
        if (!v.is_null() && !bytes)
            w.fail("maxTableCopy", fmt::format("expected a size such as \"1GiB\", \"500MB\" or a number of bytes "
                                               "(more than 0), or null for no limit; got {}",
                                               v.dump()));
        c.max_table_copy_bytes = bytes;
    }
    if (t.contains("planetscale")) {
        std::string database;
        if (!c.url.empty()) {
            try {
                database = parse_connection_url(c.url).database;
            } catch (const error&) {}
        }
        c.deploy_requests = parse_planetscale(w, t["planetscale"], database.empty() ? w.target : database);
    }
    for (auto [key, field] : {std::pair{"sharded", &c.sharded}, std::pair{"foreignKeys", &c.foreign_keys}})
        if (t.contains(key)) {
            if (!t[key].is_boolean()) w.fail(key, fmt::format("expected true or false, got {}", json_type(t[key])));
            *field = t[key].get<bool>();
        }
    return c;
}

// Whose env: values are read: every target's (read_all), none (lint never connects) or the named targets',
// which are then the only ones returned.
struct Secrets {
    bool read_all = false;
    const std::vector<std::string>* of = nullptr;

    bool read(const std::string& target) const {
        return read_all || (of && std::find(of->begin(), of->end(), target) != of->end());
    }
    bool keep(const std::string& target) const { return !of || read(target); }
};

ProjectConfig parse(std::string_view text, const fs::path& file, Secrets secrets) {
    Where w{.file = file.string(), .target = "", .read_env = secrets.read_all};
    auto document = source::read_ordered_json(text);
    if (document.error) {
        const auto& [pos, reason] = *document.error;
        throw error(errc::config_invalid,
                    fmt::format("{}:{}:{}: not valid JSON ({})", w.file, pos.line, pos.column, reason),
                    {.file = w.file, .line = pos.line});
    }
    const json& doc = document.value;
    if (!doc.is_object()) w.fail("", fmt::format("expected an object with \"targets\", got {}", json_type(doc)));
    for (const auto& [key, value] : doc.items())
        if (key != "targets" && key != "$schema") w.fail(key, "unknown top-level key (known: targets)");
    if (!doc.contains("targets")) w.fail("targets", "missing");
    const auto& targets = doc["targets"];
    if (!targets.is_object())
        w.fail("targets", fmt::format("expected an object of name → target, got {}", json_type(targets)));
    if (targets.empty()) w.fail("targets", "names no target");

    ProjectConfig config;
    config.file = file;
    const fs::path base = file.parent_path();
    for (const auto& [name, value] : targets.items()) {
        Where tw{.file = w.file, .target = name, .read_env = secrets.read(name)};
        if (!valid_target_name(name)) tw.fail("", "a target name is 1-64 letters, digits, '_', '-' or '.'");
        auto target = parse_target(tw, value, base);
        if (secrets.keep(name)) config.targets.push_back(std::move(target));
    }
    return config;
}

std::string read_config(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw error(errc::config_invalid, fmt::format("{}: cannot read the project config", file.string()),
                    {.file = file.string()});
    std::stringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

}  // namespace

ProjectConfig parse_project_config(std::string_view text, const fs::path& file) {
    return parse(text, file, {.read_all = true});
}
ProjectConfig parse_project_folders(std::string_view text, const fs::path& file) { return parse(text, file, {}); }
ProjectConfig parse_project_targets(std::string_view text, const fs::path& file,
                                    const std::vector<std::string>& names) {
    return parse(text, file, {.of = &names});
}
ProjectConfig load_project_config(const fs::path& file) { return parse(read_config(file), file, {.read_all = true}); }
ProjectConfig load_project_folders(const fs::path& file) { return parse(read_config(file), file, {}); }
ProjectConfig load_project_targets(const fs::path& file, const std::vector<std::string>& names) {
    return parse(read_config(file), file, {.of = &names});
}

std::optional<fs::path> find_project_config(fs::path start) {
    std::error_code ec;
    if (start.empty()) start = fs::current_path(ec);
    start = fs::absolute(start, ec).lexically_normal();
    if (ec) return std::nullopt;
    for (fs::path dir = start;; dir = dir.parent_path()) {
        auto candidate = dir / config_file_name;
        if (fs::is_regular_file(candidate, ec)) return candidate;
        if (dir == dir.parent_path() || dir.empty()) break;
    }
    return std::nullopt;
}

}  // namespace migrate
