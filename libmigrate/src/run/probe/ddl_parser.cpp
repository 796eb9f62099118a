// Statement text → the Parsed/Clause model of a DDL statement, and classify (ddl_parser.hpp).
#include "ddl_parser.hpp"

#include <algorithm>
#include <utility>

namespace migrate::run::probe {
namespace {

std::optional<Name> table_name(Cursor& c) {
    auto first = c.name();
    if (!first) return std::nullopt;
    if (!c.accept_punct(".")) return Name{"", *first};
    auto second = c.name();
    if (!second) return std::nullopt;
    return Name{*first, *second};
}

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

// ───── Parsing DDL ─────

// Words that, after ADD, start something other than a column.
bool starts_column(const Cursor& c) {
    const Token* t = c.peek();
    if (!t) return false;
    if (t->kind == TokenKind::quoted_identifier || is_punct(*t, "(")) return true;
    if (t->kind != TokenKind::word) return false;
    if (is_word_in(*t, {"INDEX", "KEY", "UNIQUE", "PRIMARY", "FOREIGN", "FULLTEXT", "SPATIAL", "CONSTRAINT", "CHECK",
                        "PARTITION", "IF"}))
        return false;
    return !(c.is("PERIOD") && c.is("FOR", 1)) && !(c.is("SYSTEM") && c.is("VERSIONING", 1));
}

std::optional<std::string> index_name(Cursor& c) {
    if (c.is("USING") || c.is_punct("(")) return std::nullopt;
    return c.name();
}

Clause parse_add_columns(const Tokens& t, const Name& table, bool idempotent, std::size_t open) {
    // ADD (c1 def, c2 def): find the matching ')' and take the first name of each element.
    int depth = 0;
    std::size_t close = open;
    for (; close < t.size(); ++close) {
        if (is_punct(t[close], "("))
            ++depth;
        else if (is_punct(t[close], ")") && --depth == 0)
            break;
    }
    Clause r;
    r.idempotent = idempotent;
    for (auto [b, e] : split_commas(t, open + 1, close)) {
        Cursor element(t, b, e);
        if (!starts_column(element) || element.is_punct("("))
            return undecided("ADD (…) with something other than columns is not probed");
        r.expect.push_back({Object::column, table, *element.name(), true});
    }
    return r;
}

Clause parse_add(Cursor& c, const Tokens& t, const Name& table) {
    const bool column = c.accept("COLUMN");
    bool ine = c.accept_all({"IF", "NOT", "EXISTS"});
    if (column || starts_column(c)) {
        if (c.is_punct("(")) return parse_add_columns(t, table, ine, c.pos());
        auto name = c.name();
        if (!name) return undecided("ADD COLUMN without a name");
        return expecting(Object::column, table, *name, true, ine);
    }
    std::string symbol;
    const bool constraint = c.accept("CONSTRAINT");
    if (constraint) {
        ine = c.accept_all({"IF", "NOT", "EXISTS"}) || ine;
        if (!c.is("PRIMARY") && !c.is("UNIQUE") && !c.is("FOREIGN") && !c.is("CHECK")) symbol = c.name().value_or("");
    }
    if (c.accept_all({"PRIMARY", "KEY"})) return expecting(Object::index, table, "PRIMARY", true);
    if (c.accept("UNIQUE")) {
        if (!c.accept("INDEX")) c.accept("KEY");
        ine = c.accept_all({"IF", "NOT", "EXISTS"}) || ine;
        // MySQL names the index after the constraint when the index has no name of its own.
        std::string name = index_name(c).value_or(symbol);
        if (name.empty()) return undecided("unnamed UNIQUE key: the server picks its name");
        return expecting(Object::index, table, name, true, ine);
    }
    if (c.accept_all({"FOREIGN", "KEY"})) {
        ine = c.accept_all({"IF", "NOT", "EXISTS"}) || ine;
        if (symbol.empty()) return undecided("unnamed FOREIGN KEY: the server picks its name");
        return expecting(Object::foreign_key, table, symbol, true, ine);
    }
    if (c.accept("CHECK")) {
        if (symbol.empty()) return undecided("unnamed CHECK: the server picks its name");
        return expecting(Object::constraint, table, symbol, true, ine);
    }
    if (!constraint && (c.accept("INDEX") || c.accept("KEY") || c.accept("FULLTEXT") || c.accept("SPATIAL"))) {
        if (!c.accept("INDEX")) c.accept("KEY");
        ine = c.accept_all({"IF", "NOT", "EXISTS"}) || ine;
        auto name = index_name(c);
        if (!name) return undecided("unnamed index: the server picks its name");
        return expecting(Object::index, table, *name, true, ine);
    }
    return undecided("ADD " + c.rest_text() + " is not probed");
}

// The forms that name one thing and nothing else.
Clause parse_drop(Cursor& c, const Name& table) {
    if (c.accept_all({"PRIMARY", "KEY"})) return expecting(Object::index, table, "PRIMARY", false);
    Object object = Object::column;
    if (c.accept("INDEX") || c.accept("KEY"))
        object = Object::index;
    else if (c.accept_all({"FOREIGN", "KEY"}))
        object = Object::foreign_key;
    else if (c.accept("CONSTRAINT") || c.accept("CHECK"))
        object = Object::constraint;
    else if (!c.accept("COLUMN") && !starts_column(c) && !c.is("IF"))
        return undecided("DROP " + c.rest_text() + " is not probed");
    const bool if_exists = c.accept_all({"IF", "EXISTS"});
    auto name = c.name();
    if (object == Object::column && !c.accept("RESTRICT")) c.accept("CASCADE");
    if (!name || !c.done()) return undecided("DROP " + c.rest_text() + " is not probed");
    return expecting(object, table, *name, false, if_exists);
}

Clause parse_modify(Cursor& c, const Name& table, const std::string& column) {
    std::string why;
    auto def = parse_definition(c, why);
    if (!def) return undecided("MODIFY " + quote(column) + ": " + why);
    Clause r;
    r.definition = DefinitionCheck{table, column, std::move(*def)};
    return r;
}

Clause parse_alter_clause(Cursor c, const Tokens& t, const Name& table, Parsed& p) {
    // Partition options may follow the last clause without a comma.
    for (Cursor scan = c; !scan.done(); scan.skip())
        if (scan.is("PARTITION") || scan.is("PARTITIONING") || scan.is("PARTITIONS"))
            return undecided("partitioning is not probed");
    if (c.accept("ADD")) return parse_add(c, t, table);
    if (c.accept("DROP")) return parse_drop(c, table);
    if (c.accept("MODIFY")) {
        c.accept("COLUMN");
        c.accept_all({"IF", "EXISTS"});
        auto name = c.name();
        if (!name) return undecided("MODIFY without a column name");
        Clause r = parse_modify(c, table, *name);
        r.idempotent = true;  // whatever the definition: it sets the column to the same thing again
        return r;
    }
    if (c.accept("CHANGE")) {
        c.accept("COLUMN");
        c.accept_all({"IF", "EXISTS"});
        auto from = c.name();
        auto to = c.name();
        if (!from || !to) return undecided("CHANGE without column names");
        if (same_name(*from, *to)) {
            Clause r = parse_modify(c, table, *to);
            r.idempotent = true;
            return r;
        }
        return renaming(Object::column, table, *from, *to);
    }
    if (c.accept("RENAME")) {
        Object object = Object::table;
        if (c.accept("COLUMN"))
            object = Object::column;
        else if (c.accept("INDEX") || c.accept("KEY"))
            object = Object::index;
        if (object != Object::table) {
            auto from = c.name();
            auto to = c.accept("TO") ? c.name() : std::nullopt;
            if (!from || !to || !c.done()) return undecided("RENAME " + c.rest_text() + " is not probed");
            return renaming(object, table, *from, *to);
        }
        if (!c.accept("TO")) c.accept("AS");
        auto to = table_name(c);
        if (!to || !c.done()) return undecided("RENAME " + c.rest_text() + " is not probed");
        Clause r;
        r.expect = {{Object::table, *to, "", true}, {Object::table, table, "", false}};
        r.renames_subject = true;
        p.renamed_to = *to;
        return r;
    }
    if (c.accept("ALGORITHM") || c.accept("LOCK")) {
        c.accept_punct("=");
        if (c.name() && c.done()) {
            Clause r;
            r.neutral = r.idempotent = true;
            return r;
        }
    }
    return undecided(c.rest_text() + " is not probed");
}

Parsed parse_alter(Cursor& c, const Tokens& t) {
    c.accept("ONLINE");
    c.accept("IGNORE");
    if (!c.accept("TABLE")) return not_probed("ALTER " + c.rest_text() + " is not probed");
    c.accept_all({"IF", "EXISTS"});
    auto table = table_name(c);
    if (!table) return not_probed("ALTER TABLE without a table name");
    if (c.accept("WAIT")) c.skip();  // MariaDB: WAIT n | NOWAIT
    c.accept("NOWAIT");
    if (c.done()) return not_probed("ALTER TABLE without clauses");
    Parsed p;
    p.subject = *table;
    bool safe = true, any_effect = false;
    for (auto [b, e] : split_commas(t, c.pos(), t.size())) {
        p.clauses.push_back(parse_alter_clause(Cursor(t, b, e), t, *table, p));
        safe = safe && p.clauses.back().idempotent;
        any_effect = any_effect || !p.clauses.back().neutral;
    }
    p.safe_to_retry = safe && any_effect;
    return p;
}

bool mentions_select(const Tokens& t) {
    return std::any_of(t.begin(), t.end(), [](const Token& tok) { return sql::keyword_is(tok, "SELECT"); });
}

Parsed parse_create(Cursor& c, const Tokens& t) {
    if (c.accept_all({"OR", "REPLACE"})) {
        // A view holds no data: replacing it with the same definition again changes nothing.
        for (const Token& tok : t) {
            if (sql::keyword_is(tok, "VIEW"))
                return not_probed("CREATE OR REPLACE VIEW: running it again is harmless", true);
            if (sql::keyword_is(tok, "AS") || sql::keyword_is(tok, "TABLE")) break;
        }
        return not_probed("CREATE OR REPLACE replaces what exists, so existence proves nothing");
    }
    const bool temporary = c.accept("TEMPORARY");
    if (c.accept("TABLE")) {
        const bool ine = c.accept_all({"IF", "NOT", "EXISTS"});
        auto table = table_name(c);
        const bool select = mentions_select(t);
        const bool safe = ine && !select;  // CREATE … IF NOT EXISTS … SELECT may insert anyway
        if (!table) return not_probed("CREATE TABLE without a table name", safe);
        if (temporary) return not_probed("a temporary table ends with the session that created it", safe);
        if (select) return not_probed("CREATE TABLE … SELECT also copies rows, which the schema cannot show");
        Parsed p;
        p.clauses.push_back(expecting(Object::table, *table, "", true));
        p.safe_to_retry = safe;
        return p;
    }
    if (!c.accept("ONLINE")) c.accept("OFFLINE");
    if (!c.accept("UNIQUE") && !c.accept("FULLTEXT")) c.accept("SPATIAL");
    if (c.accept("INDEX")) {
        const bool ine = c.accept_all({"IF", "NOT", "EXISTS"});
        auto index = c.name();
        if (c.accept("USING")) c.skip();
        auto table = c.accept("ON") ? table_name(c) : std::nullopt;
        if (!index || !table) return not_probed("CREATE INDEX " + c.rest_text() + " is not probed", ine);
        Parsed p;
        p.subject = *table;
        p.clauses.push_back(expecting(Object::index, *table, *index, true, ine));
        p.safe_to_retry = ine;
        return p;
    }
    const bool ine = (c.accept("DATABASE") || c.accept("SCHEMA")) && c.is("IF") && c.is("NOT", 1);
    return not_probed("CREATE " + c.rest_text() + " is not probed", ine);
}

Parsed parse_drop_statement(Cursor& c) {
    const bool temporary = c.accept("TEMPORARY");
    if (c.accept("TABLE") || c.accept("TABLES")) {
        const bool if_exists = c.accept_all({"IF", "EXISTS"});
        Clause r;
        r.leftovers_mean_not_applied = if_exists;
        do {
            auto table = table_name(c);
            if (!table) return not_probed("DROP TABLE without a table name", if_exists);
            r.expect.push_back({Object::table, *table, "", false});
        } while (c.accept_punct(","));
        if (!c.accept("RESTRICT")) c.accept("CASCADE");
        if (!c.done()) return not_probed("DROP TABLE " + c.rest_text() + " is not probed", if_exists);
        if (temporary) return not_probed("a temporary table ends with the session that created it", if_exists);
        Parsed p;
        p.clauses.push_back(std::move(r));
        p.safe_to_retry = if_exists;
        return p;
    }
    if (!c.accept("ONLINE")) c.accept("OFFLINE");
    if (c.accept("INDEX")) {
        const bool if_exists = c.accept_all({"IF", "EXISTS"});
        auto index = c.name();
        auto table = c.accept("ON") ? table_name(c) : std::nullopt;
        while ((c.accept("ALGORITHM") || c.accept("LOCK")) && (c.accept_punct("="), c.name())) {}
        if (!index || !table || !c.done())
            return not_probed("DROP INDEX " + c.rest_text() + " is not probed", if_exists);
        Parsed p;
        p.subject = *table;
        p.clauses.push_back(expecting(Object::index, *table, *index, false, if_exists));
        p.safe_to_retry = if_exists;
        return p;
    }
    // DROP VIEW / DATABASE / PROCEDURE … IF EXISTS: gone is gone.
    return not_probed("DROP " + c.rest_text() + " is not probed", c.is("IF", 1) && c.is("EXISTS", 2));
}

Parsed parse_rename(Cursor& c) {
    if (!c.accept("TABLE") && !c.accept("TABLES")) return not_probed("RENAME " + c.rest_text() + " is not probed");
    Parsed p;
    std::vector<Name> seen;
    do {
        auto from = table_name(c);
        auto to = c.accept("TO") ? table_name(c) : std::nullopt;
        if (!from || !to) return not_probed("RENAME TABLE " + c.rest_text() + " is not probed");
        for (const Name* n : {&*from, &*to}) {
            // a→tmp, b→a, tmp→b: each name is present before and after, so only the whole could tell.
            for (const Name& s : seen)
                if (same_name(s.schema, n->schema) && same_name(s.name, n->name))
                    return not_probed("RENAME TABLE uses " + quote(*n) + " twice (a chained rename)");
            seen.push_back(*n);
        }
        Clause r;
        r.expect = {{Object::table, *to, "", true}, {Object::table, *from, "", false}};
        p.clauses.push_back(std::move(r));
    } while (c.accept_punct(","));
    if (!c.done()) return not_probed("RENAME TABLE " + c.rest_text() + " is not probed");
    return p;
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

}  // namespace

std::string quote(const Name& n) { return n.schema.empty() ? quote(n.name) : quote(n.schema) + "." + quote(n.name); }

Parsed parse_ddl(const Tokens& t) {
    Cursor c(t, 0, t.size());
    if (c.accept("CREATE")) return parse_create(c, t);
    if (c.accept("ALTER")) return parse_alter(c, t);
    if (c.accept("DROP")) return parse_drop_statement(c);
    if (c.accept("RENAME")) return parse_rename(c);
    if (c.accept("TRUNCATE")) return not_probed("TRUNCATE empties a table, which the schema cannot show");
    return not_probed(c.rest_text() + " is not probed");
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
        return table_name(c);
    }
    if (c.accept("UPDATE")) {
        while (c.accept("LOW_PRIORITY") || c.accept("IGNORE")) {}
        auto table = table_name(c);
        return table && c.is("SET") ? table : std::nullopt;  // UPDATE a, b / UPDATE a JOIN b: several tables
    }
    if (c.accept("DELETE")) {
        while (c.accept("LOW_PRIORITY") || c.accept("QUICK") || c.accept("IGNORE")) {}
        if (!c.accept("FROM")) return std::nullopt;  // DELETE a FROM a JOIN b
        auto table = table_name(c);
        return table && (c.done() || c.is("WHERE") || c.is("ORDER") || c.is("LIMIT")) ? table : std::nullopt;
    }
    if (classify_tokens(t, 0) != StatementClass::ddl) return std::nullopt;
    const Parsed p = parse_ddl(t);
    if (p.subject) return p.subject;
    // CREATE TABLE t: its one clause expects t.
    if (p.clauses.size() == 1 && p.clauses[0].expect.size() == 1 && p.clauses[0].expect[0].object == Object::table &&
        p.clauses[0].expect[0].present)
        return p.clauses[0].expect[0].table;
    return std::nullopt;
}

}  // namespace migrate::run::probe
