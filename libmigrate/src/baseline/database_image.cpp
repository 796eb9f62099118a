#include "database_image.hpp"

#include "snapshot_sql.hpp"
#include "tracking/tracking_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

namespace migrate::baseline {
namespace {

std::string text(const connect::Value& v) { return v.value_or(""); }

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool reads_clock_or_random(const std::string& column_default, const std::string& extra) {
    const std::string d = lower(column_default), x = lower(extra);
    if (x.find("on update") != std::string::npos) return true;
    for (const char* f : {"current_timestamp", "now(", "uuid", "rand(", "sysdate", "curdate", "curtime",
                          "unix_timestamp", "utc_", "localtime"})
        if (d.find(f) != std::string::npos) return true;
    return false;
}

std::string show(const connect::Row& row) {
    std::string out = "(";
    for (std::size_t i = 0; i < row.size(); ++i) {
        std::string v = row[i] ? "'" + *row[i] + "'" : "NULL";
        if (v.size() > 40) v = v.substr(0, 37) + "...";
        out += (i ? ", " : "") + v;
    }
    return out + ")";
}

// Rows with the masked columns reduced to NULL / non-NULL, sorted: a multiset to compare.
std::vector<connect::Row> masked_rows(const TableImage& t, const std::string& table,
                                      const std::set<std::string>& masked) {
    std::vector<bool> mask(t.columns.size());
    for (std::size_t c = 0; c < t.columns.size(); ++c)
        mask[c] = masked.contains(table + "." + t.columns[c]) || t.clock_columns.contains(t.columns[c]);
    std::vector<connect::Row> out = t.rows;
    for (auto& r : out)
        for (std::size_t c = 0; c < r.size() && c < mask.size(); ++c)
            if (mask[c] && r[c]) r[c] = "<set>";
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

DatabaseImage read_image(connect::Connection& conn, const std::string& tracking_table,
                         const std::set<std::string>& skip) {
    static const std::regex auto_increment(" AUTO_INCREMENT=[0-9]+");
    DatabaseImage image;
    for (const auto& r : conn.query("select table_name, table_type from information_schema.tables where "
                                    "table_schema = database()")) {
        const std::string name = text(r[0]);
        if (skip.contains(name)) continue;
        if (text(r[1]) == "VIEW") {
            image.views[name] =
                strip_definer(text(conn.query("show create view " + quote_identifier(name)).at(0).at(1)));
            continue;
        }
        TableImage t;
        t.create_sql = std::regex_replace(text(conn.query("show create table " + quote_identifier(name)).at(0).at(1)),
                                          auto_increment, "");
        for (const auto& c : conn.query(fmt::format("select column_name, column_default, extra from "
                                                    "information_schema.columns where table_schema = database() and "
                                                    "table_name = {} order by ordinal_position",
                                                    tracking::sql_string_literal(name)))) {
            t.columns.push_back(text(c[0]));
            if (reads_clock_or_random(text(c[1]), text(c[2]))) t.clock_columns.insert(text(c[0]));
        }
        std::string order;
        for (std::size_t i = 1; i <= t.columns.size(); ++i) order += (i > 1 ? "," : "") + std::to_string(i);
        t.rows = conn.query(fmt::format("select * from {} order by {}", quote_identifier(name), order));
        image.tables.emplace(name, std::move(t));
    }
    const std::string tracking_cols =
        conn.query(fmt::format("select 1 from information_schema.columns where table_schema = database() and "
                               "table_name = {} and column_name = 'name'",
                               tracking::sql_string_literal(tracking_table)))
                .empty()
            ? "hash, created_at"
            : "hash, created_at, name";
    image.tracking =
        conn.query(fmt::format("select {} from {} order by id", tracking_cols, quote_identifier(tracking_table)));
    return image;
}

std::set<std::string> differing_columns(const DatabaseImage& a, const DatabaseImage& b) {
    std::set<std::string> out;
    for (const auto& [name, ta] : a.tables) {
        auto it = b.tables.find(name);
        if (it == b.tables.end() || it->second.columns != ta.columns) continue;
        for (std::size_t c = 0; c < ta.columns.size(); ++c) {
            std::vector<connect::Value> va, vb;
            for (const auto& r : ta.rows) va.push_back(r[c]);
            for (const auto& r : it->second.rows) vb.push_back(r[c]);
            std::sort(va.begin(), va.end());
            std::sort(vb.begin(), vb.end());
            if (va != vb) out.insert(name + "." + ta.columns[c]);
        }
    }
    return out;
}

std::vector<std::string> differences(const DatabaseImage& replay, const DatabaseImage& loaded,
                                     const std::set<std::string>& masked) {
    std::vector<std::string> out;
    for (const auto& [name, t] : replay.tables)
        if (!loaded.tables.contains(name))
            out.push_back(fmt::format("table {}: made by the migrations, missing from the snapshot", name));
    for (const auto& [name, t] : loaded.tables)
        if (!replay.tables.contains(name))
            out.push_back(fmt::format("table {}: in the snapshot, not made by the migrations", name));
    for (const auto& [name, t] : replay.tables) {
        auto it = loaded.tables.find(name);
        if (it == loaded.tables.end()) continue;
        const TableImage& l = it->second;
        if (t.create_sql != l.create_sql) {
            out.push_back(fmt::format("table {}: definitions differ\n    migrations: {}\n    snapshot:   {}", name,
                                      t.create_sql, l.create_sql));
            continue;
        }
        auto a = masked_rows(t, name, masked), b = masked_rows(l, name, masked);
        if (a == b) continue;
        std::string detail =
            fmt::format("table {}: {} rows from the migrations, {} from the snapshot", name, a.size(), b.size());
        std::vector<connect::Row> only_a, only_b;
        std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_a));
        std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(only_b));
        for (std::size_t i = 0; i < only_a.size() && i < 3; ++i)
            detail += "\n    only from the migrations: " + show(only_a[i]);
        for (std::size_t i = 0; i < only_b.size() && i < 3; ++i)
            detail += "\n    only from the snapshot:   " + show(only_b[i]);
        out.push_back(detail);
    }
    for (const auto& [name, v] : replay.views) {
        auto it = loaded.views.find(name);
        if (it == loaded.views.end())
            out.push_back(fmt::format("view {}: made by the migrations, missing from the snapshot", name));
        else if (it->second != v)
            out.push_back(fmt::format("view {}: definitions differ\n    migrations: {}\n    snapshot:   {}", name, v,
                                      it->second));
    }
    for (const auto& [name, v] : loaded.views)
        if (!replay.views.contains(name))
            out.push_back(fmt::format("view {}: in the snapshot, not made by the migrations", name));
    if (replay.tracking != loaded.tracking)
        out.push_back(fmt::format("tracking rows differ: {} after the migrations, {} after loading the snapshot",
                                  replay.tracking.size(), loaded.tracking.size()));
    return out;
}

}  // namespace migrate::baseline
