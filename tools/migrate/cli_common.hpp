// What every `migrate` command shares: exit codes, tables, running targets in parallel, error lines.
#pragma once

#include <migrate/error.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace cli {

// docs/cli.md lists them; scripts rely on them.
enum ExitCode : int {
    exit_ok = 0,
    exit_failed = 1,          // apply failed, or a check (baseline verify) found differences
    exit_usage = 2,
    exit_invalid_input = 3,
    exit_connect_failed = 4,
    exit_refused = 5,
    exit_lock = 6,
    exit_safe_migrations = 7, // the branch refuses DDL: it needs a deploy request
    exit_internal = 70,
    exit_interrupted = 130,
};

int exit_code_for(migrate::errc code);

std::string first_line(std::string_view s);
std::string seconds(std::chrono::nanoseconds d);
// "error[code]: first line of the message", redacted.
std::string error_summary(const migrate::error& e);

// Columns padded to their widest cell; the last column is not padded.
void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

// Runs fn(i) for every i in [0, n) on at most `jobs` threads (0: one per item).
template <class Fn>
void parallel_for(std::size_t n, int jobs, Fn fn) {
    std::size_t threads = jobs > 0 ? std::min<std::size_t>(static_cast<std::size_t>(jobs), n) : n;
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            for (std::size_t i; (i = next++) < n;) fn(i);
        });
    for (auto& t : pool) t.join();
}

}  // namespace cli
