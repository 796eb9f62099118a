// How commands that take the lock or apply migrations word the library's events (up, repair, resolve,
// revert): waits on stderr, progress lines on stdout.
#pragma once

#include <migrate/migrate.hpp>

#include <chrono>
#include <string>

namespace cli {

// "applying 3 migrations to URL", or what a baseline load covers.
std::string started_line(const migrate::Event& e, const std::string& url);
// "  [2/5] 0042_add_vin   3 statements  12 ms"; a baseline load names what it covers.
std::string finished_line(const migrate::Event& e);
// Waits are shown even with --quiet: a run that seems stuck must say why.
bool is_waiting(const migrate::Event& e);
// A statement or a stopped run's leftover keeps this run waiting.
std::string waiting_line(const migrate::Event& e);
// Lock and resume events, shared by every command that takes the lock.
void print_common_event(const migrate::Event& e);
// What `up` says when a run ends.
std::string up_summary(const migrate::UpReport& report, std::size_t migrations);

// A one-line progress bar on stderr, redrawn in place; only when stderr is a terminal.
class ProgressBar {
  public:
    explicit ProgressBar(bool enabled) : enabled_(enabled), start_(std::chrono::steady_clock::now()) {}
    ~ProgressBar() { clear(); }
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;
    void show(const migrate::Event& e);
    void clear();

  private:
    bool enabled_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace cli
