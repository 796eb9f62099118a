// `migrate`: builds the app from the commands' registrations (commands/), parses, chooses the targets and
// runs the command that was parsed. Exit codes: docs/cli.md.
#include "cli_common.hpp"
#include "commands/commands.hpp"
#include "commands/run_choices.hpp"
#include "json_output.hpp"
#include "stdout_guard.hpp"
#include "target_selection.hpp"

#include <migrate/migrate.hpp>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <unistd.h>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

using namespace cli;

// MIGRATE_TABLE, MIGRATE_LOCK_TIMEOUT (docs/config.md): between the flags and migrate.json.
ConnectionOverrides environment_overrides() {
    ConnectionOverrides o;
    if (const char* table = std::getenv("MIGRATE_TABLE"); table && *table) o.table = table;
    if (const char* timeout = std::getenv("MIGRATE_LOCK_TIMEOUT"); timeout && *timeout) {
        char* end = nullptr;
        const long seconds = std::strtol(timeout, &end, 10);
        if (*end != '\0' || seconds < 0 || seconds > 86400)
            throw UsageError(
                fmt::format("migrate: MIGRATE_LOCK_TIMEOUT=\"{}\" is not whole seconds from 0 to 86400: "
                            "fix or unset it",
                            timeout));
        o.lock_timeout = std::chrono::seconds(seconds);
    }
    return o;
}

// What select_targets needs from the command line and the environment.
TargetRequest target_request(const Command& command, const GlobalOptions& g) {
    auto given = [&](const char* flag) { return command.app->get_option(flag)->count() > 0; };
    TargetRequest r{.command = command.name,
                    .policy = command.targets,
                    .url = g.url,
                    .database_url = std::nullopt,
                    .config = g.config,
                    .keyspaces = g.keyspaces,
                    .all = g.all,
                    .flags = {},
                    .environment = environment_overrides(),
                    .working_dir = std::filesystem::current_path()};
    if (const char* env = std::getenv("DATABASE_URL")) r.database_url = env;
    if (given("--dir")) r.flags.dir = g.dir;
    if (given("--table")) r.flags.table = g.table;
    if (given("--lock")) r.flags.lock = g.lock == "lease" ? migrate::LockMode::lease : migrate::LockMode::session;
    if (given("--lock-timeout")) r.flags.lock_timeout = std::chrono::seconds(g.lock_timeout_s);
    return r;
}

// A usage error: the message on stderr and, under --json, a document saying so (scripts always get one).
int usage_error(const std::string& message, const Command* command, bool as_json) {
    fmt::print(stderr, "{}\n", message);
    if (as_json) {
        Json doc = document(command ? command->name : "", Json::array(), exit_usage);
        if (!command) doc["command"] = nullptr;
        doc["error"] = {{"code", "usage"}, {"message", message}};
        std::fflush(stdout);
        fmt::print("{}\n", doc.dump(2));
    }
    return exit_usage;
}

bool json_asked(int argc, char** argv) {
    return std::any_of(argv + 1, argv + argc, [](const char* a) { return std::string_view(a) == "--json"; });
}

// Where the docs/*.md files this help names are: next to an installed CLI (<prefix>/share/doc/libmigrate,
// wherever the tree was moved), else in the source checkout the CLI was built from.
std::string documentation_line() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto installed = (exe.parent_path() / MIGRATE_DOC_DIR_FROM_BIN).lexically_normal();
        if (std::filesystem::exists(installed / "cli.md", ec))
            return "Documentation (docs/*.md): " + installed.string();
    }
    return "Documentation (docs/*.md): the docs folder of libmigrate's source, installed into share/doc/libmigrate";
}

}  // namespace

int main(int argc, char** argv) {
    // A closed pipe is a failed write, handled per command (stdout_guard.hpp), not a silent death.
    std::signal(SIGPIPE, SIG_IGN);
    CLI::App app{"migrate: apply drizzle-kit MySQL migrations (MySQL, MariaDB, Vitess, PlanetScale)"};
    app.require_subcommand(0, 1);
    bool version_flag = false;
    app.add_flag("--version", version_flag, "print the CLI, library, driver ABI and driver versions");
    GlobalOptions g;
    std::vector<Command> commands;
    for (auto add : all_commands) commands.push_back(add(app, g));
    app.footer(
        "Examples:\n  migrate status --url mysql://app:secret@127.0.0.1:3306/app --dir drizzle\n"
        "  DATABASE_URL=mysql://app:secret@db/app migrate up --dir drizzle\n"
        "  migrate resolve 0042_add_vin --applied --dir drizzle\n"
        "  migrate up --all --config migrate.json --jobs 4\n"
        "  migrate baseline create --keyspace oi_claims --scratch-url mysql://root@127.0.0.1:3306\n"
        "  migrate baseline mark --through 0041_add_vin --url mysql://app@db/app --dir drizzle\n"
        "Exit codes: 0 ok, 1 apply or verify failed, 2 usage, 3 invalid input, 4 cannot connect, 5 refused, "
        "6 lock, 7 safe migrations (needs a deploy request), 130 interrupted (docs/cli.md)\n" +
        documentation_line());

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0 || !json_asked(argc, argv)) return app.exit(e) == 0 ? exit_ok : exit_usage;
        const auto parsed =
            std::find_if(commands.begin(), commands.end(), [](const Command& c) { return c.app->parsed(); });
        return usage_error(fmt::format("migrate: {}", e.what()), parsed == commands.end() ? nullptr : &*parsed, true);
    }
    if (version_flag) return run_version(g);
    const auto command =
        std::find_if(commands.begin(), commands.end(), [](const Command& c) { return c.app->parsed(); });
    if (command == commands.end()) {
        fmt::print(stderr, "{}\n", app.help());
        return usage_error("migrate: a command is required", nullptr, json_asked(argc, argv));
    }
    const char* no_color_env = std::getenv("NO_COLOR");
    const bool colour = !g.no_color && !(no_color_env && *no_color_env);
    enable_colour(colour && !g.json && ::isatty(STDOUT_FILENO), colour && ::isatty(STDERR_FILENO));
    guard_stdout(command->on_closed_stdout);

    try {
        Invocation invocation{.global = g, .targets = {}, .source = TargetSource::url};
        if (command->targets != TargetPolicy::none) {
            auto selection = select_targets(target_request(*command, g));
            invocation.targets = std::move(selection.targets);
            invocation.source = selection.source;
        }
        stop_on_interrupt_signals();
        return command->run(invocation);
    } catch (const UsageError& e) {
        return usage_error(e.what(), &*command, g.json);
    } catch (const migrate::error& e) {
        std::fflush(stdout);
        fmt::print(stderr, "{}\n",
                   paint_error(fmt::format("migrate: error[{}]: {}", migrate::to_string(e.code()), error_text(e))));
        if (g.json) fmt::print("{}\n", failure_document(command->name, e, exit_code_for(e.code())).dump(2));
        return exit_code_for(e.code());
    } catch (const std::exception& e) {
        fmt::print(stderr, "migrate: internal error: {}\n", migrate::redact_url_text(e.what()));
        return exit_internal;
    }
}
