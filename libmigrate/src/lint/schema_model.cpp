// The folder's schema, statement by statement (schema_model.hpp).
#include "schema_model.hpp"

namespace migrate::lint {
namespace {

ColumnState state_of(const ColumnSpec& c, std::size_t migration) {
    return {.type = c.type, .not_null = c.not_null || c.primary, .has_default = c.has_default, .added_in = migration};
}

}  // namespace

Ddl lower_case_names(Ddl d) {
    auto column = [](ColumnSpec& c) { c.name = sql::lower(c.name); };
    auto index = [](IndexSpec& i) {
        for (auto& c : i.columns) c = sql::lower(c);
    };
    d.table = sql::lower(d.table);
    for (auto& table : d.tables) table.name = sql::lower(table.name);
    for (auto& [from, to] : d.renames) {
        from.name = sql::lower(from.name);
        to.name = sql::lower(to.name);
    }
    for (auto& c : d.columns) column(c);
    for (auto& i : d.indexes) index(i);
    for (auto& a : d.clauses) {
        a.old_name = sql::lower(a.old_name);
        column(a.column);
        index(a.index);
    }
    return d;
}

void SchemaModel::apply(const Ddl& d, std::size_t migration) {
    using K = Ddl::Kind;
    if (d.kind == K::create_table) {
        TableState t{.created_in = migration, .columns = {}};
        for (const auto& c : d.columns) t.columns[c.name] = state_of(c, migration);
        tables_[d.table] = std::move(t);
    } else if (d.kind == K::drop_table) {
        for (const auto& table : d.tables) tables_.erase(table.name);
    } else if (d.kind == K::alter_table && tables_.contains(d.table)) {
        auto& cols = tables_[d.table].columns;
        for (const auto& a : d.clauses) {
            if (a.kind == ClauseKind::add_column) {
                cols[a.column.name] = state_of(a.column, migration);
            } else if (a.kind == ClauseKind::drop_column) {
                cols.erase(a.old_name);
            } else if (a.kind == ClauseKind::modify_column) {
                auto was = cols.find(a.old_name);
                auto added = was == cols.end() ? migration : was->second.added_in;
                if (was != cols.end()) cols.erase(was);
                cols[a.column.name] = state_of(a.column, added);
            } else if (a.kind == ClauseKind::rename_column) {
                if (auto was = cols.find(a.old_name); was != cols.end()) {
                    auto moved = was->second;
                    cols.erase(was);
                    cols[a.column.name] = moved;
                }
            }
        }
    }
    for (const auto& [from, to] : d.renames)
        if (auto t = tables_.find(from.name); t != tables_.end()) {
            auto moved = std::move(t->second);
            tables_.erase(t);
            tables_[to.name] = std::move(moved);
        }
}

const TableState* SchemaModel::table(const std::string& name) const {
    auto it = tables_.find(name);
    return it == tables_.end() ? nullptr : &it->second;
}

const ColumnState* SchemaModel::column(const std::string& table, const std::string& name) const {
    const auto* t = this->table(table);
    if (!t) return nullptr;
    auto it = t->columns.find(name);
    return it == t->columns.end() ? nullptr : &it->second;
}

bool SchemaModel::table_predates(const std::string& table, std::size_t migration) const {
    const auto* t = this->table(table);
    return !t || t->created_in != migration;
}

bool SchemaModel::column_predates(const std::string& table, const std::string& column, std::size_t migration) const {
    if (!table_predates(table, migration)) return false;
    const auto* c = this->column(table, column);
    return !c || c->added_in != migration;
}

}  // namespace migrate::lint
