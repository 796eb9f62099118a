#include "database_dump.hpp"

#include "tracking/tracking_table.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace migrate::baseline {
namespace {

using tracking::sql_string_literal;

std::string text(const connect::Value& v) { return v.value_or(""); }

struct Column {
    std::string name;
    ValueKind kind;
};

std::vector<Column> stored_columns(connect::Connection& conn, const std::string& table) {
    std::vector<Column> out;
    for (const auto& r : conn.query(fmt::format("select column_name, data_type, extra from information_schema.columns "
                                                "where table_schema = database() and table_name = {} "
                                                "order by ordinal_position",
                                                sql_string_literal(table)))) {
        std::string extra = text(r[2]);
        std::transform(extra.begin(), extra.end(), extra.begin(), [](unsigned char c) { return std::toupper(c); });
        if (extra.find("GENERATED") != std::string::npos) continue;  // computed by the server on insert
        out.push_back({text(r[0]), value_kind(text(r[1]))});
    }
    return out;
}

std::vector<std::string> primary_key(connect::Connection& conn, const std::string& table) {
    std::vector<std::string> out;
    for (const auto& r : conn.query(fmt::format("select column_name from information_schema.key_column_usage where "
                                                "table_schema = database() and table_name = {} and constraint_name = "
                                                "'PRIMARY' order by ordinal_position",
                                                sql_string_literal(table))))
        out.push_back(text(r[0]));
    return out;
}

// The rows, each value already a literal; ordered by primary key (else by every column) so the snapshot
// is the same every time it is made.
std::vector<std::vector<std::string>> table_rows(connect::Connection& conn, const std::string& table,
                                                 const std::vector<Column>& columns) {
    std::string select, order;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        select += (i ? ", " : "") + select_expression(columns[i].kind, columns[i].name);
    }
    auto pk = primary_key(conn, table);
    if (pk.empty())
        for (const auto& c : columns) pk.push_back(c.name);
    for (std::size_t i = 0; i < pk.size(); ++i) order += (i ? ", " : "") + quote_identifier(pk[i]);
    std::vector<std::vector<std::string>> out;
    for (const auto& r :
         conn.query(fmt::format("select {} from {} order by {}", select, quote_identifier(table), order))) {
        std::vector<std::string> row;
        for (std::size_t i = 0; i < columns.size(); ++i)
            row.push_back(value_literal(columns[i].kind, r[i] ? &*r[i] : nullptr));
        out.push_back(std::move(row));
    }
    return out;
}

void refuse_unsupported_objects(connect::Connection& conn) {
    std::vector<std::string> found;
    auto collect = [&](std::string_view kind, const std::string& sql) {
        for (const auto& r : conn.query(sql)) found.push_back(fmt::format("{} {}", kind, text(r[0])));
    };
    collect("trigger", "select trigger_name from information_schema.triggers where trigger_schema = database()");
    collect("routine", "select routine_name from information_schema.routines where routine_schema = database()");
    collect("event", "select event_name from information_schema.events where event_schema = database()");
    if (found.empty()) return;
    std::string list;
    for (const auto& f : found) list += (list.empty() ? "" : ", ") + f;
    throw error(
        errc::baseline_unusable,
        fmt::format("the migrations create {} ({}): a baseline snapshot holds tables, rows and views only, so "
                    "it would lose them. Keep replaying the migrations for this folder (no baseline)",
                    found.size() == 1 ? "an object a snapshot cannot carry" : "objects a snapshot cannot carry", list));
}

}  // namespace

std::vector<std::string> list_tables(connect::Connection& conn, const std::set<std::string>& skip) {
    std::vector<std::string> out;
    for (const auto& r : conn.query("select table_name from information_schema.tables where table_schema = database()"))
        if (!skip.contains(text(r[0]))) out.push_back(text(r[0]));
    std::sort(out.begin(), out.end());
    return out;
}

DatabaseDump dump_database(connect::Connection& conn, const std::set<std::string>& skip) {
    refuse_unsupported_objects(conn);
    DatabaseDump dump;
    std::map<std::string, std::vector<ForeignKey>> fks;
    for (const auto& r : conn.query("select table_name, constraint_name, referenced_table_name from "
                                    "information_schema.referential_constraints where constraint_schema = database()"))
        fks[text(r[0])].push_back({text(r[1]), text(r[2])});
    for (const auto& r : conn.query("select table_name, table_type from information_schema.tables where "
                                    "table_schema = database() order by table_name")) {
        const std::string name = text(r[0]);
        if (skip.contains(name)) continue;
        if (text(r[1]) == "VIEW") {
            auto create = conn.query("show create view " + quote_identifier(name));
            dump.views.push_back({name, text(create.at(0).at(1))});
            continue;
        }
        TableDump t;
        t.name = name;
        t.create_sql = text(conn.query("show create table " + quote_identifier(name)).at(0).at(1));
        t.foreign_keys = fks[name];
        const auto columns = stored_columns(conn, name);
        std::vector<std::string> column_names;
        for (const auto& c : columns) column_names.push_back(c.name);
        auto rows = table_rows(conn, name, columns);
        t.rows = rows.size();
        dump.rows += rows.size();
        t.inserts = insert_statements(name, column_names, rows);
        dump.tables.push_back(std::move(t));
    }
    return dump;
}

}  // namespace migrate::baseline
