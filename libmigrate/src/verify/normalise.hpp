// What the server legitimately rewrites, undone so a snapshot's text and information_schema's can be
// compared (each rule and its reason: docs/verify.md). Pure functions.
#pragma once

#include "schema_model.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace migrate::verify {

// "bigint(20) unsigned" → "bigint unsigned", "boolean" → "tinyint(1)", "serial" → "bigint unsigned",
// "enum('a', 'b')" → "enum('a','b')", "decimal" → "decimal(10,0)", lower case, single spaces.
std::string canonical_type(std::string_view type);

// Integer, decimal, floating point, bit and year types (after canonical_type).
bool is_numeric_type(std::string_view canonical);

// A default's meaning for a column of `canonical_type`: nullopt for none and for NULL; clock functions
// (now(), current_timestamp, current_timestamp(), in parentheses or not) → "current_timestamp[(fsp)]";
// outer parentheses dropped; numbers without quotes, trailing zeros or booleans ("'0.00'" → "0",
// false → "0"); string literals as written.
std::optional<std::string> canonical_default(const std::optional<std::string>& raw, std::string_view canonical_type);

// ON DELETE / ON UPDATE: upper case; "" (not said) and RESTRICT → "NO ACTION" (the same in InnoDB).
std::string canonical_action(std::string_view action);

// Column, index and constraint names compare without case (the server's rule for them).
std::string canonical_name(std::string_view name);

// Snapshot side: `serial` expands to bigint unsigned NOT NULL AUTO_INCREMENT (its UNIQUE key is tolerated
// by compare), and primary-key columns are NOT NULL (the server makes them so).
void normalise_snapshot(Schema& schema);

// Server side: MariaDB's json (longtext + CHECK json_valid(`c`)) back to json, that check dropped; primary
// key columns NOT NULL.
void normalise_live(Schema& schema);

}  // namespace migrate::verify
