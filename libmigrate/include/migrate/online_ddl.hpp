// What a pending statement costs on a big table: how the server executes it (instant, in place, rebuild,
// copy) and how big the table is (docs/online-ddl.md).
#pragma once

#include <migrate/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace migrate {

// How the server executes a statement, cheapest first (docs/online-ddl.md has the rules per flavour).
enum class DdlAlgorithm {
    not_applicable,  // no existing table is changed: CREATE TABLE, DML, views, …
    instant,         // metadata only, whatever the table's size
    in_place,        // no table copy, but may read the table (e.g. build a secondary index)
    rebuild,         // in place, but every row is rewritten (online on InnoDB, still proportional to size)
    copy,            // the table is copied row by row into a new one; writes blocked meanwhile
    depends,         // decided by what the table holds now, which is not known here (no connection)
};
// "not_applicable", "instant", "in_place", "rebuild", "copy", "depends".
MIGRATE_API std::string_view to_string(DdlAlgorithm a) noexcept;
// rebuild and copy: time and disk space grow with the table.
constexpr bool rewrites_table(DdlAlgorithm a) noexcept { return a == DdlAlgorithm::rebuild || a == DdlAlgorithm::copy; }

// The server's estimate from information_schema.tables (InnoDB samples; MySQL 8 caches it for
// information_schema_stats_expiry seconds).
struct TableSize {
    std::uint64_t rows = 0;   // TABLE_ROWS
    std::uint64_t bytes = 0;  // DATA_LENGTH + INDEX_LENGTH
};

struct StatementCost {
    DdlAlgorithm algorithm = DdlAlgorithm::not_applicable;
    std::string table;              // the existing table it changes; "" when none
    std::optional<TableSize> size;  // nullopt: not known (no such table yet, or created earlier in the run)
    std::string reason;             // the rule that decided, e.g. "MODIFY `a`: type int → bigint"
};

// A size: a number (decimals allowed) and an optional unit, case-insensitive: B; KiB/MiB/GiB/TiB and, as
// in MySQL option files, K/M/G/T are powers of 1024; KB/MB/GB/TB are powers of 1000. "1GiB" = "1G" =
// 1073741824, "1.5GB" = 1500000000. nullopt for anything else, for 0 and for more than 2^63 bytes.
MIGRATE_API std::optional<std::uint64_t> parse_byte_size(std::string_view text) noexcept;
// 1536 → "1.5 KiB", 0 → "0 B": binary units, three significant digits.
MIGRATE_API std::string format_bytes(std::uint64_t bytes);

}  // namespace migrate
