// What rewrites a whole table: the online DDL rules (plan/ddl_cost) on the lint's flavour, with the columns
// the folder's earlier migrations gave the table standing in for the server's (lint has no database).
#include "rules.hpp"

#include "../plan/ddl_cost.hpp"

#include <fmt/format.h>

namespace migrate::lint {
namespace {

// The table as the folder built it: columns only (indexes are not modelled). Text is taken as utf8mb4,
// as narrowing-type does.
plan::LiveTable live_table(const TableState& t) {
    plan::LiveTable out;
    out.indexes_known = false;
    for (const auto& [name, c] : t.columns)
        if (c.type) out.columns[name] = {sql::render(*c.type), !c.not_null, sql::is_text_type(*c.type) ? 4u : 0u};
    return out;
}

}  // namespace

void check_table_copy(const Statement& s, const Ddl& d, const SchemaModel& before, Sink& sink) {
    if (d.kind != Ddl::Kind::alter_table && d.kind != Ddl::Kind::create_index) return;
    if (!before.table_predates(d.table, s.migration)) return;  // created by this migration: no rows yet
    const auto& first = s.tokens.front();
    const auto& last = s.tokens.back();
    const std::string_view sql(first.text.data(),
                               static_cast<std::size_t>(last.text.data() + last.text.size() - first.text.data()));
    plan::LiveTable live;
    const TableState* state = before.table(d.table);
    if (state) live = live_table(*state);
    const Flavor flavor = sink.options().flavor;
    const auto cost = plan::ddl_cost(sql, flavor, [&](const std::string&) { return state ? &live : nullptr; });
    if (!rewrites_table(cost.algorithm)) return;
    const bool copy = cost.algorithm == DdlAlgorithm::copy;
    sink.add("table-copy", s, first,
             fmt::format("`{}` is {} on {} ({}): {}; the plan shows the table's size", d.table,
                         copy ? "copied (writes wait until every row is copied)" : "rebuilt (every row is rewritten)",
                         to_string(flavor), cost.reason,
                         flavor == Flavor::vitess || flavor == Flavor::planetscale
                             ? "online DDL copies it through vreplication before the cut-over"
                             : "time and disk space grow with the table"));
}

}  // namespace migrate::lint
