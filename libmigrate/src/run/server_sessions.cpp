#include "server_sessions.hpp"

#include <charconv>

namespace migrate::run {
namespace {

template <class T>
std::optional<T> number(const connect::Value& v) {
    if (!v) return std::nullopt;
    T n{};
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc()) return std::nullopt;
    return n;
}

}  // namespace

std::vector<ServerSession> list_sessions(connect::Connection& conn) {
    std::vector<ServerSession> out;
    // Id, User, Host, db, Command, Time, State, Info (MariaDB adds Progress).
    for (const auto& r : conn.query("show full processlist")) {
        if (r.size() < 8) continue;
        out.push_back({number<std::uint64_t>(r[0]).value_or(0), r[1].value_or(""), r[2].value_or(""), r[3].value_or(""),
                       r[4].value_or(""), number<std::int64_t>(r[5]), r[6].value_or(""), r[7].value_or("")});
    }
    return out;
}

std::optional<ServerSession> find_session(connect::Connection& conn, std::uint64_t id) {
    for (auto& s : list_sessions(conn))
        if (s.id == id) return s;
    return std::nullopt;
}

std::string statement_headline(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    return s.size() > 120 ? s.substr(0, 117) + "..." : s;
}

}  // namespace migrate::run
