// Column types in canonical form (MySQL's aliases, implied arguments, integer literals), so a statement's
// type and information_schema.columns.column_type compare: the statement model's column definitions, lint's
// narrowing, ddl_cost's type changes. And the probe's MODIFY / CHANGE a a definitions (type, NULL / NOT
// NULL, simple DEFAULT), compared with the live column. Internal, not exported.
#pragma once

#include "tokens.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate::sql {

// A column type in canonical form, so a definition and information_schema.columns.column_type compare.
struct Type {
    std::string name;
    std::vector<std::string> args;
    bool is_unsigned = false;
    bool operator==(const Type&) const = default;
};

bool is_integer_type(const Type& t);
bool is_text_type(const Type& t);

std::string render(const Type& t);

// `name [(args)] [UNSIGNED|SIGNED]…`, in canonical form; nullopt (with `why`) for types not compared.
std::optional<Type> parse_type(Cursor& c, std::string& why);

std::optional<std::string> canonical_integer(std::string_view s);

// A MODIFY/CHANGE definition made only of what this probe compares: type, NULL / NOT NULL, and a
// DEFAULT that is NULL, a string or an integer. Anything else (COMMENT, COLLATE, AUTO_INCREMENT, ON
// UPDATE, FIRST/AFTER, expressions…) might be all the statement changes, so it makes the clause
// undecidable rather than risk calling an unchanged column "applied".
struct ColumnDef {
    Type type;
    std::optional<bool> nullable;
    enum class Default { none, null, string, integer } default_kind = Default::none;
    std::string default_value;
};

// The rest of the cursor's range as a definition; nullopt (with `why`) for anything not compared.
std::optional<ColumnDef> parse_definition(Cursor& c, std::string& why);

}  // namespace migrate::sql
