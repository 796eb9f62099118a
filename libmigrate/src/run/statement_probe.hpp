// Crash-safe resume: after the runner died with a statement in flight, did that statement take effect?
// For the DDL forms drizzle-kit writes, the schema (information_schema) answers.
#pragma once

#include "../connect/connection.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migrate::run {

enum class StatementClass {
    ddl,       // CREATE, ALTER, DROP, RENAME, TRUNCATE: commits implicitly, probe the schema
    dml,       // INSERT, UPDATE, DELETE, REPLACE (also WITH … UPDATE/DELETE): transactional on InnoDB
    harmless,  // re-running changes nothing: SET, SELECT, VALUES, TABLE, DO, SHOW, DESCRIBE, EXPLAIN, HELP,
               // USE, and empty or comment-only text
    unknown,   // everything else, more than one statement, text that does not tokenize, a leading
               // executable comment, SELECT … INTO OUTFILE, sequence functions (NEXTVAL …)
};
// Pure: looks at the text only (MySQL's default sql_mode).
StatementClass classify_statement(std::string_view sql);

// A table as a statement names it; schema "" means the current database.
struct TableRef {
    std::string schema;
    std::string name;
};
// The one table `sql` changes or writes rows into (ALTER TABLE t, CREATE/DROP INDEX … ON t, CREATE TABLE t,
// INSERT/REPLACE INTO t, UPDATE t SET, DELETE FROM t); nullopt when it names several or is another form.
std::optional<TableRef> written_table(std::string_view sql);
// Every table a DDL statement creates, changes, renames or drops (DROP TABLE a, b names both; RENAME TABLE
// a TO b both); empty for other statements and forms the parser does not know.
std::vector<TableRef> tables_changed(std::string_view sql);
// True for INSERT and REPLACE: the statements that take AUTO_INCREMENT values.
bool inserts_rows(std::string_view sql);

enum class Effect { applied, not_applied, undecidable };

struct ProbeResult {
    Effect effect;
    std::string reason;  // for people, e.g. "column `orders`.`note` exists"
};

// Decides from information_schema, for the current database (database()) or the schema a name is
// qualified with, whether `sql` — one DDL statement as drizzle-kit writes it — has taken effect.
// Reads only; throws only migrate::error from the connection. Forms and their rules:
//   CREATE TABLE [IF NOT EXISTS] t …            t exists
//   DROP TABLE [IF EXISTS] t[, …]               none exist (with IF EXISTS, any left: not applied;
//                                               without: some left → undecidable, a re-run would fail)
//   RENAME TABLE a TO b[, …] / ALTER TABLE a RENAME [TO|AS] b     b exists and a does not
//   CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX i ON t / DROP INDEX i ON t       index present / absent
//   ALTER TABLE t <clause>[, <clause>…]         each clause decided, all must agree (ALTER is atomic):
//     ADD [COLUMN] c … | ADD [COLUMN] (c …, …) | DROP [COLUMN] c | RENAME COLUMN a TO b | CHANGE a b …
//     MODIFY c …  (type, NULL, simple DEFAULT, collation, extra and comment compared with the column)
//     ADD [CONSTRAINT [s]] PRIMARY KEY | UNIQUE [INDEX|KEY] [i] | FOREIGN KEY | CHECK; ADD INDEX|KEY i;
//     ADD FULLTEXT|SPATIAL [INDEX|KEY] i; RENAME INDEX|KEY a TO b; DROP PRIMARY KEY | INDEX|KEY i |
//     FOREIGN KEY f | CONSTRAINT c | CHECK c; ALGORITHM=… and LOCK=… say nothing either way.
// Undecidable: any other clause or statement (table options, partitioning, ALTER COLUMN, unnamed
// indexes/foreign keys/checks, CREATE OR REPLACE, temporary tables, CREATE … SELECT, chained renames,
// MODIFY definitions with attributes not compared, a missing table, clauses that disagree — as when one
// ALTER drops and re-adds the same name), and every non-DDL statement.
ProbeResult probe_statement(connect::Connection& conn, std::string_view sql);

// True when running `sql` again cannot change the outcome, whether or not it ran: harmless statements,
// CREATE TABLE/INDEX/DATABASE IF NOT EXISTS (not … SELECT), DROP … IF EXISTS, and ALTER TABLEs made only
// of MODIFY, CHANGE a a (same name) and MariaDB's IF [NOT] EXISTS clauses (plus ALGORITHM=/LOCK=).
bool safe_to_retry(std::string_view sql);

// True for DDL that only adds names the probe can look for: plain CREATE TABLE, CREATE INDEX, and ALTER
// TABLE whose every clause is an ADD (column, index, key, unique, primary key, named foreign key or
// check). Such statements never undo one another (nothing they do removes or changes a name), so after
// any prefix of a run of them the schema tells which ran; and none can run twice without an error.
bool only_adds(std::string_view sql);

}  // namespace migrate::run
