#include "carried_record.hpp"

#include <fmt/format.h>

#include <charconv>
#include <sstream>
#include <string_view>

namespace migrate::deploy {
namespace {

constexpr std::string_view prefix = "libmigrate-carries:";

template <class T>
bool parse_number(std::string_view s, T& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

CarriedRecord carried_record(const std::string& keyspace, const std::string& batch,
                             const std::vector<plan::StatementRef>& statements) {
    CarriedRecord r{keyspace, batch, {}};
    for (const auto& s : statements) {
        if (!r.statements.empty() && r.statements.back().when == s.migration->when) {
            r.statements.back().last = s.index;
            continue;
        }
        r.statements.push_back({s.migration->when, s.index, s.index});
    }
    return r;
}

std::string notes_line(const CarriedRecord& r) {
    std::string out = fmt::format("{} keyspace={} batch={}", prefix, r.keyspace, r.batch);
    for (const auto& s : r.statements) out += fmt::format(" {}#{}-{}", s.when, s.first, s.last);
    return out;
}

std::optional<CarriedRecord> read_carried_record(const std::string& notes) {
    std::istringstream lines(notes);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind(prefix, 0) != 0) continue;
        std::istringstream words(line.substr(prefix.size()));
        CarriedRecord r;
        std::string w;
        while (words >> w) {
            if (w.rfind("keyspace=", 0) == 0) {
                r.keyspace = w.substr(9);
            } else if (w.rfind("batch=", 0) == 0) {
                r.batch = w.substr(6);
            } else {
                const auto hash = w.find('#'), dash = w.find('-', hash == std::string::npos ? 0 : hash);
                CarriedRecord::Statements s;
                if (hash == std::string::npos || dash == std::string::npos ||
                    !parse_number(std::string_view(w).substr(0, hash), s.when) ||
                    !parse_number(std::string_view(w).substr(hash + 1, dash - hash - 1), s.first) ||
                    !parse_number(std::string_view(w).substr(dash + 1), s.last) || s.last < s.first)
                    return std::nullopt;
                r.statements.push_back(s);
            }
        }
        if (r.keyspace.empty() || r.batch.empty()) return std::nullopt;
        return r;
    }
    return std::nullopt;
}

}  // namespace migrate::deploy
