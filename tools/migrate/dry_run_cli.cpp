#include "dry_run_cli.hpp"

#include "cli_common.hpp"

#include <migrate/migrate.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

namespace cli {

int run_dry_run(const std::vector<migrate::TargetConfig>& targets, const migrate::UpOptions& up) {
    int code = exit_ok;
    // In order, not in parallel: the scripts are one stream, written as the library makes them.
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const auto& t = targets[i];
        if (targets.size() > 1) fmt::print("{}-- ===== target {} =====\n", i ? "\n" : "", t.name);
        try {
            auto target = migrate::Target::open(t.options());
            auto options = up;  // the target's "maxTableCopy" unless the command line set a limit
            if (!options.max_table_copy_bytes) options.max_table_copy_bytes = t.max_table_copy_bytes;
            target.dry_run([](std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); }, options);
            std::fflush(stdout);
        } catch (const migrate::error& e) {
            std::fflush(stdout);
            fmt::print(stderr, "migrate: {}error[{}]: {}\n", targets.size() > 1 ? t.name + ": " : "",
                       migrate::to_string(e.code()), error_text(e));
            code = std::max(code, exit_code_for(e.code()));
        }
    }
    return code;
}

}  // namespace cli
