// Wall-clock times as the API writes them: RFC 3339 UTC, null when not set.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>

namespace gateway::management {

using WallClock = std::chrono::system_clock;
using WallTime = WallClock::time_point;

inline std::string rfc3339(WallTime t) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[80];  // room for any int the compiler imagines
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf;
}

inline nlohmann::json time_or_null(const std::optional<WallTime>& t) {
    return t ? nlohmann::json(rfc3339(*t)) : nlohmann::json(nullptr);
}

}  // namespace gateway::management
