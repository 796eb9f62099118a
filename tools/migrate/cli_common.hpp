// What every `migrate` command shares: exit codes, tables, running targets in parallel, error lines.
#pragma once

#include <migrate/connection_url.hpp>
#include <migrate/error.hpp>
#include <migrate/project.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace cli {

// docs/cli.md lists them; scripts rely on them.
enum ExitCode : int {
    exit_ok = 0,
    exit_failed = 1,  // apply failed, or a check (baseline verify) found differences
    exit_usage = 2,
    exit_invalid_input = 3,
    exit_connect_failed = 4,
    exit_refused = 5,
    exit_lock = 6,
    exit_safe_migrations = 7,  // the branch refuses DDL: it needs a deploy request
    exit_internal = 70,
    exit_interrupted = 130,
};

int exit_code_for(migrate::errc code);

std::string first_line(std::string_view s);
std::string seconds(std::chrono::nanoseconds d);
// "error[code]: first line of the message", redacted.
std::string error_summary(const migrate::error& e);
// The error's message, redacted, with the server's errno and SQLSTATE appended when it carries them and
// the message does not say them yet (a statement's failure does; libmigrate's own statements, e.g.
// creating the tracking table, leave them to the context).
std::string error_text(const migrate::error& e);

// Colour: only on a terminal, never with NO_COLOR or --no-color (decided once, in main).
enum class Colour { red, green, yellow };
void enable_colour(bool stdout_colour, bool stderr_colour);
std::string paint(const std::string& text, Colour c, bool for_stderr = false);
std::string paint_error(const std::string& text);  // for stderr

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

// Runs `one` for every target (in parallel when several), each line of its output prefixed with the
// target's name when there are several; returns the worst exit code.
template <class Fn>
int for_each_target(const std::vector<migrate::TargetConfig>& targets, int jobs, Fn one) {
    std::mutex out_mutex;
    const bool several = targets.size() > 1;
    std::size_t width = 0;
    for (const auto& t : targets) width = std::max(width, t.name.size());
    std::vector<int> codes(targets.size(), exit_ok);
    parallel_for(targets.size(), jobs, [&](std::size_t i) {
        const auto& t = targets[i];
        auto say = [&](std::FILE* f, const std::string& text) {
            std::lock_guard lock(out_mutex);
            std::size_t start = 0;
            while (start <= text.size()) {
                auto end = text.find('\n', start);
                if (end == std::string::npos) end = text.size();
                if (several)
                    fmt::print(f, "{:<{}} | {}\n", t.name, width, text.substr(start, end - start));
                else
                    fmt::print(f, "{}\n", text.substr(start, end - start));
                start = end + 1;
            }
            std::fflush(f);
        };
        try {
            codes[i] = one(t, say);
        } catch (const migrate::error& e) {
            codes[i] = exit_code_for(e.code());
            say(stderr, fmt::format("migrate: error[{}]: {}", migrate::to_string(e.code()), error_text(e)));
        } catch (const std::exception& e) {
            codes[i] = exit_internal;
            say(stderr, fmt::format("migrate: internal error: {}", migrate::redact_url_text(e.what())));
        }
    });
    return *std::max_element(codes.begin(), codes.end());
}

}  // namespace cli
