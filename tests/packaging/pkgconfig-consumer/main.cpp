// `status` through an installed libmigrate found with pkg-config: DATABASE_URL, MIGRATIONS_DIR.
#include <migrate/migrate.hpp>

#include <cstdlib>
#include <iostream>

int main() {
    const char* url = std::getenv("DATABASE_URL");
    const char* dir = std::getenv("MIGRATIONS_DIR");
    if (!url || !dir) return 2;
    try {
        auto target = migrate::Target::open({.url = url, .migrations_dir = dir});
        const auto status = target.status();
        std::cout << "libmigrate " << migrate::library_version() << " driver " << status.driver
                  << " recorded=" << status.plan.count(migrate::MigrationState::applied)
                  << " pending=" << status.plan.count(migrate::MigrationState::pending) << std::endl;
    } catch (const migrate::error& e) {
        std::cerr << migrate::to_string(e.code()) << ": " << e.what() << "\n";
        return 1;
    }
    return 0;
}
