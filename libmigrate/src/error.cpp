#include <migrate/error.hpp>
#include <migrate/version.hpp>

#include <migrate/driver.h>

namespace migrate {

std::string_view to_string(errc code) noexcept {
    switch (code) {
        case errc::journal_missing: return "journal_missing";
        case errc::journal_invalid: return "journal_invalid";
        case errc::migration_missing: return "migration_missing";
        case errc::tag_invalid: return "tag_invalid";
        case errc::tag_duplicate: return "tag_duplicate";
        case errc::not_utf8: return "not_utf8";
        case errc::url_invalid: return "url_invalid";
        case errc::table_invalid: return "table_invalid";
        case errc::config_invalid: return "config_invalid";
        case errc::driver_not_found: return "driver_not_found";
        case errc::driver_incompatible: return "driver_incompatible";
        case errc::driver_broken: return "driver_broken";
        case errc::connect_failed: return "connect_failed";
        case errc::server_error: return "server_error";
        case errc::connection_lost: return "connection_lost";
        case errc::migration_changed: return "migration_changed";
        case errc::row_without_file: return "row_without_file";
        case errc::out_of_order: return "out_of_order";
        case errc::partial_edited: return "partial_edited";
        case errc::needs_resolve: return "needs_resolve";
        case errc::lock_timeout: return "lock_timeout";
        case errc::lock_lost: return "lock_lost";
        case errc::interrupted: return "interrupted";
        case errc::nothing_to_resolve: return "nothing_to_resolve";
        case errc::internal: return "internal";
        case errc::baseline_invalid: return "baseline_invalid";
        case errc::baseline_unusable: return "baseline_unusable";
        case errc::database_not_empty: return "database_not_empty";
        case errc::target_not_found: return "target_not_found";
        case errc::history_exists: return "history_exists";
        case errc::safe_migrations: return "safe_migrations";
        case errc::snapshot_invalid: return "snapshot_invalid";
        case errc::statement_blocked: return "statement_blocked";
        case errc::table_copy_too_large: return "table_copy_too_large";
        case errc::statement_too_large: return "statement_too_large";
        case errc::migration_outside_folder: return "migration_outside_folder";
        case errc::platform_api: return "platform_api";
        case errc::deploy_request_failed: return "deploy_request_failed";
        case errc::deploy_request_waiting: return "deploy_request_waiting";
        case errc::folder_unwritable: return "folder_unwritable";
        case errc::merge_conflict: return "merge_conflict";
    }
    return "internal";
}

std::string_view to_string(remedy r) noexcept {
    switch (r) {
        case remedy::none: return "none";
        case remedy::resolve_applied: return "resolve_applied";
        case remedy::create_baseline: return "create_baseline";
        case remedy::record_new_hash: return "record_new_hash";
        case remedy::allow_missing: return "allow_missing";
        case remedy::allow_out_of_order: return "allow_out_of_order";
        case remedy::adopt_database: return "adopt_database";
        case remedy::recreate_or_skip_baseline: return "recreate_or_skip_baseline";
        case remedy::decide_in_flight: return "decide_in_flight";
        case remedy::choose_scratch_server: return "choose_scratch_server";
    }
    return "none";
}

error::error(errc code, const std::string& message, error_context context)
    : std::runtime_error(message), code_(code), context_(std::move(context)) {}

std::string_view library_version() noexcept { return MIGRATE_VERSION; }
unsigned driver_abi_version() noexcept { return MIGRATE_DRIVER_ABI_VERSION; }

}  // namespace migrate
