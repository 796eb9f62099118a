#include "baseline_cli.hpp"

#include "cli_common.hpp"
#include "json_output.hpp"
#include "target_selection.hpp"

#include <migrate/migrate.hpp>
#include <migrate/result_json.hpp>

#include <fmt/format.h>

#include <unistd.h>
#include <cstdio>
#include <iostream>
#include <mutex>

namespace cli {
void require_confirmation(bool yes, const std::string& question) {
    if (yes) return;
    if (!::isatty(STDIN_FILENO))
        throw UsageError(fmt::format("migrate: {} — refusing without confirmation: pass --yes", question));
    // On stderr: stdout may be a --json document.
    fmt::print(stderr, "{} [y/N] ", question);
    std::fflush(stderr);
    std::string answer;
    std::getline(std::cin, answer);
    if (answer != "y" && answer != "Y" && answer != "yes")
        throw UsageError("migrate: not confirmed; nothing was changed");
}

// Runs `one` per target like for_each_target and, with --json, prints one document of the entries it
// returns (an error becomes {"name", "error"}).
template <class Fn>
int with_json(const std::string& command, const std::vector<migrate::TargetConfig>& targets, const BaselineArgs& args,
              Fn one) {
    std::vector<Json> entries(targets.size());
    const int code = for_each_target(targets, args.jobs, [&](const migrate::TargetConfig& t, auto say) {
        const std::size_t i = static_cast<std::size_t>(&t - targets.data());
        try {
            return one(t, say, entries[i]);
        } catch (const migrate::error& e) {
            entries[i] = {{"name", t.name}, {"error", error_object(e)}};
            throw;
        }
    });
    if (args.json) fmt::print("{}\n", document(command, Json(entries), code).dump(2));
    return code;
}

int run_baseline_create(const std::vector<migrate::TargetConfig>& targets, const BaselineArgs& args) {
    return with_json("baseline create", targets, args, [&](const migrate::TargetConfig& t, auto say, Json& entry) {
        auto report =
            migrate::create_baseline({.migrations_dir = t.migrations_dir,
                                      .baseline_dir = t.baseline_dir,
                                      .scratch_server_url = args.scratch_url.empty() ? t.url : args.scratch_url,
                                      .through = args.through,
                                      .table = t.table});
        entry = {{"name", t.name}};
        entry.update(Json::parse(migrate::baseline_create_json(report)));  // shared with the C API
        if (!args.json)
            say(stdout, fmt::format("wrote {}: {} migrations through {} -> {} tables, {} views, {} rows, {} statements",
                                    report.dir.string(), report.migrations, report.through, report.tables, report.views,
                                    report.rows, report.statements));
        return int(exit_ok);
    });
}

int run_baseline_verify(const std::vector<migrate::TargetConfig>& targets, const BaselineArgs& args) {
    return with_json("baseline verify", targets, args, [&](const migrate::TargetConfig& t, auto say, Json& entry) {
        auto report =
            migrate::verify_baseline({.migrations_dir = t.migrations_dir,
                                      .baseline_dir = t.baseline_dir,
                                      .scratch_server_url = args.scratch_url.empty() ? t.url : args.scratch_url,
                                      .table = t.table});
        entry = {{"name", t.name},
                 {"dir", report.dir.string()},
                 {"through", report.through},
                 {"ok", report.ok()},
                 {"tables", report.tables},
                 {"rows", report.rows},
                 {"drift", report.drift},
                 {"unreproducible_columns", report.unreproducible_columns}};
        if (args.json) return int(report.ok() ? exit_ok : exit_failed);
        std::string masked;
        for (const auto& c : report.unreproducible_columns) masked += (masked.empty() ? "" : ", ") + c;
        if (report.ok()) {
            say(stdout,
                fmt::format("{} through {}: the snapshot builds what the migrations build ({} tables, {} rows, "
                            "tracking rows){}",
                            report.dir.string(), report.through, report.tables, report.rows,
                            masked.empty() ? "" : "; compared for NULL-ness only (not reproducible): " + masked));
            return int(exit_ok);
        }
        std::string text = fmt::format("{} through {}: DRIFT, {} difference{}:", report.dir.string(), report.through,
                                       report.drift.size(), report.drift.size() == 1 ? "" : "s");
        for (const auto& d : report.drift) text += "\n  - " + d;
        text += "\nRecreate it with `migrate baseline create`.";
        say(stderr, text);
        return int(exit_failed);
    });
}

int run_baseline_mark(const migrate::TargetConfig& t, const BaselineArgs& args) {
    auto target = migrate::Target::open(t.options());
    const auto& migrations = target.source().migrations;
    auto it = std::find_if(migrations.begin(), migrations.end(),
                           [&](const migrate::Migration& m) { return m.tag == *args.through; });
    // Thrown, not printed here: main words it and, under --json, prints the document.
    if (it == migrations.end())
        throw migrate::error(migrate::errc::target_not_found,
                             fmt::format("{} has no migration {}", target.source().dir.string(), *args.through));
    const std::size_t n = it->position + 1;
    require_confirmation(args.yes,
                         fmt::format("record {} migration{} ({} … {}) as applied in {} without running them?", n,
                                     n == 1 ? "" : "s", migrations.front().tag, it->tag, target.url().redacted()));
    auto recorded = target.mark_baseline(*args.through, [](const migrate::Event& e) {
        if (e.kind == migrate::Event::Kind::lock_waiting)
            fmt::print(stderr, "waiting for the migration lock ({} so far): held by {}\n", seconds(e.duration),
                       e.detail);
    });
    if (args.json) {
        Json entry{{"name", t.name}, {"through", *args.through}, {"recorded", recorded}};
        fmt::print("{}\n", document("baseline mark", Json::array({entry}), exit_ok).dump(2));
        return exit_ok;
    }
    fmt::print("recorded {} migration{} through {} as applied; `migrate up` applies the rest\n", recorded,
               recorded == 1 ? "" : "s", *args.through);
    return exit_ok;
}

}  // namespace cli
