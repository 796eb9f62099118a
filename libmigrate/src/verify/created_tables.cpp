// Tables the folder's statements leave behind, replayed with the SQL statement model (created_tables.hpp).
#include "created_tables.hpp"

#include "../sql/statement.hpp"

namespace migrate::verify {
namespace {

// One statement's effect on the set of tables.
void replay(const sql::Ddl& d, const std::string& tag, std::map<std::string, std::string>& tables) {
    if (d.temporary) return;  // gone with the session that made it
    if (d.kind == sql::Ddl::Kind::create_table) tables[d.table] = tag;
    if (d.kind == sql::Ddl::Kind::drop_table)
        for (const auto& table : d.tables) tables.erase(table.name);
    for (const auto& [from, to] : d.renames)
        if (auto it = tables.find(from.name); it != tables.end()) {
            auto created_by = it->second;
            tables.erase(it);
            tables[to.name] = std::move(created_by);
        }
}

}  // namespace

std::map<std::string, std::string> tables_created_by(const Source& source) {
    std::map<std::string, std::string> tables;
    for (const auto& m : source.migrations)
        for (const auto& s : m.statements) {
            const sql::Tokens t = sql::significant(s.sql);
            // A chunk may hold several statements (custom migrations); each starts after a ';'.
            for (std::size_t i = 0, start = 0; i <= t.size(); ++i)
                if (i == t.size() || sql::is_punct(t[i], ";")) {
                    if (i > start)
                        replay(sql::parse_statement(sql::Tokens(t.begin() + static_cast<std::ptrdiff_t>(start),
                                                                t.begin() + static_cast<std::ptrdiff_t>(i))),
                               m.tag, tables);
                    start = i + 1;
                }
        }
    return tables;
}

}  // namespace migrate::verify
