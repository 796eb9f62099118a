// What the TUI shows, kept current by worker threads so the screen never waits on a database: one entry
// per target, refreshed in the background, applied in the background with live progress. The screen
// thread only reads copies (snapshot()).
#pragma once

#include <migrate/migrate.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace cli::tui {

struct MigrationRow {
    const migrate::Migration* migration = nullptr;  // into the target's Source (immutable after open)
    std::string state;                              // applied, pending, out of order, edited, partial, baseline
};

// An apply that failed: shown in place, with the statement.
struct Failure {
    std::string code;     // error[code]
    std::string message;  // the whole message, redacted
    std::string file;
    std::size_t line = 0;
    std::string statement_sql;  // the statement that failed, when known
};

struct TargetState {
    std::string name;
    std::string url;  // redacted
    std::string transport = "-";
    bool loaded = false;  // a refresh has completed at least once
    std::size_t applied = 0, pending = 0, changed = 0, out_of_order = 0, partial = 0;
    std::size_t lint = 0;  // lint findings (errors and warnings) in the folder
    std::string lock_holder;
    std::string baseline;    // "through TAG", "(stale)", or ""
    std::string read_error;  // the last refresh failed: why
    std::vector<MigrationRow> migrations;
    std::vector<migrate::PendingStatement> pending_statements;  // with algorithm and table size
    // PlanetScale: the keyspace's open deploy requests (a refresh), or the run's, live with per-table progress.
    std::vector<migrate::DeployRequestProgress> deploy_requests;
    // Applying:
    bool running = false;
    std::string progress;  // "[2/5] 0042_add_vin statement 3/4"
    std::chrono::steady_clock::time_point started{};
    std::string result;  // after a run: what it did
    std::optional<Failure> failure;
};

class Model {
  public:
    // Opens every target (reads its folder); a target that cannot be opened shows its error. `run` holds
    // the command line's choices for every apply and preview (--to, --allow-*, --no-baseline).
    Model(const std::vector<migrate::TargetConfig>& targets, const migrate::UpOptions& run);
    ~Model();  // asks running applies to stop between statements, waits for the workers

    std::vector<TargetState> snapshot() const;
    const migrate::Target* target(std::size_t i) const;  // null when it could not be opened
    // The folder's lint findings (not suppressed), read once at open: the folder does not change meanwhile.
    const std::vector<migrate::LintFinding>& lint(std::size_t i) const { return entries_.at(i).lint; }
    std::size_t size() const { return entries_.size(); }
    // True once after anything changed: the screen redraws.
    bool take_dirty();

    void refresh_all();  // in the background, now
    // What `up` would do (for the confirmation), computed on a worker; ready when has_value().
    void request_preview(std::vector<std::size_t> which);
    std::optional<std::vector<std::pair<std::string, std::string>>> take_preview();  // (target, summary)
    void apply(const std::vector<std::size_t>& which);                               // one worker per target
    bool any_running() const;

  private:
    struct Entry {
        migrate::TargetConfig config;
        std::unique_ptr<migrate::Target> target;
        std::vector<migrate::LintFinding> lint;
        TargetState state;
    };
    void refresh_one(std::size_t i);
    void apply_one(std::size_t i);
    void refresher();
    void mark_dirty() { dirty_ = true; }
    // The command line's choices, with the target's "maxTableCopy" unless the command line set a limit.
    migrate::UpOptions up_options(const Entry& e);

    std::vector<Entry> entries_;
    migrate::UpOptions run_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::atomic<bool> dirty_{true};
    std::atomic<bool> stop_{false};
    std::atomic<bool> cancel_{false};
    bool refresh_now_ = false;
    std::optional<std::vector<std::pair<std::string, std::string>>> preview_;
    std::vector<std::thread> workers_;
    std::thread refresher_;
};

}  // namespace cli::tui
