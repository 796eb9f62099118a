// drizzle-kit 1.0 snapshots ("version": "6"): one flat `ddl` list, each entity naming its table.
#include "snapshot.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

#include <set>

namespace migrate::verify {
namespace {

// Index parts are {"value": "org_id", "isExpression": false}; an expression reads "(expr)".
std::vector<std::string> index_parts(const Json& list) {
    std::vector<std::string> out;
    for (const auto& v : list) {
        if (v.is_string())
            out.push_back(v.get<std::string>());
        else if (v.value("isExpression", false))
            out.push_back("(" + v.at("value").get<std::string>() + ")");
        else
            out.push_back(v.at("value").get<std::string>());
    }
    return out;
}

}  // namespace

Schema parse_snapshot_v6(const Json& snapshot) {
    Schema schema;
    const Json& ddl = snapshot.at("ddl");
    // Tables first: the other entities refer to them by name, in any order.
    for (const auto& e : ddl)
        if (e.at("entityType") == "tables")
            schema.tables[e.at("name").get<std::string>()].name = e.at("name").get<std::string>();
    auto table_of = [&](const Json& e) -> Table& {
        const std::string name = e.at("table").get<std::string>();
        auto it = schema.tables.find(name);
        if (it == schema.tables.end())
            throw error(errc::snapshot_invalid,
                        fmt::format("a {} entity names table {}, which the snapshot does not list",
                                    e.at("entityType").get<std::string>(), name));
        return it->second;
    };
    std::set<std::string> skipped;
    for (const auto& e : ddl) {
        const std::string kind = e.at("entityType").get<std::string>();
        if (kind == "tables") continue;
        if (kind == "columns") {
            Column col;
            col.name = e.at("name").get<std::string>();
            col.type = e.at("type").get<std::string>();
            col.not_null = e.value("notNull", false);
            col.auto_increment = e.value("autoIncrement", false);
            col.on_update_now = e.value("onUpdateNow", false);
            if (e.contains("default")) col.default_value = default_text(e.at("default"));
            Table& t = table_of(e);
            if (e.contains("generated") && !e.at("generated").is_null())
                schema.not_compared.push_back(t.name + "." + col.name + ": generated column expression");
            t.columns.push_back(std::move(col));
        } else if (kind == "pks") {
            table_of(e).primary_key = strings(e.at("columns"));
        } else if (kind == "indexes") {
            table_of(e).indexes.push_back(
                {e.at("name").get<std::string>(), index_parts(e.at("columns")), e.value("isUnique", false)});
        } else if (kind == "fks") {
            table_of(e).foreign_keys.push_back({e.at("name").get<std::string>(), strings(e.at("columns")),
                                                e.at("tableTo").get<std::string>(), strings(e.at("columnsTo")),
                                                e.value("onDelete", ""), e.value("onUpdate", "")});
        } else if (kind == "checks") {
            table_of(e).checks.push_back({e.at("name").get<std::string>(), e.value("value", "")});
        } else if (kind == "views") {
            schema.views.insert(e.at("name").get<std::string>());
        } else if (skipped.insert(kind).second) {
            schema.not_compared.push_back("snapshot entities of type " + kind);
        }
    }
    return schema;
}

}  // namespace migrate::verify
