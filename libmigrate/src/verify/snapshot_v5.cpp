// drizzle-kit 0.x snapshots ("version": "5").
#include "snapshot.hpp"

namespace migrate::verify {
namespace {

// t[key], or an empty object when drizzle-kit left it out (a reference: range-for over items() of a
// temporary would dangle).
const Json& member(const Json& t, const char* key) {
    static const Json empty = Json::object();
    return t.contains(key) ? t.at(key) : empty;
}

}  // namespace

Schema parse_snapshot_v5(const Json& snapshot) {
    Schema schema;
    for (const auto& [key, t] : snapshot.at("tables").items()) {
        Table table;
        table.name = t.at("name").get<std::string>();
        for (const auto& [ckey, c] : t.at("columns").items()) {
            Column col;
            col.name = c.at("name").get<std::string>();
            col.type = c.at("type").get<std::string>();
            col.not_null = c.value("notNull", false);
            col.auto_increment = c.value("autoincrement", false);
            col.on_update_now = c.value("onUpdate", false);
            if (c.contains("default")) col.default_value = default_text(c.at("default"));
            if (c.value("primaryKey", false)) table.primary_key.push_back(col.name);
            if (c.contains("generated"))
                schema.not_compared.push_back(table.name + "." + col.name + ": generated column expression");
            table.columns.push_back(std::move(col));
        }
        // A composite (or named) primary key replaces the columns' own flags.
        for (const auto& [pkey, pk] : member(t, "compositePrimaryKeys").items())
            table.primary_key = strings(pk.at("columns"));
        for (const auto& [ikey, i] : member(t, "indexes").items())
            table.indexes.push_back(
                {i.at("name").get<std::string>(), strings(i.at("columns")), i.value("isUnique", false)});
        for (const auto& [ukey, u] : member(t, "uniqueConstraints").items())
            table.indexes.push_back({u.at("name").get<std::string>(), strings(u.at("columns")), true});
        for (const auto& [fkey, f] : member(t, "foreignKeys").items())
            table.foreign_keys.push_back({f.at("name").get<std::string>(), strings(f.at("columnsFrom")),
                                          f.at("tableTo").get<std::string>(), strings(f.at("columnsTo")),
                                          f.value("onDelete", ""), f.value("onUpdate", "")});
        for (const auto& [kkey, k] : member(t, "checkConstraint").items())
            table.checks.push_back({k.at("name").get<std::string>(), k.value("value", "")});
        schema.tables.emplace(table.name, std::move(table));
    }
    for (const auto& [vkey, v] : member(snapshot, "views").items()) schema.views.insert(v.value("name", vkey));
    return schema;
}

}  // namespace migrate::verify
