// What succeeds or fails depending on the rows already there.
#include "rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace migrate::lint {
namespace {

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "`" : ", `") + s + "`";
    return out;
}

// A unique index is safe when one of its columns is new in this migration and NULL in every existing row
// (NULLs never collide in a unique index); otherwise existing rows may already repeat a value.
void check_unique(const Statement& s, const std::string& table, const IndexSpec& index, const SchemaModel& before,
                  Sink& sink) {
    if (index.kind != sql::IndexKind::unique || index.columns.empty() || !before.table_predates(table, s.migration))
        return;
    for (const auto& col : index.columns) {
        if (before.column_predates(table, col, s.migration)) continue;
        const auto* c = before.column(table, col);
        if (c && !c->not_null && !c->has_default) return;
    }
    sink.add("unique-on-existing-column", s, *index.at,
             fmt::format("unique index on {} of `{}`, which already holds rows: it fails if a value repeats",
                         join(index.columns), table));
}

}  // namespace

void check_data_dependent(const Statement& s, const Ddl& d, const SchemaModel& before, Sink& sink) {
    if (d.kind == Ddl::Kind::create_index)
        for (const auto& index : d.indexes) check_unique(s, d.table, index, before, sink);
    if (d.kind != Ddl::Kind::alter_table) return;
    // A unique index sees the columns added by earlier clauses of the same statement (a copy of the model,
    // made only when the statement adds an index).
    const bool adds_index = std::any_of(d.clauses.begin(), d.clauses.end(),
                                        [](const AlterClause& a) { return a.kind == ClauseKind::add_index; });
    std::optional<SchemaModel> copy;
    if (adds_index) copy = before;
    const SchemaModel& now = copy ? *copy : before;
    for (const auto& a : d.clauses) {
        if (a.kind == ClauseKind::add_index) check_unique(s, d.table, a.index, now, sink);
        if (a.kind == ClauseKind::add_column) {
            const auto& c = a.column;
            if (c.not_null && !c.has_default && !c.auto_increment && !c.generated && c.type_word != "serial" &&
                now.table_predates(d.table, s.migration))
                sink.add("not-null-without-default", s, *a.at,
                         fmt::format("ADD COLUMN `{}` NOT NULL without DEFAULT on `{}`, which already holds rows: "
                                     "they get the type's implicit default",
                                     c.name, d.table));
            if (copy) {
                Ddl one;
                one.kind = Ddl::Kind::alter_table;
                one.table = d.table;
                one.clauses = {a};
                copy->apply(one, s.migration);
            }
        }
    }
}

}  // namespace migrate::lint
