#include "tracking_table.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

#include <cctype>
#include <charconv>

namespace migrate::tracking {
namespace {

// 64 is MySQL's identifier limit; 9 bytes are kept for the side tables' suffixes ("_progress").
constexpr std::size_t max_table_name = 64 - 9;

bool plain_identifier(std::string_view s) {
    if (s.empty() || s.size() > max_table_name) return false;
    if (std::isdigit(static_cast<unsigned char>(s[0]))) return false;
    for (const char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$')) return false;
    return true;
}

template <class T>
T to_number(std::string_view text, const char* what) {
    T v{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size())
        throw error(errc::internal, fmt::format("unexpected {} value '{}' in the tracking table", what, text));
    return v;
}

}  // namespace

std::string sql_string_literal(std::string_view text) {
    // A backslash means different things with and without NO_BACKSLASH_ESCAPES, so text holding one
    // (or NUL) goes as a hex literal, which every sql_mode, MySQL, MariaDB and Vitess read the same way.
    if (text.find('\\') != std::string_view::npos || text.find('\0') != std::string_view::npos) {
        static constexpr char hex[] = "0123456789ABCDEF";
        std::string out = "X'";
        for (const char ch : text) {
            const auto c = static_cast<unsigned char>(ch);
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
        return out + "'";
    }
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += "''";
        else
            out.push_back(c);
    }
    return out + "'";
}

TrackingTable::TrackingTable(std::string name) : name_(std::move(name)) {
    if (!plain_identifier(name_))
        throw error(errc::table_invalid,
                    fmt::format("tracking table name '{}' is not a plain identifier: use 1-{} letters, digits, '_' "
                                "or '$', not starting with a digit (drizzle's default is __drizzle_migrations)",
                                name_, max_table_name));
}

std::string TrackingTable::quoted() const { return "`" + name_ + "`"; }

std::string TrackingTable::side_table(std::string_view suffix) const { return name_ + "_" + std::string(suffix); }

std::string TrackingTable::create_statement(FolderLayout layout) const {
    // drizzle-orm 1.0 mysql-core/async/session.js (`migrate`), the template literal with its tabs and newlines.
    if (layout == FolderLayout::drizzle_v1_folders)
        return "\n\t\t\tCREATE TABLE IF NOT EXISTS " + quoted() +
               " (\n\t\t\t\tid SERIAL PRIMARY KEY,\n\t\t\t\thash TEXT NOT NULL,\n\t\t\t\tcreated_at BIGINT,\n"
               "\t\t\t\tname TEXT,\n\t\t\t\tapplied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP\n\t\t\t)\n\t\t";
    // drizzle-orm mysql-core/dialect.js renders this template literal, tabs and newlines included.
    return "\n\t\t\tcreate table if not exists " + quoted() +
           " (\n\t\t\t\tid serial primary key,\n\t\t\t\thash text not null,\n\t\t\t\tcreated_at bigint\n\t\t\t)\n\t\t";
}

std::string TrackingTable::insert_statement(const Migration& m, const TableShape& shape) const {
    return insert_statement(std::vector<const Migration*>{&m}, shape);
}

std::string TrackingTable::insert_statement(const std::vector<const Migration*>& ms, const TableShape& shape) const {
    // Same columns and values as drizzle's `insert into t (`hash`, `created_at`) values(?, ?)`; the 1.0
    // `name` column is filled when present so drizzle 1.0 does not re-run the migration. Several rows in
    // one statement get consecutive ids in the order given, as separate inserts would.
    std::string out =
        fmt::format("insert into {} (`hash`, `created_at`{}) values", quoted(), shape.has_name ? ", `name`" : "");
    for (std::size_t i = 0; i < ms.size(); ++i) {
        out += fmt::format("{}({}, {}", i ? ", " : "", sql_string_literal(ms[i]->hash), ms[i]->when);
        out += shape.has_name ? fmt::format(", {})", sql_string_literal(ms[i]->tag)) : std::string(")");
    }
    return out;
}

std::string TrackingTable::insert_missing_statement(const Migration& m, const TableShape& shape) const {
    const std::string hash = sql_string_literal(m.hash);
    const std::string name = shape.has_name ? ", " + sql_string_literal(m.tag) : "";
    return fmt::format(
        "insert into {0} (`hash`, `created_at`{1}) select {2}, {3}{4} from dual where not exists "
        "(select 1 from {0} where `created_at` = {3} and `hash` = {2})",
        quoted(), shape.has_name ? ", `name`" : "", hash, m.when, name);
}

std::string TrackingTable::delete_statement(const Migration& m) const {
    return fmt::format("delete from {} where `created_at` = {} and `hash` = {}", quoted(), m.when,
                       sql_string_literal(m.hash));
}

TableShape TrackingTable::inspect(connect::Connection& conn) const {
    TableShape shape;
    auto rows = conn.query(fmt::format(
        "select column_name from information_schema.columns where table_schema = database() and table_name = {}",
        sql_string_literal(name_)));
    for (const auto& r : rows) {
        if (r.empty() || !r[0]) continue;
        shape.exists = true;
        if (*r[0] == "name") shape.has_name = true;
        if (*r[0] == "applied_at") shape.has_applied_at = true;
    }
    // No table, or no database at all: information_schema answers both with no rows, and `status` would then
    // call every migration pending while `up` fails on its first statement (1046). Told apart here, once, on
    // the path where the table is missing only (a second round trip a migrated database never pays).
    if (!shape.exists) {
        const auto db = conn.query("select database()");
        if (db.empty() || db[0].empty() || !db[0][0])
            throw error(errc::server_error,
                        "the connection has no database selected (1046 No database selected), so there is no "
                        "tracking table to read or create: over HTTP the credentials choose the database, not the "
                        "URL's path; use credentials bound to the database (or a server that selects one)",
                        {.server_errno = 1046, .sqlstate = "3D000"});
    }
    return shape;
}

std::vector<AppliedRow> TrackingTable::read(connect::Connection& conn, const TableShape& shape) const {
    std::vector<AppliedRow> out;
    if (!shape.exists) return out;
    // Row by row as they arrive: every start reads the whole table.
    conn.for_each_row(
        fmt::format("select id, hash, created_at{} from {} order by id", shape.has_name ? ", name" : "", quoted()),
        [&](const connect::RowView& r) {
            AppliedRow& a = out.emplace_back();
            a.id = r[0] ? to_number<std::uint64_t>(*r[0], "id") : 0;
            a.hash = r[1].value_or("");
            if (r[2]) a.created_at = to_number<std::int64_t>(*r[2], "created_at");
            if (shape.has_name && r.size() > 3 && r[3]) a.name = std::string(*r[3]);
        });
    return out;
}

}  // namespace migrate::tracking
