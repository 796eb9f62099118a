// What loses data: dropped tables and columns, truncation, narrower types, NOT NULL over NULLs.
#include "rules.hpp"

#include <fmt/format.h>

namespace migrate::lint {

void check_destructive(const Statement& s, const Ddl& d, const SchemaModel& before, Sink& sink) {
    using K = Ddl::Kind;
    if (d.kind == K::drop_table)
        for (const auto& table : d.tables)
            sink.add("destructive-drop-table", s, *table.at,
                     fmt::format("DROP TABLE `{}` deletes the table and its rows", table.name));
    if (d.kind == K::truncate)
        sink.add("destructive-truncate", s, s.tokens.front(),
                 fmt::format("TRUNCATE deletes every row of `{}`", d.table));
    if (d.kind != K::alter_table) return;
    for (const auto& a : d.clauses) {
        if (a.kind == ClauseKind::drop_column) {
            sink.add("destructive-drop-column", s, *a.at,
                     fmt::format("DROP COLUMN `{}`.`{}` deletes the column's data", d.table, a.old_name));
            continue;
        }
        if (a.kind != ClauseKind::modify_column) continue;
        const auto* was = before.column(d.table, a.old_name);
        if (!was) continue;  // created outside this folder: nothing to compare with
        if (was->type && a.column.type)
            if (auto why = narrowing(*was->type, *a.column.type))
                sink.add("narrowing-type", s, a.column.type_at ? *a.column.type_at : *a.at,
                         fmt::format("`{}`.`{}` changes from {} to {}: {}", d.table, a.column.name,
                                     sql::render(*was->type), sql::render(*a.column.type), *why));
        if (!was->not_null && a.column.not_null && before.column_predates(d.table, a.old_name, s.migration))
            sink.add("nullable-to-not-null", s, *a.at,
                     fmt::format("`{}`.`{}` becomes NOT NULL: rows holding NULL make the ALTER fail (strict mode) "
                                 "or get the implicit default",
                                 d.table, a.column.name));
    }
}

}  // namespace migrate::lint
