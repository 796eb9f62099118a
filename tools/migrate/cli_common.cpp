#include "cli_common.hpp"

#include <migrate/connection_url.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace cli {

int exit_code_for(migrate::errc code) {
    using migrate::errc;
    switch (code) {
        case errc::journal_missing:
        case errc::journal_invalid:
        case errc::migration_missing:
        case errc::tag_invalid:
        case errc::tag_duplicate:
        case errc::not_utf8:
        case errc::url_invalid:
        case errc::table_invalid:
        case errc::config_invalid: return exit_invalid_input;
        case errc::driver_not_found:
        case errc::driver_incompatible:
        case errc::driver_broken:
        case errc::connect_failed: return exit_connect_failed;
        case errc::server_error:
        case errc::connection_lost: return exit_failed;
        case errc::migration_changed:
        case errc::row_without_file:
        case errc::out_of_order:
        case errc::partial_edited:
        case errc::needs_resolve:
        case errc::nothing_to_resolve: return exit_refused;
        case errc::lock_timeout:
        case errc::lock_lost:
        case errc::statement_blocked: return exit_lock;
        case errc::interrupted: return exit_interrupted;
        case errc::internal: return exit_internal;
        case errc::baseline_invalid:
        case errc::snapshot_invalid:
        case errc::migration_outside_folder:
        case errc::target_not_found: return exit_invalid_input;
        case errc::baseline_unusable:
        case errc::database_not_empty:
        case errc::history_exists:
        case errc::statement_too_large:
        case errc::table_copy_too_large: return exit_refused;
        case errc::safe_migrations:
        case errc::deploy_request_failed: return exit_safe_migrations;
        case errc::platform_api: return exit_connect_failed;
        case errc::deploy_request_waiting: return exit_lock;
        case errc::folder_unwritable: return exit_invalid_input;
        case errc::merge_conflict: return exit_refused;
    }
    return exit_internal;
}

std::string seconds(std::chrono::nanoseconds d) {
    double s = std::chrono::duration<double>(d).count();
    return s < 1 ? fmt::format("{:.0f} ms", s * 1000) : fmt::format("{:.2f} s", s);
}

namespace {
bool colour_out = false, colour_err = false;
}  // namespace

void enable_colour(bool stdout_colour, bool stderr_colour) {
    colour_out = stdout_colour;
    colour_err = stderr_colour;
}

std::string paint(const std::string& text, Colour c, bool for_stderr) {
    if (!(for_stderr ? colour_err : colour_out)) return text;
    const char* code = c == Colour::red ? "31" : c == Colour::green ? "32" : "33";
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
}

std::string paint_error(const std::string& text) { return paint(text, Colour::red, true); }

std::string first_line(std::string_view s) { return std::string(s.substr(0, s.find('\n'))); }

// Columns padded to their widest cell; the last column is not padded.
void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
    for (const auto& r : rows)
        for (std::size_t c = 0; c < r.size() && c < width.size(); ++c) width[c] = std::max(width[c], r[c].size());
    auto line = [&](const std::vector<std::string>& r) {
        std::string out;
        for (std::size_t c = 0; c < r.size(); ++c) {
            if (c) out += "  ";
            out += c + 1 == r.size() ? r[c] : fmt::format("{:<{}}", r[c], width[c]);
        }
        fmt::print("{}\n", out);
    };
    line(header);
    for (const auto& r : rows) line(r);
}

// The library names a fix in its own terms (error_context::fix); the CLI says which command does it.
std::string remedy_line(const migrate::error& e) {
    const auto& c = e.context();
    switch (c.fix) {
        case migrate::remedy::resolve_applied:
            return fmt::format("\nWith the CLI: `migrate resolve {} --applied`, then run again.",
                               c.tag.empty() ? "TAG" : c.tag);
        case migrate::remedy::create_baseline: return "\nWith the CLI: `migrate baseline create` (baseline.md).";
        case migrate::remedy::record_new_hash: return "\nWith the CLI: `migrate repair` records the new hash.";
        case migrate::remedy::allow_missing: return "\nWith the CLI: pass --allow-missing.";
        case migrate::remedy::allow_out_of_order: return "\nWith the CLI: pass --allow-out-of-order.";
        case migrate::remedy::adopt_database:
            return "\nWith the CLI: `migrate baseline mark --through TAG` (TAG: the last migration the database "
                   "reflects), or pass --allow-dirty.";
        case migrate::remedy::recreate_or_skip_baseline:
            return "\nWith the CLI: `migrate baseline create`, or pass --no-baseline to replay the migrations.";
        case migrate::remedy::decide_in_flight: {
            const std::string tag = c.tag.empty() ? "TAG" : c.tag;
            return fmt::format(
                "\nWith the CLI: `migrate resolve {} --applied` (it took effect) or `migrate resolve {} "
                "--retry` (run it again).",
                tag, tag);
        }
        case migrate::remedy::choose_scratch_server:
            return "\nWith the CLI: point --scratch-url at such a server (e.g. mysql://root@127.0.0.1:3306).";
        case migrate::remedy::none: break;
    }
    return "";
}

std::string error_text(const migrate::error& e) {
    std::string text = migrate::redact_url_text(e.what()) + remedy_line(e);
    if (e.server_errno() == 0 || text.find(fmt::format("errno {}", e.server_errno())) != std::string::npos) return text;
    const auto end = text.find('\n');  // after the first line: the one the summary table shows
    text.insert(
        end == std::string::npos ? text.size() : end,
        fmt::format(" (errno {}{})", e.server_errno(), e.sqlstate().empty() ? "" : ", sqlstate " + e.sqlstate()));
    return text;
}

std::string error_summary(const migrate::error& e) {
    return fmt::format("error[{}]: {}", migrate::to_string(e.code()), first_line(error_text(e)));
}

}  // namespace cli
