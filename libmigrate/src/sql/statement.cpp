// A reader of CREATE/ALTER/DROP TABLE, TRUNCATE, CREATE INDEX and RENAME TABLE (statement.hpp).
#include "statement.hpp"

namespace migrate::sql {
namespace {

bool kw(const Tokens& t, std::size_t i, std::string_view upper) { return i < t.size() && keyword_is(t[i], upper); }

// The index after the ')' matching the '(' at i (or the end).
std::size_t skip_group(const Tokens& t, std::size_t i, std::size_t end) {
    int depth = 0;
    for (; i < end; ++i) {
        if (is_punct(t[i], "("))
            ++depth;
        else if (is_punct(t[i], ")") && --depth == 0)
            return i + 1;
    }
    return end;
}

// [begin, end) cut at top-level commas, without the empty ranges (a trailing comma): nothing to read there.
std::vector<std::pair<std::size_t, std::size_t>> parts(const Tokens& t, std::size_t begin, std::size_t end) {
    auto all = split_commas(t, begin, end);
    std::erase_if(all, [](const auto& r) { return r.first >= r.second; });
    return all;
}

// The text from the cursor on, for `unread`; a reason when nothing is left.
std::string rest_or(const Cursor& c, std::string_view why) { return c.done() ? std::string(why) : c.rest_text(); }

// The column names of a key part list `(a, b(10) DESC, ...)` whose '(' is at i.
std::vector<std::string> key_columns(const Tokens& t, std::size_t i, std::size_t end) {
    std::vector<std::string> cols;
    if (i >= end || !is_punct(t[i], "(")) return cols;
    const auto close = skip_group(t, i, end) - 1;
    for (auto [b, e] : parts(t, i + 1, close))
        if (is_name(t[b])) cols.push_back(t[b].value);
    return cols;
}

}  // namespace

std::optional<TableName> table_name(Cursor& c) {
    const Token* at = c.peek();
    auto first = c.name();
    if (!first) return std::nullopt;
    if (!c.accept_punct(".")) return TableName{"", *first, at};
    auto second = c.name();
    if (!second) return std::nullopt;
    return TableName{*first, *second, at};
}

ColumnSpec parse_column(const Tokens& t, std::size_t b, std::size_t e) {
    ColumnSpec c;
    if (b >= e) return c;
    c.at = &t[b];
    c.name = t[b].value;
    std::size_t i = b + 1;
    if (i < e) {
        c.type_at = &t[i];
        c.type_word = lower(t[i].text);
        Cursor cur(t, i, e);
        std::string why;
        c.type = parse_type(cur, why);
        if (c.type) {
            i = cur.pos();
        } else {  // an unmodelled type: skip its word and arguments
            ++i;
            if (i < e && is_punct(t[i], "(")) i = skip_group(t, i, e);
        }
    }
    if (c.type_word == "serial") c.not_null = true;
    for (; i < e; ++i) {
        if (is_punct(t[i], "(")) {
            i = skip_group(t, i, e) - 1;
        } else if (kw(t, i, "NOT") && kw(t, i + 1, "NULL")) {
            c.not_null = true;
            ++i;
        } else if (kw(t, i, "NULL")) {
            c.not_null = false;
        } else if (kw(t, i, "DEFAULT")) {
            c.has_default = true;
            if (i + 1 < e && (is_punct(t[i + 1], "-") || is_punct(t[i + 1], "+"))) ++i;
            if (i + 1 < e && is_punct(t[i + 1], "("))
                i = skip_group(t, i + 1, e) - 1;
            else
                ++i;
        } else if (kw(t, i, "AUTO_INCREMENT")) {
            c.auto_increment = true;
        } else if (is_word_in(t[i], {"AS", "GENERATED"})) {
            c.generated = true;
        } else if (is_word_in(t[i], {"STORED", "PERSISTENT"})) {
            c.stored = true;
        } else if (kw(t, i, "UNIQUE")) {
            c.unique = true;
        } else if (kw(t, i, "PRIMARY")) {
            c.primary = true;
        } else if (kw(t, i, "CHECK")) {
            c.check = true;
        } else if (is_word_in(t[i], {"FIRST", "AFTER"})) {
            c.positioned = true;
        } else if (kw(t, i, "REFERENCES")) {
            c.references = &t[i];
        } else if (kw(t, i, "CHARACTER") && kw(t, i + 1, "SET")) {
            c.charset = true;
            i += 2;  // its argument could read like a keyword
        } else if (kw(t, i, "CHARSET")) {
            c.charset = true;
            ++i;
        } else if (kw(t, i, "COLLATE")) {
            c.collate = true;
            ++i;
        } else if (kw(t, i, "COMMENT")) {
            ++i;
        }
    }
    return c;
}

namespace {

// After ADD: does a column definition (or ADD (…)'s list) start here, rather than a key or constraint?
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

// The columns of the first key part list from the cursor on.
std::vector<std::string> first_key_columns(const Cursor& c, const Tokens& t) {
    for (std::size_t j = c.pos(); j < c.end(); ++j)
        if (is_punct(t[j], "(")) return key_columns(t, j, c.end());
    return {};
}

// A table constraint or index definition at the cursor (after ADD [IF NOT EXISTS], or a CREATE TABLE
// element): its kind, CONSTRAINT symbol, index name and IF NOT EXISTS into `a`; false when a column
// definition starts here instead. Partitions, periods and system versioning are "other".
bool read_constraint(Cursor c, const Tokens& t, Ddl& d, AlterClause& a) {
    const Token* first = c.peek();
    if (!first || first->kind != TokenKind::word) return false;
    const bool constraint = c.accept("CONSTRAINT");
    if (constraint) {
        a.guarded = c.accept_all({"IF", "NOT", "EXISTS"}) || a.guarded;
        if (!c.is("PRIMARY") && !c.is("UNIQUE") && !c.is("FOREIGN") && !c.is("CHECK")) a.symbol = c.name().value_or("");
    } else if (starts_column(c)) {
        return false;
    }
    auto not_read = [&] { a.unread = rest_or(c, "a constraint without a body"); };
    if (c.accept_all({"PRIMARY", "KEY"})) {
        a.kind = ClauseKind::add_primary_key;
        return true;
    }
    if (c.accept_all({"FOREIGN", "KEY"})) {
        a.kind = ClauseKind::add_foreign_key;
        a.guarded = c.accept_all({"IF", "NOT", "EXISTS"}) || a.guarded;
        d.foreign_keys.push_back(first);
        return true;
    }
    if (c.accept("CHECK")) {
        a.kind = ClauseKind::add_check;
        return true;
    }
    a.index.at = first;
    if (c.accept("UNIQUE")) {
        a.index.kind = IndexKind::unique;
        if (!c.accept("INDEX")) c.accept("KEY");
    } else if (!constraint && (c.is("FULLTEXT") || c.is("SPATIAL"))) {
        a.index.kind = c.is("FULLTEXT") ? IndexKind::fulltext : IndexKind::spatial;
        c.skip();
        if (!c.accept("INDEX")) c.accept("KEY");
    } else if (constraint || !(c.accept("INDEX") || c.accept("KEY"))) {
        a.index.at = nullptr;
        a.kind = ClauseKind::other;
        not_read();
        return true;
    }
    a.kind = ClauseKind::add_index;
    a.guarded = c.accept_all({"IF", "NOT", "EXISTS"}) || a.guarded;
    if (!c.is("USING") && !c.is_punct("(")) a.index.name = c.name().value_or("");
    // MySQL names a UNIQUE key after its constraint when the key has no name of its own.
    if (a.index.name.empty() && a.index.kind == IndexKind::unique) a.index.name = a.symbol;
    a.index.columns = first_key_columns(c, t);
    return true;
}

void parse_create_table(Cursor& c, const Tokens& t, Ddl& d) {
    d.guarded = c.accept_all({"IF", "NOT", "EXISTS"});
    auto table = table_name(c);
    if (!table) {
        d.unread = "CREATE TABLE without a table name";
        return;
    }
    d.kind = Ddl::Kind::create_table;
    d.table = table->name;
    d.schema = table->schema;
    for (std::size_t j = c.pos(); j < t.size(); ++j) d.as_select = d.as_select || keyword_is(t[j], "SELECT");
    if (!c.is_punct("(")) return;  // CREATE TABLE t LIKE u, … AS SELECT
    const auto close = skip_group(t, c.pos(), t.size()) - 1;
    for (auto [b, e] : parts(t, c.pos() + 1, close)) {
        AlterClause element;
        if (read_constraint(Cursor(t, b, e), t, d, element)) {
            if (element.kind == ClauseKind::add_index) d.indexes.push_back(std::move(element.index));
            continue;
        }
        auto column = parse_column(t, b, e);
        if (column.references) d.foreign_keys.push_back(column.references);
        d.columns.push_back(std::move(column));
    }
}

// The first word of the options ALTER TABLE takes besides its clauses.
bool is_option(const Token& t) {
    return is_word_in(t, {"ALGORITHM", "LOCK", "CONVERT", "ORDER", "ENGINE", "FORCE", "ROW_FORMAT", "KEY_BLOCK_SIZE",
                          "COMMENT", "AUTO_INCREMENT", "DEFAULT", "CHARACTER", "CHARSET", "COLLATE"});
}

// ADD …: a column, ADD (c …, d …) (one clause per column, appended to `out`), or a key or constraint.
void read_add(Cursor& c, const Tokens& t, Ddl& d, AlterClause a, std::vector<AlterClause>& out) {
    const bool column_word = c.accept("COLUMN");
    a.guarded = c.accept_all({"IF", "NOT", "EXISTS"});
    if (!column_word && read_constraint(c, t, d, a)) {
        out.push_back(std::move(a));
        return;
    }
    a.kind = ClauseKind::add_column;
    if (!c.is_punct("(")) {
        a.column = parse_column(t, c.pos(), c.end());
        if (!a.column.at || !is_name(*a.column.at)) a.unread = rest_or(c, "ADD COLUMN without a name");
        if (a.column.references) d.foreign_keys.push_back(a.column.references);
        out.push_back(std::move(a));
        return;
    }
    const auto close = skip_group(t, c.pos(), c.end()) - 1;
    for (auto [b, e] : parts(t, c.pos() + 1, close)) {
        AlterClause one = a;
        const Cursor element(t, b, e);
        if (!starts_column(element) || element.is_punct("(")) one.unread = element.rest_text();
        one.column = parse_column(t, b, e);
        if (one.column.references) d.foreign_keys.push_back(one.column.references);
        out.push_back(std::move(one));
    }
    if (close + 1 < c.end()) out.back().unread = Cursor(t, close + 1, c.end()).rest_text();
}

// DROP …: one named thing and nothing else.
void read_drop(Cursor& c, AlterClause& a) {
    if (c.accept_all({"PRIMARY", "KEY"})) {
        a.kind = ClauseKind::drop_primary_key;
    } else {
        if (c.accept("INDEX") || c.accept("KEY"))
            a.kind = ClauseKind::drop_index;
        else if (c.accept_all({"FOREIGN", "KEY"}))
            a.kind = ClauseKind::drop_foreign_key;
        else if (c.accept("CONSTRAINT") || c.accept("CHECK"))
            a.kind = ClauseKind::drop_constraint;
        else if (c.accept("COLUMN") || starts_column(c) || c.is("IF"))
            a.kind = ClauseKind::drop_column;
        else
            return;  // partitions, periods, system versioning: other
        a.guarded = c.accept_all({"IF", "EXISTS"});
        auto name = c.name();
        if (!name) {
            a.kind = ClauseKind::other;
            return;
        }
        a.old_name = *name;
        if (a.kind == ClauseKind::drop_column && !c.accept("RESTRICT")) c.accept("CASCADE");
    }
    a.unread = c.done() ? "" : c.rest_text();
}

// MODIFY [COLUMN] [IF EXISTS] c … / CHANGE [COLUMN] [IF EXISTS] old new …
void read_modify(Cursor& c, const Tokens& t, bool change, AlterClause& a) {
    c.accept("COLUMN");
    a.guarded = c.accept_all({"IF", "EXISTS"});
    auto old_name = c.name();
    if (!old_name) return;
    const std::size_t at = c.pos() - 1;
    if (change && !c.name()) return;
    a.kind = ClauseKind::modify_column;
    a.old_name = *old_name;
    a.column = parse_column(t, change ? at + 1 : at, c.end());
    a.definition = c.pos();
}

// RENAME COLUMN a TO b / RENAME INDEX|KEY a TO b / RENAME [TO|AS] t
void read_rename(Cursor& c, Ddl& d, AlterClause& a) {
    const bool column = c.accept("COLUMN");
    if (column || c.accept("INDEX") || c.accept("KEY")) {
        auto from = c.name();
        const Token* to_at = c.is("TO") ? c.peek(1) : nullptr;
        auto to = c.accept("TO") ? c.name() : std::nullopt;
        if (!from || !to) return;
        a.kind = column ? ClauseKind::rename_column : ClauseKind::rename_index;
        a.old_name = *from;
        if (column) {
            a.column.name = *to;
            a.column.at = to_at;
        } else {
            a.new_name = *to;
        }
    } else {
        if (!c.accept("TO")) c.accept("AS");
        auto to = table_name(c);
        if (!to) return;
        a.kind = ClauseKind::rename_table;
        a.renamed_to = *to;
        d.renames.push_back({{d.schema, d.table, nullptr}, *to});
    }
    a.unread = c.done() ? "" : c.rest_text();
}

void read_clause(const Tokens& t, std::size_t b, std::size_t e, Ddl& d, std::vector<AlterClause>& out) {
    AlterClause a;
    a.at = &t[b];
    a.begin = b;
    a.end = e;
    // Partition options may follow the last clause without a comma.
    for (std::size_t j = b; j < e; ++j)
        a.partitioning = a.partitioning || is_word_in(t[j], {"PARTITION", "PARTITIONING", "PARTITIONS"});
    Cursor c(t, b, e);
    if (c.accept("ADD")) return read_add(c, t, d, std::move(a), out);
    if (c.accept("DROP")) {
        read_drop(c, a);
    } else if (c.is("MODIFY") || c.is("CHANGE")) {
        const bool change = c.is("CHANGE");
        c.skip();
        read_modify(c, t, change, a);
    } else if (c.accept("RENAME")) {
        read_rename(c, d, a);
    } else if (c.accept("ALTER")) {
        c.accept("COLUMN");
        if (auto name = c.name()) {
            a.kind = ClauseKind::alter_column;
            a.old_name = *name;
            a.unread = c.rest_text();  // SET DEFAULT …, DROP DEFAULT, [IN]VISIBLE: not modelled
        }
    } else if (is_option(t[b])) {
        c.skip();
        a.kind = ClauseKind::option;
        a.option = lower(t[b].text);
        c.accept_punct("=");
        if (!c.done()) {
            a.value = lower(c.peek()->text);
            c.skip();
        }
        a.unread = c.rest_text();
    }
    if (a.kind == ClauseKind::other) a.unread = Cursor(t, b, e).rest_text();
    out.push_back(std::move(a));
}

void parse_alter_table(Cursor& c, const Tokens& t, Ddl& d) {
    d.guarded = c.accept_all({"IF", "EXISTS"});
    auto table = table_name(c);
    if (!table) {
        d.unread = "ALTER TABLE without a table name";
        return;
    }
    d.kind = Ddl::Kind::alter_table;
    d.table = table->name;
    d.schema = table->schema;
    if (c.accept("WAIT"))  // MariaDB: WAIT n | NOWAIT
        c.skip();
    else
        c.accept("NOWAIT");
    for (auto [b, e] : split_commas(t, c.pos(), t.size())) {
        if (b < e)
            read_clause(t, b, e, d, d.clauses);
        else  // two commas, or a trailing one: the server refuses the statement
            d.unread = "an empty clause";
    }
}

void parse_create(Cursor& c, const Tokens& t, Ddl& d) {
    d.or_replace = c.accept_all({"OR", "REPLACE"});
    IndexSpec index{.at = &t[0], .kind = IndexKind::plain, .columns = {}, .name = {}};
    for (;; c.skip()) {
        if (c.is("TEMPORARY"))
            d.temporary = true;
        else if (c.is("UNIQUE"))
            index.kind = IndexKind::unique;
        else if (c.is("FULLTEXT"))
            index.kind = IndexKind::fulltext;
        else if (c.is("SPATIAL"))
            index.kind = IndexKind::spatial;
        else if (!c.is("ONLINE") && !c.is("OFFLINE"))
            break;
    }
    d.object = c.peek() ? lower(c.peek()->text) : "";
    // CREATE [OR REPLACE] ALGORITHM=… DEFINER=… SQL SECURITY … VIEW: a view whatever comes before it.
    for (std::size_t j = c.pos(); j < t.size() && !keyword_is(t[j], "AS") && !keyword_is(t[j], "TABLE"); ++j)
        if (keyword_is(t[j], "VIEW")) d.object = "view";
    if (c.accept("TABLE")) return parse_create_table(c, t, d);
    if (!c.accept("INDEX")) {
        c.skip();
        d.guarded = c.accept_all({"IF", "NOT", "EXISTS"});
        d.unread = rest_or(c, "CREATE " + d.object);
        return;
    }
    d.guarded = c.accept_all({"IF", "NOT", "EXISTS"});
    index.name = c.name().value_or("");
    if (c.accept("USING")) c.skip();
    auto table = c.accept("ON") ? table_name(c) : std::nullopt;
    if (index.name.empty() || !table) {
        d.unread = rest_or(c, "CREATE INDEX without its name or table");
        return;
    }
    d.kind = Ddl::Kind::create_index;
    d.table = table->name;
    d.schema = table->schema;
    index.columns = key_columns(t, c.pos(), t.size());
    d.indexes.push_back(std::move(index));
}

void parse_drop(Cursor& c, Ddl& d) {
    d.temporary = c.accept("TEMPORARY");
    if (c.accept("TABLE") || c.accept("TABLES")) {
        d.object = "table";
        d.guarded = c.accept_all({"IF", "EXISTS"});
        d.kind = Ddl::Kind::drop_table;
        do {
            auto table = table_name(c);
            if (!table) break;
            d.tables.push_back(*table);
        } while (c.accept_punct(","));
        if (!c.accept("RESTRICT")) c.accept("CASCADE");
        if (d.tables.empty() || !c.done()) d.unread = rest_or(c, "DROP TABLE without a table name");
        return;
    }
    if (!c.accept("ONLINE")) c.accept("OFFLINE");
    d.object = c.peek() ? lower(c.peek()->text) : "";
    if (!c.accept("INDEX")) {
        d.guarded = c.is("IF", 1) && c.is("EXISTS", 2);  // DROP VIEW / DATABASE / … IF EXISTS
        d.unread = rest_or(c, "DROP");
        return;
    }
    d.guarded = c.accept_all({"IF", "EXISTS"});
    auto index = c.name();
    auto table = c.accept("ON") ? table_name(c) : std::nullopt;
    while ((c.accept("ALGORITHM") || c.accept("LOCK")) && (c.accept_punct("="), c.name())) {}
    if (!index || !table) {
        d.unread = rest_or(c, "DROP INDEX without its name or table");
        return;
    }
    d.kind = Ddl::Kind::drop_index;
    d.table = table->name;
    d.schema = table->schema;
    d.indexes.push_back({.at = table->at, .kind = IndexKind::plain, .columns = {}, .name = *index});
    if (!c.done()) d.unread = c.rest_text();
}

void parse_rename(Cursor& c, Ddl& d) {
    if (!c.accept("TABLE") && !c.accept("TABLES")) {
        d.unread = rest_or(c, "RENAME");
        return;
    }
    d.kind = Ddl::Kind::rename_table;
    d.object = "table";
    do {
        auto from = table_name(c);
        auto to = from && c.accept("TO") ? table_name(c) : std::nullopt;
        if (!to) {
            d.unread = rest_or(c, "RENAME TABLE without the new name");
            return;
        }
        d.renames.push_back({*from, *to});
    } while (c.accept_punct(","));
    if (!c.done()) d.unread = c.rest_text();
}

}  // namespace

Ddl parse_statement(const Tokens& t) {
    Ddl d;
    Cursor c(t, 0, t.size());
    if (c.accept("CREATE")) {
        parse_create(c, t, d);
    } else if (c.accept("ALTER")) {
        while (c.accept("ONLINE") || c.accept("OFFLINE") || c.accept("IGNORE")) {}
        d.object = c.peek() ? lower(c.peek()->text) : "";
        if (c.accept("TABLE"))
            parse_alter_table(c, t, d);
        else
            d.unread = rest_or(c, "ALTER");
    } else if (c.accept("DROP")) {
        parse_drop(c, d);
    } else if (c.accept("RENAME")) {
        parse_rename(c, d);
    } else if (c.accept("TRUNCATE")) {
        c.accept("TABLE");
        if (auto table = table_name(c)) {
            d.kind = Ddl::Kind::truncate;
            d.table = table->name;
            d.schema = table->schema;
        }
        d.unread = c.rest_text();
    } else {
        d.unread = c.rest_text();
    }
    return d;
}

}  // namespace migrate::sql
