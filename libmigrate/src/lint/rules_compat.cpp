// What the target server refuses outright: syntax it lacks, names too long, foreign keys it forbids.
#include "rules.hpp"

#include <fmt/format.h>

namespace migrate::lint {
namespace {

using sql::is_word_in;

// Characters, not bytes: MySQL's 64 is a character limit.
std::size_t characters(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

void check_if_exists(const Statement& s, Sink& sink) {
    const auto& t = s.tokens;
    const bool alter = sql::keyword_is(t[0], "ALTER");
    bool index_ddl = false;  // CREATE [UNIQUE…] INDEX / DROP INDEX
    for (std::size_t i = 1; i < t.size() && i < 4; ++i)
        if (sql::keyword_is(t[i], "INDEX"))
            index_ddl = sql::keyword_is(t[0], "CREATE") || sql::keyword_is(t[0], "DROP");
    if (!alter && !index_ddl) return;
    if (alter && !(t.size() > 1 && is_word_in(t[1], {"TABLE", "ONLINE", "OFFLINE", "IGNORE"}))) return;
    for (std::size_t i = 1; i + 1 < t.size(); ++i) {
        if (!sql::keyword_is(t[i], "IF")) continue;
        const bool not_exists =
            sql::keyword_is(t[i + 1], "NOT") && i + 2 < t.size() && sql::keyword_is(t[i + 2], "EXISTS");
        if (!not_exists && !sql::keyword_is(t[i + 1], "EXISTS")) continue;
        sink.add(
            "alter-if-exists", s, t[i],
            fmt::format("{} in {} is MariaDB syntax; {} rejects it (1064)", not_exists ? "IF NOT EXISTS" : "IF EXISTS",
                        alter ? "ALTER TABLE" : fmt::format("{} INDEX", sql::lower(t[0].text)),
                        to_string(sink.options().flavor)));
    }
}

void check_identifiers(const Statement& s, Sink& sink) {
    for (const auto& t : s.tokens) {
        if (t.kind != sql::TokenKind::quoted_identifier && t.kind != sql::TokenKind::word) continue;
        const auto n = characters(t.value.empty() ? std::string(t.text) : t.value);
        if (n > 64)
            sink.add(
                "identifier-too-long", s, t,
                fmt::format("identifier `{}` is {} characters long; the limit is 64 (1059 Identifier name too long)",
                            t.value.empty() ? std::string(t.text) : t.value, n));
    }
}

void check_column_type(const Statement& s, const ColumnSpec& c, Sink& sink) {
    if (c.type_word == "serial" && c.auto_increment && c.type_at)
        sink.add(
            "serial-auto-increment", s, *c.type_at,
            fmt::format("column `{}` is `serial AUTO_INCREMENT`; MariaDB rejects AUTO_INCREMENT after serial", c.name));
}

}  // namespace

void check_compat(const Statement& s, const Ddl& d, Sink& sink) {
    check_if_exists(s, sink);
    check_identifiers(s, sink);
    for (const auto& c : d.columns) check_column_type(s, c, sink);
    for (const auto& a : d.clauses)
        if (a.kind == ClauseKind::add_column || a.kind == ClauseKind::modify_column)
            check_column_type(s, a.column, sink);
    const auto& o = sink.options();
    if (!o.sharded && o.foreign_keys) return;
    for (const auto* at : d.foreign_keys)
        sink.add("foreign-key-unsupported", s, *at,
                 o.sharded ? std::string("a foreign key in a sharded keyspace: Vitess cannot enforce it across shards")
                           : std::string(
                                 "a foreign key, but this target has foreign keys disabled (\"foreignKeys\": false)"));
}

}  // namespace migrate::lint
