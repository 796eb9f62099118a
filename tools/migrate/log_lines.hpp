// --log-format and --log-level: the run's events as JSON lines on stderr (docs/cli.md, "Log lines"), for
// log collectors and services, instead of the progress lines meant for people.
#pragma once

#include <migrate/log.hpp>

#include <CLI/CLI.hpp>

#include <mutex>
#include <string>

namespace cli {

// As given (CLI11 checks each against its closed set); read through json() and level().
struct LogChoices {
    std::string format = "text";  // text | json
    std::string min_level = "info";
    bool json() const { return format == "json"; }
    migrate::LogLevel level() const;
};
void add_log_options(CLI::App* command, LogChoices& choices);

// Writes one JSON object per line on stderr, whole lines only, from any number of targets' threads.
class JsonLogLines {
  public:
    explicit JsonLogLines(const LogChoices& choices) : min_level_(choices.level()) {}
    // The callback for one target's run: its events at the chosen level or above, as lines.
    migrate::EventCallback for_target(std::string target, migrate::EventCallback then = {});
    // A failure before the run could report it (the folder, the URL, the driver): a run_failed line.
    void failure(const std::string& target, const migrate::error& e);

  private:
    void write(const migrate::LogRecord& record);
    migrate::LogLevel min_level_;
    std::mutex mutex_;
};

}  // namespace cli
