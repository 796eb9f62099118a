// Table sizes and definitions from information_schema, statement costs, the copy limit (table_facts.hpp).
#include "table_facts.hpp"

#include "../sql/tokens.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

#include <set>

namespace migrate::plan {
namespace {

std::uint64_t number(const connect::Value& v) {
    if (!v) return 0;
    try {
        return std::stoull(*v);
    } catch (const std::exception&) {
        return 0;
    }
}

// The maps are keyed by lower-case name, as ddl_cost looks them up.
std::string in_list(const std::vector<std::string>& tables) {
    std::string out;
    for (const auto& t : tables) out += (out.empty() ? "" : ", ") + sql::literal(t);
    return out;
}

}  // namespace

TableFacts read_table_facts(connect::Connection& conn, const std::vector<std::string>& tables) {
    TableFacts f;
    const std::string version = conn.server_version();
    f.flavor = connect::is_mariadb(version) ? Flavor::mariadb : Flavor::mysql;
    f.traits = server_traits(version);
    if (tables.empty()) return f;
    const std::string where = "table_schema = database() and table_name in (" + in_list(tables) + ")";
    for (const auto& r :
         conn.query("select table_name, table_rows, coalesce(data_length, 0) + coalesce(index_length, 0) "
                    "from information_schema.tables where table_type in ('BASE TABLE', 'SYSTEM VERSIONED') and " +
                    where))
        if (r.size() >= 3 && r[0]) f.sizes[sql::lower(*r[0])] = TableSize{number(r[1]), number(r[2])};
    for (const auto& r :
         conn.query("select table_name, column_name, column_type, is_nullable, character_maximum_length, "
                    "character_octet_length from information_schema.columns where " +
                    where)) {
        if (r.size() < 6 || !r[0] || !r[1]) continue;
        const auto chars = number(r[4]), octets = number(r[5]);
        f.tables[sql::lower(*r[0])].columns[sql::lower(*r[1])] = LiveColumn{
            r[2].value_or(""), r[3].value_or("YES") == "YES", static_cast<std::uint32_t>(chars ? octets / chars : 0)};
    }
    for (const auto& r : conn.query("select table_name, index_name, column_name, index_type from "
                                    "information_schema.statistics where " +
                                    where)) {
        if (r.size() < 4 || !r[0]) continue;
        LiveTable& t = f.tables[sql::lower(*r[0])];
        if (r[2]) t.indexed_columns.insert(sql::lower(*r[2]));
        t.has_fulltext = t.has_fulltext || r[3].value_or("") == "FULLTEXT";
        t.has_primary_key = t.has_primary_key || r[1].value_or("") == "PRIMARY";
    }
    return f;
}

std::vector<StatementCost> cost_statements(const std::vector<StatementRef>& statements, const TableFacts& facts) {
    std::set<std::string> made_in_run;  // created (or renamed into place) by an earlier statement
    const LiveLookup live = [&](const std::string& table) -> const LiveTable* {
        if (made_in_run.count(table)) return nullptr;
        auto it = facts.tables.find(table);
        return it == facts.tables.end() ? nullptr : &it->second;
    };
    std::vector<StatementCost> out;
    for (const auto& s : statements) {
        const DdlCost d = ddl_cost(s.migration->statements[s.index].sql, facts.flavor, live, facts.traits);
        StatementCost c{d.algorithm, d.table, std::nullopt, d.reason};
        const std::string key = sql::lower(d.table);
        if (d.creates_table) {
            made_in_run.insert(key);
            c.table.clear();
        } else if (!key.empty() && !made_in_run.count(key)) {
            if (auto it = facts.sizes.find(key); it != facts.sizes.end()) c.size = it->second;
        }
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<StatementCost> cost_statements(connect::Connection& conn, const std::vector<StatementRef>& statements) {
    // As written: information_schema compares names case-sensitively where lower_case_table_names = 0.
    std::map<std::string, std::string> names;  // lower-case → as written
    for (const auto& s : statements) {
        const DdlCost d = ddl_cost(s.migration->statements[s.index].sql, Flavor::mysql);
        if (!d.table.empty() && !d.creates_table) names.emplace(sql::lower(d.table), d.table);
    }
    std::vector<std::string> tables;
    for (const auto& [key, name] : names) tables.push_back(name);
    return cost_statements(statements, read_table_facts(conn, tables));
}

void refuse_large_copies(const std::vector<StatementRef>& statements, const std::vector<StatementCost>& costs,
                         std::uint64_t limit) {
    for (std::size_t i = 0; i < statements.size() && i < costs.size(); ++i) {
        const StatementCost& c = costs[i];
        if (!rewrites_table(c.algorithm) || !c.size || c.size->bytes <= limit) continue;
        const Migration& m = *statements[i].migration;
        const auto& st = m.statements[statements[i].index];
        throw error(errc::table_copy_too_large,
                    fmt::format("{}:{}: statement {} of {} would {} table `{}` ({}, about {} rows; the server's "
                                "estimate), more than the limit of {}: {}. Nothing was run. Make this change "
                                "with an online schema change tool (gh-ost, pt-online-schema-change) or a "
                                "PlanetScale deploy request, or raise the table copy limit if copying this table "
                                "is acceptable",
                                m.file.string(), st.line, statements[i].index + 1, m.tag,
                                c.algorithm == DdlAlgorithm::copy ? "copy" : "rebuild", c.table,
                                format_bytes(c.size->bytes), c.size->rows, format_bytes(limit), c.reason),
                    {.file = m.file.string(),
                     .line = st.line,
                     .statement = statements[i].index,
                     .statements = m.statements.size(),
                     .tag = m.tag});
    }
}

}  // namespace migrate::plan
