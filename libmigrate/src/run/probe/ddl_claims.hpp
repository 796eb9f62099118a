// What a DDL statement claims about the schema: from the statement model (sql::Ddl, sql/statement.hpp),
// which names must be present or absent once it has taken effect and whether a re-run is harmless
// (Parsed/Clause). A wrong "applied" skips a statement that never ran, so anything the model did not read
// (its `unread` parts), and any name the server would pick itself, makes a clause undecidable. Also
// classifying a statement as DDL, DML, harmless or unknown, and the table it writes. Pure: no server.
// Internal.
#pragma once

#include "../../sql/column_definition.hpp"
#include "../../sql/tokens.hpp"
#include "../statement_probe.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace migrate::run::probe {

// The probe reads statements with sql/'s token tools and column definitions.
using sql::canonical_integer;
using sql::ColumnDef;
using sql::Cursor;
using sql::is_integer_type;
using sql::is_name;
using sql::is_punct;
using sql::is_text_type;
using sql::is_word_in;
using sql::literal;
using sql::lower;
using sql::one_statement;
using sql::parse_definition;
using sql::parse_type;
using sql::quote;
using sql::render;
using sql::same_name;
using sql::split_commas;
using sql::Token;
using sql::TokenKind;
using sql::Tokens;
using sql::Type;

// ───── What a statement claims about the schema ─────

struct Name {
    std::string schema;  // empty: the current database
    std::string name;
    bool operator==(const Name&) const = default;
};

std::string quote(const Name& n);

enum class Object { table, column, index, foreign_key, constraint };

// "<object> is present" (or absent) once the statement has taken effect.
struct Expect {
    Object object;
    Name table;
    std::string name;  // unused for Object::table
    bool present;
};

// MODIFY c … / CHANGE c c …: the column must match the definition.
struct DefinitionCheck {
    Name table;
    std::string column;
    ColumnDef def;
};

// One clause of an ALTER TABLE, or a whole simpler statement.
struct Clause {
    std::vector<Expect> expect;  // all hold → applied; none → not applied; some → see below
    std::optional<DefinitionCheck> definition;
    std::string undecidable;                  // non-empty: cannot be decided, and why
    bool neutral = false;                     // ALGORITHM=, LOCK=: nothing to observe
    bool leftovers_mean_not_applied = false;  // DROP TABLE IF EXISTS: a re-run finishes the job
    bool renames_subject = false;             // ALTER TABLE a RENAME TO b
    bool idempotent = false;                  // re-running it cannot change the outcome
};

struct Parsed {
    std::vector<Clause> clauses;
    std::string undecidable;
    std::optional<Name> subject;     // the table the clauses act on: it must exist
    std::optional<Name> renamed_to;  // ALTER TABLE subject RENAME TO …
    bool safe_to_retry = false;
};

// A DDL statement's tokens (as one_statement gives them) → its claims.
Parsed claims_of(const Tokens& t);

// ───── Classifying ─────

// The class of the statement starting at token `i`.
StatementClass classify_tokens(const Tokens& t, std::size_t i);

// ───── The table a statement writes ─────

// The one table a statement changes or writes rows into: the subject of ALTER TABLE, CREATE/DROP INDEX and
// CREATE TABLE; the target of INSERT/REPLACE [INTO] t, UPDATE t and DELETE FROM t. nullopt for anything
// else (several tables, multi-table UPDATE/DELETE, prefixes such as WITH, unparsed forms).
std::optional<Name> written_table(const Tokens& t);

}  // namespace migrate::run::probe
