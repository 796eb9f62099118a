#include "log_lines.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace cli {

void add_log_options(CLI::App* command, LogChoices& choices) {
    command
        ->add_option("--log-format", choices.format,
                     "text: progress lines for people; json: one JSON object per event on stderr (time, level, event, "
                     "target, migration, statement, durations, lock holder, errno/SQLSTATE, deploy request)")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    command
        ->add_option("--log-level", choices.min_level,
                     "with --log-format json: the least level written (debug adds one line per statement)")
        ->check(CLI::IsMember({"debug", "info", "warning", "error"}))
        ->capture_default_str();
}

migrate::LogLevel LogChoices::level() const {
    if (min_level == "debug") return migrate::LogLevel::debug;
    if (min_level == "warning") return migrate::LogLevel::warning;
    if (min_level == "error") return migrate::LogLevel::error;
    return migrate::LogLevel::info;
}

migrate::EventCallback JsonLogLines::for_target(std::string target, migrate::EventCallback then) {
    return migrate::log_events([this](const migrate::LogRecord& r) { write(r); }, std::move(target), min_level_,
                               std::move(then));
}

void JsonLogLines::failure(const std::string& target, const migrate::error& e) {
    const migrate::Event failed{.kind = migrate::Event::Kind::run_failed, .failure = &e};
    write({.time = std::chrono::system_clock::now(),
           .level = migrate::LogLevel::error,
           .target = target,
           .readiness = migrate::Readiness::failed,
           .event = failed});
}

void JsonLogLines::write(const migrate::LogRecord& record) {
    const std::string line = migrate::to_json_line(record) + "\n";
    std::lock_guard lock(mutex_);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

}  // namespace cli
