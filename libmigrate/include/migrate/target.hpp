// A target: one database (a URL) and the migrations folder that describes it.
#pragma once

#include <migrate/connection_url.hpp>
#include <migrate/export.hpp>
#include <migrate/plan.hpp>
#include <migrate/source.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace migrate {

struct TargetOptions {
    std::string url;                               // see connection_url.hpp
    std::filesystem::path migrations_dir;          // drizzle-kit's `out` folder
    std::string table = "__drizzle_migrations";    // drizzle's migrations.table
};

// Progress of `up`, delivered synchronously on the calling thread.
struct Event {
    enum class Kind { run_started, migration_started, statement_started, statement_finished, migration_finished, run_finished };
    Kind kind{};
    const Migration* migration = nullptr;         // null for run_started / run_finished
    std::size_t migration_number = 0;             // 1-based within this run
    std::size_t migrations_total = 0;             // migrations this run applies
    std::size_t statement_index = 0;              // 0-based within the migration
    std::size_t statements_total = 0;             // statements of the migration
    std::chrono::nanoseconds duration{0};         // for *_finished events
};
using EventCallback = std::function<void(const Event&)>;

struct Status {
    std::string url;                 // redacted
    Transport transport = Transport::tcp;
    std::string driver;              // driver name and version
    std::string server_version;
    std::string table;
    Plan plan;
};

struct UpReport {
    std::size_t migrations_applied = 0;
    std::size_t statements_run = 0;
    std::chrono::nanoseconds duration{0};
    Plan plan_before;                // what was pending when the run started
};

class MIGRATE_API Target {
public:
    // Reads and validates the folder, the URL and the table name; connects to nothing.
    // Throws migrate::error.
    static Target open(TargetOptions options);

    Target(Target&&) noexcept;
    Target& operator=(Target&&) noexcept;
    ~Target();

    const Source& source() const;
    const ConnectionUrl& url() const;

    // Connects and reads the tracking table; changes nothing (not even creating the table).
    Status status();
    // Applies pending migrations in journal order: each migration's statements, then its tracking row.
    // Stops at the first failure and throws migrate::error with file, statement, line, errno, SQLSTATE.
    UpReport up(const EventCallback& on_event = {});

private:
    struct Impl;
    explicit Target(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace migrate
