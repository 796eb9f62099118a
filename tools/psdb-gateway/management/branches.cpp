#include "branches.hpp"

#include "random_ids.hpp"

#include <cstdio>

namespace gateway::management {

bool valid_branch_name(const std::string& name) {
    if (name.empty() || name.size() > 64 || name.front() == '-') return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

std::string branch_database(const std::string& production_database, const std::string& branch) {
    std::string name = production_database + "__";
    for (char c : branch) name.push_back(c == '-' ? '_' : c);
    if (name.size() <= 64) return name;
    const std::string digest = sha256(name);
    char hex[17];
    for (std::size_t i = 0; i < 8; ++i) std::snprintf(hex + 2 * i, 3, "%02x", static_cast<unsigned char>(digest[i]));
    return name.substr(0, 47) + "_" + hex;
}

void create_branch_database(AdminSql& sql, const std::string& from, const std::string& to,
                            const std::string& copy_table) {
    // The name is derived and belongs to the gateway: a database left by an earlier gateway process goes.
    sql.exec("DROP DATABASE IF EXISTS " + ident(to));
    sql.exec("CREATE DATABASE " + ident(to));
    sql.exec("USE " + ident(to));
    sql.exec("SET SESSION foreign_key_checks = 0");
    std::vector<std::string> views;
    bool copy_table_present = false;
    for (const auto& row : sql.rows("SHOW FULL TABLES FROM " + ident(from))) {
        const std::string name = row[0].value_or(""), type = row[1].value_or("");
        if (type == "VIEW") {
            views.push_back(name);
            continue;
        }
        const auto def = sql.rows("SHOW CREATE TABLE " + ident(from) + "." + ident(name));
        sql.exec(def.at(0).at(1).value_or(""));
        if (name == copy_table) copy_table_present = true;
    }
    // Views name their tables with the database: point them at the branch's.
    const std::string from_prefix = ident(from) + ".", to_prefix = ident(to) + ".";
    for (const auto& v : views) {
        std::string def = sql.rows("SHOW CREATE VIEW " + ident(from) + "." + ident(v)).at(0).at(1).value_or("");
        for (std::size_t p = def.find(from_prefix); p != std::string::npos;
             p = def.find(from_prefix, p + to_prefix.size()))
            def.replace(p, from_prefix.size(), to_prefix);
        sql.exec(def);
    }
    if (copy_table_present)
        sql.exec("INSERT INTO " + ident(copy_table) + " SELECT * FROM " + ident(from) + "." + ident(copy_table));
    sql.exec("SET SESSION foreign_key_checks = 1");
}

}  // namespace gateway::management
