// `migrate`: builds the app from the commands' registrations (commands/), parses, chooses the targets and
// runs the command that was parsed. Exit codes: docs/cli.md.
#include "cli_common.hpp"
#include "commands/commands.hpp"
#include "commands/run_choices.hpp"
#include "json_output.hpp"
#include "target_selection.hpp"

#include <migrate/migrate.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace {

using namespace cli;

// What select_targets needs from the command line and the environment.
TargetRequest target_request(const Command& command, const GlobalOptions& g) {
    TargetRequest r{.command = command.name,
                    .policy = command.targets,
                    .url = g.url,
                    .database_url = std::nullopt,
                    .config = g.config,
                    .keyspaces = g.keyspaces,
                    .all = g.all,
                    .dir = g.dir,
                    .table = g.table,
                    .lock = g.lock == "lease" ? migrate::LockMode::lease : migrate::LockMode::session,
                    .lock_timeout = std::chrono::seconds(g.lock_timeout_s),
                    .connection_flags_given = {},
                    .working_dir = std::filesystem::current_path()};
    if (const char* env = std::getenv("DATABASE_URL")) r.database_url = env;
    for (const char* flag : {"--dir", "--table", "--lock", "--lock-timeout"})
        if (command.app->get_option(flag)->count() > 0) r.connection_flags_given.emplace_back(flag);
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"migrate: apply drizzle-kit MySQL migrations (MySQL, MariaDB, Vitess, PlanetScale)"};
    app.require_subcommand(0, 1);
    bool version_flag = false;
    app.add_flag("--version", version_flag, "print the CLI, library, driver ABI and driver versions");
    GlobalOptions g;
    std::vector<Command> commands;
    for (auto add : all_commands) commands.push_back(add(app, g));
    app.footer("Examples:\n  migrate status --url mysql://app:secret@127.0.0.1:3306/app --dir drizzle\n"
               "  DATABASE_URL=mysql://app:secret@db/app migrate up --dir drizzle\n"
               "  migrate resolve 0042_add_vin --applied --dir drizzle\n"
               "  migrate up --all --config migrate.json --jobs 4\n"
               "  migrate baseline create --keyspace oi_claims --scratch-url mysql://root@127.0.0.1:3306\n"
               "  migrate baseline mark --through 0041_add_vin --url mysql://app@db/app --dir drizzle\n"
               "Exit codes: 0 ok, 1 apply or verify failed, 2 usage, 3 invalid input, 4 cannot connect, 5 refused, "
               "6 lock, 7 safe migrations (needs a deploy request), 130 interrupted (docs/cli.md)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? exit_ok : exit_usage;
    }
    if (version_flag) return run_version(g);
    const auto command = std::find_if(commands.begin(), commands.end(), [](const Command& c) { return c.app->parsed(); });
    if (command == commands.end()) {
        fmt::print(stderr, "{}\nmigrate: a command is required\n", app.help());
        return exit_usage;
    }
    const char* no_color_env = std::getenv("NO_COLOR");
    const bool colour = !g.no_color && !(no_color_env && *no_color_env);
    enable_colour(colour && !g.json && ::isatty(STDOUT_FILENO), colour && ::isatty(STDERR_FILENO));

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
        fmt::print(stderr, "{}\n", e.what());
        return exit_usage;
    } catch (const migrate::error& e) {
        std::fflush(stdout);
        fmt::print(stderr, "{}\n", paint_error(fmt::format("migrate: error[{}]: {}", migrate::to_string(e.code()),
                                                           error_text(e))));
        if (g.json) fmt::print("{}\n", failure_document(command->name, e, exit_code_for(e.code())).dump(2));
        return exit_code_for(e.code());
    } catch (const std::exception& e) {
        fmt::print(stderr, "migrate: internal error: {}\n", migrate::redact_url_text(e.what()));
        return exit_internal;
    }
}
