#include "failure_advice.hpp"

#include <fmt/format.h>

namespace migrate::run {
namespace {

// Server error numbers (the same on MySQL and MariaDB).
constexpr std::uint32_t er_dbaccess_denied = 1044;            // access denied for user to database
constexpr std::uint32_t er_table_exists = 1050;               // Table '…' already exists
constexpr std::uint32_t er_dup_fieldname = 1060;              // Duplicate column name '…'
constexpr std::uint32_t er_dup_keyname = 1061;                // Duplicate key name '…'
constexpr std::uint32_t er_tableaccess_denied = 1142;         // CREATE/ALTER/… command denied to user
constexpr std::uint32_t er_columnaccess_denied = 1143;        // command denied for a column
constexpr std::uint32_t er_net_packet_too_large = 1153;       // Got a packet bigger than 'max_allowed_packet'
constexpr std::uint32_t er_specific_access_denied = 1227;     // needs SUPER or another global privilege
constexpr std::uint32_t er_option_prevents_statement = 1290;  // --read-only / --super-read-only
constexpr std::uint32_t er_fk_dup_name = 1826;                // Duplicate foreign key constraint name

// A missing privilege or a read-only server, whatever statement met it; `then` ends "then run again".
std::optional<std::string> access_advice(std::uint32_t server_errno, std::string_view then) {
    switch (server_errno) {
        case er_dbaccess_denied:
        case er_tableaccess_denied:
        case er_columnaccess_denied:
        case er_specific_access_denied:
            return fmt::format(
                "The connection's user lacks a privilege this statement needs. Grant it (e.g. GRANT "
                "CREATE, ALTER, DROP, INDEX, REFERENCES, INSERT, UPDATE, DELETE ON <database>.* TO "
                "<user>), or connect as the user that owns the schema, then run again{}.",
                then);
        case er_option_prevents_statement:
            return fmt::format(
                "The server runs with read_only (or super_read_only) and refuses writes: it is probably "
                "a replica. Connect to the primary, then run again{}.",
                then);
        default: return std::nullopt;
    }
}

}  // namespace

std::optional<std::string> setup_failure_advice(const error& e) {
    if (e.completion_unknown() || e.code() != errc::server_error) return std::nullopt;
    return access_advice(e.server_errno(), "");
}

remedy failure_remedy(const error& e) {
    if (e.completion_unknown() || e.code() != errc::server_error) return remedy::none;
    switch (e.server_errno()) {
        case er_table_exists:
        case er_dup_fieldname:
        case er_dup_keyname:
        case er_fk_dup_name: return remedy::resolve_applied;
        default: return remedy::none;
    }
}

std::optional<std::string> failure_advice(const error& e, const Migration& m, std::size_t index) {
    if (e.completion_unknown() || e.code() != errc::server_error) return std::nullopt;
    switch (e.server_errno()) {
        case er_table_exists:
        case er_dup_fieldname:
        case er_dup_keyname:
        case er_fk_dup_name:
            // What drizzle-kit writes only adds these names, so finding one already there means the schema
            // holds this statement's effect: typically the migration ran outside the tracking table (its
            // row deleted by hand, a restore of the schema without the table, drizzle-kit push).
            return fmt::format(
                "The schema already has what this statement adds, so {} seems to have been applied outside the "
                "tracking table (e.g. its tracking row was deleted, or the schema was built with drizzle-kit push). "
                "If the database already holds this statement's effect, resolve statement {} of {} as applied (the "
                "operator's decision that it took effect) and run again: {}. If something else created the name, "
                "rename or drop it first, then run again: it resumes at this statement.",
                m.tag, index + 1, m.tag,
                index + 1 < m.statements.size()
                    ? fmt::format("the run continues with statement {}, and a later statement of {} that fails the "
                                  "same way is resolved the same way",
                                  index + 2, m.tag)
                    : fmt::format("this is the last statement of {}, so the run records it as applied", m.tag));
        case er_net_packet_too_large:
            return "The statement is larger than the server's max_allowed_packet. Raise max_allowed_packet on the "
                   "server, or split the statement (e.g. fewer rows per INSERT), then run again: it resumes at this "
                   "statement.";
        default: return access_advice(e.server_errno(), ": it resumes at this statement");
    }
}

}  // namespace migrate::run
