#include "live_schema.hpp"

#include "normalise.hpp"

#include <algorithm>
#include <cctype>

namespace migrate::verify {
namespace {

std::string text(const connect::Value& v) { return v.value_or(""); }

bool contains_ci(std::string haystack, std::string_view needle) {
    std::transform(haystack.begin(), haystack.end(), haystack.begin(), [](unsigned char c) { return std::tolower(c); });
    return haystack.find(needle) != std::string::npos;
}

std::string quote_literal(std::string_view s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

}  // namespace

Schema read_live_schema(connect::Connection& conn, const std::set<std::string>& skip) {
    const bool mariadb = connect::is_mariadb(conn.server_version());
    Schema schema;
    for (const auto& r : conn.query("select table_name, table_type from information_schema.tables "
                                    "where table_schema = database()")) {
        const std::string name = text(r[0]);
        if (skip.contains(name)) continue;
        if (text(r[1]) == "VIEW")
            schema.views.insert(name);
        else
            schema.tables[name].name = name;
    }
    auto table = [&](const connect::Value& v) -> Table* {
        auto it = schema.tables.find(text(v));
        return it == schema.tables.end() ? nullptr : &it->second;
    };
    for (const auto& r : conn.query("select table_name, column_name, column_type, is_nullable, column_default, extra "
                                    "from information_schema.columns where table_schema = database() "
                                    "order by table_name, ordinal_position")) {
        Table* t = table(r[0]);
        if (!t) continue;
        Column c{.name = text(r[1]), .type = text(r[2]), .not_null = text(r[3]) == "NO", .default_value = r[4]};
        const std::string extra = text(r[5]);
        c.auto_increment = contains_ci(extra, "auto_increment");
        c.on_update_now = contains_ci(extra, "on update");
        // MySQL 8 shows a literal string default bare (x, not 'x'); expression defaults carry DEFAULT_GENERATED.
        if (!mariadb && c.default_value && !contains_ci(extra, "default_generated") &&
            !is_numeric_type(canonical_type(c.type)))
            c.default_value = quote_literal(*c.default_value);
        t->columns.push_back(std::move(c));
    }
    for (const auto& r : conn.query("select table_name, index_name, non_unique, column_name "
                                    "from information_schema.statistics where table_schema = database() "
                                    "order by table_name, index_name, seq_in_index")) {
        Table* t = table(r[0]);
        if (!t) continue;
        const std::string index = text(r[1]);
        const std::string column = r[3] ? *r[3] : "(expression)";  // MySQL 8 functional key parts
        if (index == "PRIMARY") {
            t->primary_key.push_back(column);
            continue;
        }
        if (t->indexes.empty() || t->indexes.back().name != index) t->indexes.push_back({index, {}, text(r[2]) == "0"});
        t->indexes.back().columns.push_back(column);
    }
    for (const auto& r :
         conn.query("select rc.table_name, rc.constraint_name, rc.referenced_table_name, rc.delete_rule, "
                    "rc.update_rule, k.column_name, k.referenced_column_name "
                    "from information_schema.referential_constraints rc "
                    "join information_schema.key_column_usage k on k.constraint_schema = "
                    "rc.constraint_schema and k.constraint_name = rc.constraint_name and "
                    "k.table_name = rc.table_name "
                    "where rc.constraint_schema = database() "
                    "order by rc.table_name, rc.constraint_name, k.ordinal_position")) {
        Table* t = table(r[0]);
        if (!t) continue;
        if (t->foreign_keys.empty() || t->foreign_keys.back().name != text(r[1]))
            t->foreign_keys.push_back({text(r[1]), {}, text(r[2]), {}, text(r[3]), text(r[4])});
        t->foreign_keys.back().columns.push_back(text(r[5]));
        t->foreign_keys.back().columns_to.push_back(text(r[6]));
    }
    // MariaDB's check_constraints names the table; MySQL 8's does not (its check names are unique per schema).
    const char* checks =
        mariadb ? "select table_name, constraint_name, check_clause from information_schema.check_constraints "
                  "where constraint_schema = database()"
                : "select tc.table_name, cc.constraint_name, cc.check_clause "
                  "from information_schema.table_constraints tc join information_schema.check_constraints cc "
                  "on cc.constraint_schema = tc.constraint_schema and cc.constraint_name = tc.constraint_name "
                  "where tc.constraint_type = 'CHECK' and tc.table_schema = database()";
    for (const auto& r : conn.query(checks))
        if (Table* t = table(r[0])) t->checks.push_back({text(r[1]), text(r[2])});
    return schema;
}

}  // namespace migrate::verify
