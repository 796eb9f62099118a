// `migrate verify --schema`: the live schema against the folder's newest drizzle-kit snapshot.
#include "compare.hpp"
#include "created_tables.hpp"
#include "live_schema.hpp"
#include "normalise.hpp"
#include "snapshot.hpp"

#include "connect/connection.hpp"

#include <migrate/verify.hpp>

#include <fmt/format.h>

namespace migrate {

std::string_view to_string(SchemaDrift::Kind kind) noexcept {
    using K = SchemaDrift::Kind;
    switch (kind) {
        case K::table_missing: return "table_missing";
        case K::table_extra: return "table_extra";
        case K::column_missing: return "column_missing";
        case K::column_extra: return "column_extra";
        case K::column_type: return "column_type";
        case K::column_nullability: return "column_nullability";
        case K::column_default: return "column_default";
        case K::column_auto_increment: return "column_auto_increment";
        case K::column_on_update: return "column_on_update";
        case K::primary_key: return "primary_key";
        case K::index_missing: return "index_missing";
        case K::index_extra: return "index_extra";
        case K::index_differs: return "index_differs";
        case K::foreign_key_missing: return "foreign_key_missing";
        case K::foreign_key_extra: return "foreign_key_extra";
        case K::foreign_key_differs: return "foreign_key_differs";
        case K::check_missing: return "check_missing";
        case K::check_extra: return "check_extra";
        case K::view_missing: return "view_missing";
        case K::view_extra: return "view_extra";
        case K::migrations_pending: return "migrations_pending";
        case K::not_compared: return "not_compared";
    }
    return "unknown";
}

std::string_view to_string(SchemaDrift::Severity severity) noexcept {
    return severity == SchemaDrift::Severity::drift ? "drift" : "notice";
}

SchemaReport verify_schema(Target& target, const Status* status) {
    std::optional<Status> read;
    if (!status) status = &read.emplace(target.status());
    SchemaReport report;
    report.snapshot = newest_snapshot_path(target.source());
    verify::Schema expected = verify::read_snapshot(report.snapshot);
    report.tables = expected.tables.size();
    verify::normalise_snapshot(expected);

    // Our own tables are not the user's schema (docs/compatibility.md, "libmigrate's side tables").
    auto conn = connect::Connection::open(target.url());
    verify::Schema live =
        verify::read_live_schema(*conn, {status->table, status->table + "_progress", status->table + "_lock"});
    verify::normalise_live(live);

    const std::size_t behind =
        status->plan.count(MigrationState::pending) + status->plan.count(MigrationState::out_of_order);
    if (behind)
        report.drift.push_back(
            {SchemaDrift::Kind::migrations_pending, SchemaDrift::Severity::notice, "", "", "", "",
             fmt::format("{} migration{} of the folder {} not applied (the tracking check lists them): the "
                         "snapshot describes the schema after all of them",
                         behind, behind == 1 ? "" : "s", behind == 1 ? "is" : "are")});
    auto drift = verify::compare_schemas(expected, live, verify::tables_created_by(target.source()));
    report.drift.insert(report.drift.end(), drift.begin(), drift.end());
    return report;
}

}  // namespace migrate
