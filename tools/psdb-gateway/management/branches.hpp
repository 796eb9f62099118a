// Branches: a branch is a MariaDB database. The production branch is --mysql-database; every other
// branch lives in a database named after the production database and the branch (branch_database).
#pragma once

#include "admin_sql.hpp"
#include "times.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace gateway::management {

struct Branch {
    std::string id, name, parent, database;
    bool production = false;
    bool safe_migrations = false;
    WallTime created_at, updated_at;
    std::chrono::steady_clock::time_point ready_at;  // creation + --branch-ready-ms
    // Every DDL statement that succeeded on a session of this branch, in order: what a deploy replays.
    std::vector<std::string> ddl_log;
};

// Lowercase letters, digits and '-', 1-64 characters, starting with a letter or digit.
bool valid_branch_name(const std::string& name);

// "<production>__<branch with '-' → '_'>"; over 64 characters, the first 47 and '_' and 16 hex digits
// of the SHA-256 of the full name, so distinct branches never share a database.
std::string branch_database(const std::string& production_database, const std::string& branch);

// Creates `to` with the schema of `from`: every table (foreign_key_checks=0) then every view, no rows,
// except the rows of `copy_table` when it is set and is a table of `from`. Throws SqlFailure.
void create_branch_database(AdminSql& sql, const std::string& from, const std::string& to,
                            const std::string& copy_table);

}  // namespace gateway::management
