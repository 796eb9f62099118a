// A statement model → what it claims (ddl_claims.hpp); classifying statements and the table one writes.
#include "ddl_claims.hpp"

#include "../../sql/statement.hpp"

#include <algorithm>
#include <utility>

namespace migrate::run::probe {
namespace {

using sql::AlterClause;
using sql::ClauseKind;
using sql::Ddl;

Name name_of(const sql::TableName& t) { return {t.schema, t.name}; }

Clause undecided(std::string why) {
    Clause c;
    c.undecidable = std::move(why);
    return c;
}
Clause expecting(Object o, const Name& table, std::string name, bool present, bool idempotent = false) {
    Clause c;
    c.expect.push_back({o, table, std::move(name), present});
    c.idempotent = idempotent;
    return c;
}
// a → b: b present and a absent.
Clause renaming(Object o, const Name& table, const std::string& from, const std::string& to) {
    if (same_name(from, to)) return undecided("renames " + quote(from) + " to itself");
    Clause c = expecting(o, table, to, true);
    c.expect.push_back({o, table, from, false});
    return c;
}

Parsed not_probed(std::string why, bool safe_to_retry = false) {
    Parsed p;
    p.undecidable = std::move(why);
    p.safe_to_retry = safe_to_retry;
    return p;
}

// ───── One ALTER TABLE clause ─────

std::string text_of(const Tokens& t, const AlterClause& a) { return Cursor(t, a.begin, a.end).rest_text(); }

// An index, foreign key or check the server would name itself cannot be looked for.
Clause adding(Object o, const Name& table, const std::string& name, const AlterClause& a, std::string_view what) {
    if (name.empty()) return undecided("unnamed " + std::string(what) + ": the server picks its name");
    return expecting(o, table, name, true, a.guarded);
}

Clause modifying(const Tokens& t, const AlterClause& a, const Name& table) {
    Cursor definition(t, a.definition, a.end);
    std::string why;
    auto def = sql::parse_definition(definition, why);
    Clause r = def ? Clause{} : undecided("MODIFY " + quote(a.column.name) + ": " + why);
    if (def) r.definition = DefinitionCheck{table, a.column.name, std::move(*def)};
    r.idempotent = true;  // whatever the definition: it sets the column to the same thing again
    return r;
}

Clause clause_claims(const Tokens& t, const AlterClause& a, const Name& table, Parsed& p) {
    if (a.partitioning) return undecided("partitioning is not probed");
    if (!a.unread.empty()) return undecided(a.unread + " is not probed");
    switch (a.kind) {
        case ClauseKind::add_column: return expecting(Object::column, table, a.column.name, true, a.guarded);
        case ClauseKind::add_primary_key: return expecting(Object::index, table, "PRIMARY", true);
        case ClauseKind::add_index:
            return adding(Object::index, table, a.index.name, a,
                          a.index.kind == sql::IndexKind::unique ? "UNIQUE key" : "index");
        case ClauseKind::add_foreign_key: return adding(Object::foreign_key, table, a.symbol, a, "FOREIGN KEY");
        case ClauseKind::add_check: return adding(Object::constraint, table, a.symbol, a, "CHECK");
        case ClauseKind::drop_column: return expecting(Object::column, table, a.old_name, false, a.guarded);
        case ClauseKind::drop_index: return expecting(Object::index, table, a.old_name, false, a.guarded);
        case ClauseKind::drop_primary_key: return expecting(Object::index, table, "PRIMARY", false);
        case ClauseKind::drop_foreign_key: return expecting(Object::foreign_key, table, a.old_name, false, a.guarded);
        case ClauseKind::drop_constraint: return expecting(Object::constraint, table, a.old_name, false, a.guarded);
        case ClauseKind::modify_column:
            if (same_name(a.old_name, a.column.name)) return modifying(t, a, table);  // MODIFY c, CHANGE c c
            return renaming(Object::column, table, a.old_name, a.column.name);
        case ClauseKind::rename_column: return renaming(Object::column, table, a.old_name, a.column.name);
        case ClauseKind::rename_index: return renaming(Object::index, table, a.old_name, a.new_name);
        case ClauseKind::rename_table: {
            Clause r;
            const Name to = name_of(a.renamed_to);
            r.expect = {{Object::table, to, "", true}, {Object::table, table, "", false}};
            r.renames_subject = true;
            p.renamed_to = to;
            return r;
        }
        case ClauseKind::option:
            if (a.option == "algorithm" || a.option == "lock") {
                Clause r;
                r.neutral = r.idempotent = true;
                return r;
            }
            break;
        case ClauseKind::alter_column:
        case ClauseKind::other: break;
    }
    return undecided(text_of(t, a) + " is not probed");
}

// ───── Statements ─────

Parsed alter_claims(const Tokens& t, const Ddl& d) {
    if (d.clauses.empty()) return not_probed("ALTER TABLE without clauses");
    Parsed p;
    p.subject = Name{d.schema, d.table};
    bool safe = true, any_effect = false;
    for (const auto& a : d.clauses) {
        p.clauses.push_back(clause_claims(t, a, *p.subject, p));
        safe = safe && p.clauses.back().idempotent;
        any_effect = any_effect || !p.clauses.back().neutral;
    }
    p.safe_to_retry = safe && any_effect;
    return p;
}

Parsed create_table_claims(const Ddl& d) {
    const bool safe = d.guarded && !d.as_select;  // CREATE … IF NOT EXISTS … SELECT may insert anyway
    if (d.temporary) return not_probed("a temporary table ends with the session that created it", safe);
    if (d.as_select) return not_probed("CREATE TABLE … SELECT also copies rows, which the schema cannot show");
    Parsed p;
    p.clauses.push_back(expecting(Object::table, Name{d.schema, d.table}, "", true));
    p.safe_to_retry = safe;
    return p;
}

Parsed drop_table_claims(const Ddl& d) {
    if (d.temporary) return not_probed("a temporary table ends with the session that created it", d.guarded);
    Clause r;
    r.leftovers_mean_not_applied = d.guarded;
    for (const auto& table : d.tables) r.expect.push_back({Object::table, name_of(table), "", false});
    Parsed p;
    p.clauses.push_back(std::move(r));
    p.safe_to_retry = d.guarded;
    return p;
}

Parsed index_claims(const Ddl& d, bool present) {
    Parsed p;
    p.subject = Name{d.schema, d.table};
    p.clauses.push_back(expecting(Object::index, *p.subject, d.indexes.front().name, present, d.guarded));
    p.safe_to_retry = d.guarded;
    return p;
}

Parsed rename_claims(const Ddl& d) {
    Parsed p;
    std::vector<Name> seen;
    for (const auto& [from_table, to_table] : d.renames) {
        const Name from = name_of(from_table), to = name_of(to_table);
        for (const Name* n : {&from, &to}) {
            // a→tmp, b→a, tmp→b: each name is present before and after, so only the whole could tell.
            for (const Name& s : seen)
                if (same_name(s.schema, n->schema) && same_name(s.name, n->name))
                    return not_probed("RENAME TABLE uses " + quote(*n) + " twice (a chained rename)");
            seen.push_back(*n);
        }
        Clause r;
        r.expect = {{Object::table, to, "", true}, {Object::table, from, "", false}};
        p.clauses.push_back(std::move(r));
    }
    return p;
}

// Statements the model reads but whose effect the schema cannot show, or does not read: whether running
// them again is harmless all the same.
Parsed other_claims(const Tokens& t, const Ddl& d) {
    const std::string verb = t.empty() ? "" : sql::lower(t.front().text);
    if (verb == "truncate") return not_probed("TRUNCATE empties a table, which the schema cannot show");
    // CREATE DATABASE … IF NOT EXISTS, DROP … IF EXISTS: there or gone is all they do.
    const bool safe = d.guarded && (verb == "drop" || d.object == "database" || d.object == "schema");
    const std::string what = Cursor(t, 0, t.size()).rest_text();
    if (!d.unread.empty() && d.kind != Ddl::Kind::other)
        return not_probed(what + ": " + d.unread + " is not probed", safe);
    return not_probed(what + " is not probed", safe);
}

// ───── Classifying ─────

// Side effects a SELECT-like statement can still have.
bool writes_something(const Tokens& t, std::size_t from) {
    for (std::size_t i = from; i < t.size(); ++i) {
        if (is_word_in(t[i], {"NEXTVAL", "SETVAL"})) return true;
        if (sql::keyword_is(t[i], "NEXT") && i + 1 < t.size() && sql::keyword_is(t[i + 1], "VALUE")) return true;
        if (sql::keyword_is(t[i], "INTO") && i + 1 < t.size() && is_word_in(t[i + 1], {"OUTFILE", "DUMPFILE"}))
            return true;
    }
    return false;
}

std::optional<Name> as_name(const std::optional<sql::TableName>& t) {
    if (!t) return std::nullopt;
    return name_of(*t);
}

}  // namespace

std::string quote(const Name& n) { return n.schema.empty() ? quote(n.name) : quote(n.schema) + "." + quote(n.name); }

Parsed claims_of(const Tokens& t) {
    const Ddl d = sql::parse_statement(t);
    if (d.or_replace) {
        // A view holds no data: replacing it with the same definition again changes nothing.
        if (d.object == "view") return not_probed("CREATE OR REPLACE VIEW: running it again is harmless", true);
        return not_probed("CREATE OR REPLACE replaces what exists, so existence proves nothing");
    }
    switch (d.kind) {
        case Ddl::Kind::create_table:
            // Only its name matters: the rest is the table's body.
            return create_table_claims(d);
        case Ddl::Kind::alter_table:
            if (d.unread.empty()) return alter_claims(t, d);
            {
                Parsed p = other_claims(t, d);
                p.subject = Name{d.schema, d.table};  // still the table it writes
                return p;
            }
        case Ddl::Kind::drop_table:
            if (!d.unread.empty()) break;
            return drop_table_claims(d);
        case Ddl::Kind::create_index:
            // Only its name and table matter: the key parts and options follow.
            return index_claims(d, true);
        case Ddl::Kind::drop_index:
            if (!d.unread.empty()) break;
            return index_claims(d, false);
        case Ddl::Kind::rename_table:
            if (!d.unread.empty()) break;
            return rename_claims(d);
        case Ddl::Kind::truncate:
        case Ddl::Kind::other: break;
    }
    return other_claims(t, d);
}

StatementClass classify_tokens(const Tokens& t, std::size_t i) {
    while (i < t.size() && is_punct(t[i], "(")) ++i;  // (SELECT …) UNION …
    if (i >= t.size()) return StatementClass::unknown;
    const Token& first = t[i];
    if (is_word_in(first, {"INSERT", "UPDATE", "DELETE", "REPLACE"})) return StatementClass::dml;
    if (is_word_in(first, {"CREATE", "ALTER", "DROP", "RENAME", "TRUNCATE"})) return StatementClass::ddl;
    const bool set_statement =
        sql::keyword_is(first, "SET") && i + 1 < t.size() && sql::keyword_is(t[i + 1], "STATEMENT");
    if (set_statement || sql::keyword_is(first, "WITH")) {
        // MariaDB's SET STATEMENT x=1 FOR <statement>, and WITH cte AS (…) <statement>: the
        // statement after the prefix decides.
        int depth = 0;
        for (std::size_t j = i + 1; j < t.size(); ++j) {
            if (is_punct(t[j], "("))
                ++depth;
            else if (is_punct(t[j], ")"))
                --depth;
            else if (depth == 0 && set_statement && sql::keyword_is(t[j], "FOR"))
                return classify_tokens(t, j + 1);
            else if (depth == 0 && !set_statement &&
                     is_word_in(t[j], {"SELECT", "UPDATE", "DELETE", "INSERT", "REPLACE", "TABLE", "VALUES"}))
                return classify_tokens(t, j);
        }
        return StatementClass::unknown;
    }
    if (is_word_in(first, {"SELECT", "VALUES", "TABLE", "DO", "SET"}))
        return writes_something(t, i) ? StatementClass::unknown : StatementClass::harmless;
    if (is_word_in(first, {"SHOW", "DESCRIBE", "DESC", "HELP", "USE"})) return StatementClass::harmless;
    if (sql::keyword_is(first, "EXPLAIN"))  // EXPLAIN ANALYZE runs the statement
        return i + 1 < t.size() && sql::keyword_is(t[i + 1], "ANALYZE") ? StatementClass::unknown
                                                                        : StatementClass::harmless;
    return StatementClass::unknown;
}

std::optional<Name> written_table(const Tokens& t) {
    Cursor c(t, 0, t.size());
    if (c.accept("INSERT") || c.accept("REPLACE")) {
        while (c.accept("LOW_PRIORITY") || c.accept("DELAYED") || c.accept("HIGH_PRIORITY") || c.accept("IGNORE")) {}
        c.accept("INTO");
        return as_name(sql::table_name(c));
    }
    if (c.accept("UPDATE")) {
        while (c.accept("LOW_PRIORITY") || c.accept("IGNORE")) {}
        auto table = as_name(sql::table_name(c));
        return table && c.is("SET") ? table : std::nullopt;  // UPDATE a, b / UPDATE a JOIN b: several tables
    }
    if (c.accept("DELETE")) {
        while (c.accept("LOW_PRIORITY") || c.accept("QUICK") || c.accept("IGNORE")) {}
        if (!c.accept("FROM")) return std::nullopt;  // DELETE a FROM a JOIN b
        auto table = as_name(sql::table_name(c));
        return table && (c.done() || c.is("WHERE") || c.is("ORDER") || c.is("LIMIT")) ? table : std::nullopt;
    }
    if (classify_tokens(t, 0) != StatementClass::ddl) return std::nullopt;
    const Parsed p = claims_of(t);
    if (p.subject) return p.subject;
    // CREATE TABLE t: its one clause expects t.
    if (p.clauses.size() == 1 && p.clauses[0].expect.size() == 1 && p.clauses[0].expect[0].object == Object::table &&
        p.clauses[0].expect[0].present)
        return p.clauses[0].expect[0].table;
    return std::nullopt;
}

}  // namespace migrate::run::probe
