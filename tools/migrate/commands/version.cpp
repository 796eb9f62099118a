// `migrate version` / `migrate --version`: the CLI, library and driver ABI versions, and every driver
// plugin the loader finds.
#include "commands.hpp"

#include "../cli_common.hpp"
#include "../json_output.hpp"

#include <migrate/migrate.hpp>

#include <fmt/format.h>

namespace cli {

int run_version(const GlobalOptions& g) {
    const auto drivers = migrate::available_drivers();
    if (g.json) {
        Json list = Json::array();
        for (const auto& d : drivers)
            list.push_back({{"name", d.name},
                            {"version", d.version.empty() ? Json() : Json(d.version)},
                            {"file", d.file.empty() ? Json() : Json(d.file)},
                            {"schemes", d.schemes},
                            {"error", d.error.empty() ? Json() : Json(d.error)}});
        Json doc{{"version", 1},
                 {"command", "version"},
                 {"ok", true},
                 {"exit", 0},
                 {"cli", MIGRATE_CLI_VERSION},
                 {"library", migrate::library_version()},
                 {"driver_abi", migrate::driver_abi_version()},
                 {"drivers", list}};
        fmt::print("{}\n", doc.dump(2));
        return exit_ok;
    }
    fmt::print("migrate {}\nlibmigrate {}\ndriver ABI {}\n", MIGRATE_CLI_VERSION, migrate::library_version(),
               migrate::driver_abi_version());
    for (const auto& d : drivers)
        fmt::print("driver {:<17} {}\n", d.name,
                   d.error.empty() ? fmt::format("{} ({}; {})", d.version, d.schemes, d.file)
                                   : "not loadable: " + first_line(d.error));
    return exit_ok;
}

Command add_version_command(CLI::App& app, GlobalOptions& g) {
    auto* sub = app.add_subcommand("version", "print the CLI, library, driver ABI and driver plugin versions");
    sub->footer("Examples:\n  migrate version\n  migrate version --json");
    add_global_options(sub, g, TargetPolicy::none, JsonOutput::document);
    return {.app = sub, .name = "version", .targets = TargetPolicy::none, .run = [](const Invocation& in) {
                return run_version(in.global);
            }};
}

}  // namespace cli
