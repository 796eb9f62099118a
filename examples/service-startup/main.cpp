// A "service" that migrates its database at startup, then serves. Run many replicas at once: the
// migration lock lets exactly one apply each migration, the others wait and find nothing to do.
//
//   DATABASE_URL=mysql://user:pass@host:3306/app MIGRATIONS_DIR=./drizzle ./service-startup
//
// Exit codes: 0 served, 1 migrating failed (the service must not start), 2 bad configuration.
#include <migrate/migrate.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

namespace {

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

}  // namespace

int main() {
    migrate::StartupOptions options;
    options.target.url = env("DATABASE_URL");
    options.target.migrations_dir = env("MIGRATIONS_DIR");
    if (options.target.url.empty() || options.target.migrations_dir.empty()) {
        std::cerr << "set DATABASE_URL and MIGRATIONS_DIR\n";
        return 2;
    }
    if (auto table = env("MIGRATIONS_TABLE"); !table.empty()) options.target.table = table;
    if (env("MIGRATE_USE_BASELINE") == "0") options.target.use_baseline = false;  // apply every migration
    options.target.lock_timeout = std::chrono::seconds(120);
    options.on_validation_error = migrate::OnValidationError::fail;
    options.log = [](migrate::StartupLogLevel level, std::string_view message) {
        const char* prefix = level == migrate::StartupLogLevel::error     ? "error: "
                             : level == migrate::StartupLogLevel::warning ? "warning: "
                                                                          : "";
        std::cerr << "[migrate] " << prefix << message << "\n";
    };

    const migrate::StartupReport report = migrate::run_at_startup(options);
    if (!report) {
        std::cerr << "not starting: " << report.error_message << "\n";
        return 1;
    }

    // "Serve": report what this replica did and what the database records, then exit.
    try {
        auto target = migrate::Target::open(options.target);
        const auto status = target.status();
        std::cout << "ready applied=" << report.applied << " baseline=" << report.baseline_covered
                  << " recorded=" << status.plan.count(migrate::MigrationState::applied)
                  << " pending=" << status.plan.count(migrate::MigrationState::pending) << std::endl;
    } catch (const migrate::error& e) {
        std::cerr << "status failed: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
