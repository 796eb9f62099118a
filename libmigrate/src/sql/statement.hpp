// One DDL statement as a structure: its kind, the table(s) it names, column definitions, indexes and
// foreign keys, each ALTER TABLE clause and every table rename, each part with the token it starts at.
// Names are kept as written (unquoted; a table's schema apart); a reader that compares them
// case-insensitively lower-cases them itself. Anything else is "other". Internal.
//
// The one reader of DDL, for two kinds of reader. Lint (its rules and the folder's schema), plan's ddl_cost
// (what each clause costs) and verify (the tables custom migrations create) rate what they find and pass
// over the rest. The in-flight probe (run/probe) decides from it whether a statement took effect, where a
// wrong "applied" skips a statement that never ran: so the model also keeps what deciding needs (schemas,
// index and constraint names, each IF [NOT] EXISTS) and says exactly what it did not read (`unread`, for
// the statement and for each clause), and the probe refuses to decide anything with unread parts.
#pragma once

#include "column_definition.hpp"
#include "tokens.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace migrate::sql {

// A table as a statement names it; schema "" means the current database.
struct TableName {
    std::string schema;
    std::string name;
    const Token* at = nullptr;  // its first token
};

struct Rename {
    TableName from, to;
};

struct ColumnSpec {
    std::string name;
    const Token* at = nullptr;       // the name
    const Token* type_at = nullptr;  // the type's first token
    std::optional<Type> type;        // canonical; nullopt for types column_definition does not model
    std::string type_word;           // lower-case first word of the type, e.g. "serial"
    bool not_null = false, has_default = false, auto_increment = false;
    bool generated = false, stored = false;  // AS (…) / GENERATED ALWAYS AS (…); STORED / PERSISTENT
    bool unique = false, primary = false, check = false;
    bool positioned = false;                // FIRST / AFTER c
    bool charset = false, collate = false;  // CHARACTER SET / CHARSET, COLLATE
    const Token* references = nullptr;      // inline REFERENCES
};

enum class IndexKind { plain, unique, fulltext, spatial };

struct IndexSpec {
    const Token* at = nullptr;
    IndexKind kind = IndexKind::plain;
    std::vector<std::string> columns;
    std::string name;  // as written; empty when the statement leaves it to the server
};

enum class ClauseKind {
    add_column,  // ADD (a …, b …) gives one clause per column
    drop_column,
    modify_column,  // MODIFY c …, CHANGE old new …
    rename_column,
    alter_column,  // ALTER [COLUMN] c SET DEFAULT … / DROP DEFAULT (and MySQL's ALTER INDEX i [IN]VISIBLE)
    add_index,     // INDEX, KEY, UNIQUE, FULLTEXT, SPATIAL
    add_primary_key,
    add_foreign_key,
    add_check,
    drop_index,
    drop_primary_key,
    drop_foreign_key,
    drop_constraint,  // DROP CONSTRAINT c, DROP CHECK c
    rename_index,
    rename_table,  // RENAME [TO|AS] t (also in Ddl::renames)
    option,        // a table option or ALTER option: AlterClause::option names it
    other,
};

struct AlterClause {
    ClauseKind kind = ClauseKind::other;
    const Token* at = nullptr;       // the clause's first token
    std::size_t begin = 0, end = 0;  // the clause's tokens
    std::string old_name;            // drop_column, alter_column, CHANGE old new, RENAME COLUMN old TO new
    ColumnSpec column;               // add, modify, change (new definition), rename (new name)
    IndexSpec index;                 // add_index
    // option: its first word and the word after it (or after its '='), lower-case: ALGORITHM=COPY is
    // {"algorithm", "copy"}; one of algorithm, lock, convert, order, engine, force, row_format,
    // key_block_size, comment, auto_increment, default, character, charset, collate.
    std::string option, value;
    std::string symbol;          // add_*: CONSTRAINT symbol, as written
    std::string new_name;        // rename_index: the new name (rename_column's is column.name)
    TableName renamed_to;        // rename_table
    std::size_t definition = 0;  // modify_column: where the definition after the (new) name starts
    bool guarded = false;        // MariaDB's IF [NOT] EXISTS on the clause (or on its CONSTRAINT)
    bool partitioning = false;   // the clause is, or is followed by, partitioning options
    std::string unread;          // the clause's text from its first token the model does not read; "" when
                                 // every token was read (an "other" clause is unread whole)
};

struct Ddl {
    enum class Kind {
        other,
        create_table,
        alter_table,
        drop_table,
        truncate,
        create_index,
        drop_index,
        rename_table
    } kind = Kind::other;
    bool temporary = false;                  // CREATE / DROP TEMPORARY TABLE
    bool or_replace = false;                 // CREATE OR REPLACE
    bool guarded = false;                    // IF [NOT] EXISTS on the statement
    bool as_select = false;                  // create_table: CREATE TABLE … [AS] SELECT also copies rows
    std::string object;                      // lower-case: what a CREATE/ALTER/DROP acts on (table, index, view…)
    std::string table;                       // create/alter/truncate/create_index/drop_index
    std::string schema;                      // `table`'s schema, "" for the current database
    std::vector<TableName> tables;           // drop_table: every table named
    std::vector<Rename> renames;             // rename_table (and ALTER … RENAME TO)
    std::vector<ColumnSpec> columns;         // create_table (empty for … LIKE, … AS SELECT)
    std::vector<IndexSpec> indexes;          // create_table, create_index, drop_index (its one index)
    std::vector<AlterClause> clauses;        // alter_table
    std::vector<const Token*> foreign_keys;  // where each foreign key is declared
    std::string unread;                      // the text from the first token the model does not read (or why
                                             // the statement is not read at all); "" when all was read
};

// `t`: one statement's significant tokens (one_statement's, or lint's cut of a chunk). The Ddl's token
// pointers point into `t`.
Ddl parse_statement(const Tokens& t);

// `[schema.]name` at the cursor, which moves past it; nullopt when there is none.
std::optional<TableName> table_name(Cursor& c);

// The column definition at [b, e): its name, then type and attributes.
ColumnSpec parse_column(const Tokens& t, std::size_t b, std::size_t e);

}  // namespace migrate::sql
