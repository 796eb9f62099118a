#include "statement_probe.hpp"

#include "../sql/tokenizer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <optional>

namespace migrate::run {
namespace {

using sql::Token;
using sql::TokenKind;
using Tokens = std::vector<Token>;

// ───── Tokens ─────

bool is_punct(const Token& t, std::string_view p) { return t.kind == TokenKind::punct && t.text == p; }
bool is_name(const Token& t) { return t.kind == TokenKind::word || t.kind == TokenKind::quoted_identifier; }
bool is_word_in(const Token& t, std::initializer_list<std::string_view> upper) {
    return std::any_of(upper.begin(), upper.end(), [&](std::string_view u) { return sql::keyword_is(t, u); });
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Column, index and constraint names compare case-insensitively on every platform.
bool same_name(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

// The tokens of the one statement in `text`, trailing semicolons dropped; nullopt when the text holds
// more than one statement or does not tokenize.
std::optional<Tokens> one_statement(std::string_view text, const sql::Options& options) {
    Tokens t = sql::significant(text, options);
    while (!t.empty() && is_punct(t.back(), ";")) t.pop_back();
    for (const auto& tok : t)
        if (tok.kind == TokenKind::error || is_punct(tok, ";")) return std::nullopt;
    return t;
}

// Ranges [begin, end) between commas outside parentheses.
std::vector<std::pair<std::size_t, std::size_t>> split_commas(const Tokens& t, std::size_t begin, std::size_t end) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    int depth = 0;
    std::size_t start = begin;
    for (std::size_t i = begin; i < end; ++i) {
        if (is_punct(t[i], "("))
            ++depth;
        else if (is_punct(t[i], ")"))
            --depth;
        else if (depth == 0 && is_punct(t[i], ",")) {
            out.emplace_back(start, i);
            start = i + 1;
        }
    }
    out.emplace_back(start, end);
    return out;
}

// A walk over a range of significant tokens.
class Cursor {
public:
    Cursor(const Tokens& t, std::size_t begin, std::size_t end) : t_(&t), i_(begin), end_(end) {}

    bool done() const { return i_ >= end_; }
    const Token* peek(std::size_t k = 0) const { return i_ + k < end_ ? &(*t_)[i_ + k] : nullptr; }
    bool is(std::string_view kw, std::size_t k = 0) const { return peek(k) && sql::keyword_is(*peek(k), kw); }
    bool is_punct(std::string_view p) const { return peek() && run::is_punct(*peek(), p); }
    bool accept(std::string_view kw) { return is(kw) ? (++i_, true) : false; }
    // All of `kws` in order, or nothing.
    bool accept_all(std::initializer_list<std::string_view> kws) {
        std::size_t k = 0;
        for (auto kw : kws)
            if (!is(kw, k++)) return false;
        i_ += kws.size();
        return true;
    }
    bool accept_punct(std::string_view p) { return is_punct(p) ? (++i_, true) : false; }
    std::optional<std::string> name() {
        if (!peek() || !is_name(*peek())) return std::nullopt;
        return (*t_)[i_++].value;
    }
    void skip() { ++i_; }
    std::size_t pos() const { return i_; }
    std::string rest_text() const {  // for messages
        if (done()) return "";
        const Token& first = (*t_)[i_];
        const Token& last = (*t_)[end_ - 1];
        std::string_view s(first.text.data(), last.text.data() + last.text.size() - first.text.data());
        if (s.size() <= 60) return std::string(s);
        std::size_t cut = 57;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
        return std::string(s.substr(0, cut)) + "...";
    }

private:
    const Tokens* t_;
    std::size_t i_, end_;
};

// ───── What a statement claims about the schema ─────

struct Name {
    std::string schema;  // empty: the current database
    std::string name;
    bool operator==(const Name&) const = default;
};

std::optional<Name> table_name(Cursor& c) {
    auto first = c.name();
    if (!first) return std::nullopt;
    if (!c.accept_punct(".")) return Name{"", *first};
    auto second = c.name();
    if (!second) return std::nullopt;
    return Name{*first, *second};
}

// A string literal for a name: tracking::sql_string_literal's form, except that text with a backslash
// (which reads differently under NO_BACKSLASH_ESCAPES) goes as hex, with a character set introducer so
// that it is text, compared in information_schema's collation like any other name.
std::string literal(std::string_view text) {
    if (text.find('\\') == std::string_view::npos && text.find('\0') == std::string_view::npos) {
        std::string out = "'";
        for (char ch : text) out += ch == '\'' ? std::string("''") : std::string(1, ch);
        return out + "'";
    }
    std::string out = "_utf8mb4 X'";
    for (unsigned char ch : text) out += fmt::format("{:02X}", ch);
    return out + "'";
}

std::string quote(std::string_view name) {
    std::string out = "`";
    for (char ch : name) out += ch == '`' ? std::string("``") : std::string(1, ch);
    return out + "`";
}
std::string quote(const Name& n) { return n.schema.empty() ? quote(n.name) : quote(n.schema) + "." + quote(n.name); }

enum class Object { table, column, index, foreign_key, constraint };

// "<object> is present" (or absent) once the statement has taken effect.
struct Expect {
    Object object;
    Name table;
    std::string name;  // unused for Object::table
    bool present;
};

std::string describe(const Expect& e) {
    switch (e.object) {
        case Object::table: return "table " + quote(e.table);
        case Object::column: return "column " + quote(e.table) + "." + quote(e.name);
        case Object::index:
            return e.name == "PRIMARY" ? "primary key on " + quote(e.table)
                                       : "index " + quote(e.name) + " on " + quote(e.table);
        case Object::foreign_key: return "foreign key " + quote(e.name) + " on " + quote(e.table);
        case Object::constraint: return "constraint " + quote(e.name) + " on " + quote(e.table);
    }
    return "";
}

// A column type in canonical form, so a definition and information_schema.columns.column_type compare.
struct Type {
    std::string name;
    std::vector<std::string> args;
    bool is_unsigned = false;
    bool operator==(const Type&) const = default;
};

bool is_integer_type(const Type& t) {
    return t.name == "tinyint" || t.name == "smallint" || t.name == "mediumint" || t.name == "int" ||
           t.name == "bigint";
}
bool is_text_type(const Type& t) {
    for (auto n : {"char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set"})
        if (t.name == n) return true;
    return false;
}

std::string render(const Type& t) {
    std::string out = t.name;
    if (!t.args.empty()) {
        out += "(";
        for (std::size_t i = 0; i < t.args.size(); ++i) {
            if (i) out += ",";
            out += t.name == "enum" || t.name == "set" ? literal(t.args[i]) : t.args[i];
        }
        out += ")";
    }
    return t.is_unsigned ? out + " unsigned" : out;
}

// MySQL's aliases and implied arguments; nullopt (with `why`) for types this probe does not compare.
std::optional<Type> canonical(Type t, std::string& why) {
    static const std::pair<std::string_view, std::string_view> aliases[] = {
        {"integer", "int"},         {"int1", "tinyint"}, {"int2", "smallint"},   {"int3", "mediumint"},
        {"middleint", "mediumint"}, {"int4", "int"},     {"int8", "bigint"},     {"bool", "tinyint"},
        {"boolean", "tinyint"},     {"dec", "decimal"},  {"numeric", "decimal"}, {"fixed", "decimal"},
        {"real", "double"}};
    for (auto [from, to] : aliases)
        if (t.name == from) t.name = to;
    const auto n = t.args.size();
    if (is_integer_type(t) || t.name == "year") {
        t.args.clear();  // a display width, which MySQL 8 no longer shows
    } else if (t.name == "decimal") {
        if (n == 0) t.args = {"10", "0"};
        if (n == 1) t.args.push_back("0");
    } else if (t.name == "char" || t.name == "binary" || t.name == "bit") {
        if (n == 0) t.args = {"1"};
    } else if (t.name == "time" || t.name == "datetime" || t.name == "timestamp") {
        if (n == 1 && t.args[0] == "0") t.args.clear();
    } else if (t.name == "enum" || t.name == "set") {
        for (auto& v : t.args) v.erase(v.find_last_not_of(' ') + 1);  // the server drops trailing spaces
    }
    const bool ok =
        is_integer_type(t) || t.name == "year" || t.name == "date" || t.name == "json" ||
        (t.name == "decimal" && t.args.size() == 2) ||
        ((t.name == "double" || t.name == "float") && (n == 0 || n == 2)) ||
        ((t.name == "char" || t.name == "binary" || t.name == "bit" || t.name == "varchar" || t.name == "varbinary") &&
         t.args.size() == 1) ||
        ((t.name == "time" || t.name == "datetime" || t.name == "timestamp") && t.args.size() <= 1) ||
        ((t.name == "enum" || t.name == "set") && n > 0) ||
        (n == 0 && (t.name == "tinytext" || t.name == "text" || t.name == "mediumtext" || t.name == "longtext" ||
                    t.name == "tinyblob" || t.name == "blob" || t.name == "mediumblob" || t.name == "longblob"));
    if (!ok) {
        why = fmt::format("type {} is not compared", render(t));
        return std::nullopt;
    }
    return t;
}

// `name [(args)] [UNSIGNED|SIGNED]…`
std::optional<Type> parse_type(Cursor& c, std::string& why) {
    const Token* word = c.peek();
    if (!word || word->kind != TokenKind::word) {
        why = "no data type";
        return std::nullopt;
    }
    Type t{lower(word->text), {}, false};
    c.skip();
    if (t.name == "double") c.accept("PRECISION");
    if (c.accept_punct("(")) {
        for (;;) {
            const Token* a = c.peek();
            if (!a || (a->kind != TokenKind::number && a->kind != TokenKind::string)) {
                why = "type arguments are not plain";
                return std::nullopt;
            }
            t.args.push_back(a->kind == TokenKind::number ? std::string(a->text) : a->value);
            c.skip();
            if (c.accept_punct(")")) break;
            if (!c.accept_punct(",")) {
                why = "type arguments are not plain";
                return std::nullopt;
            }
        }
    }
    for (;;) {
        if (c.accept("UNSIGNED"))
            t.is_unsigned = true;
        else if (!c.accept("SIGNED"))
            break;
    }
    return canonical(std::move(t), why);
}

std::optional<std::string> canonical_integer(std::string_view s) {
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s.empty() || !std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        return std::nullopt;
    s.remove_prefix(std::min(s.find_first_not_of('0'), s.size() - 1));
    return (negative && s != "0" ? "-" : "") + std::string(s);
}

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

bool parse_default(Cursor& c, ColumnDef& d, std::string& why) {
    const Token* t = c.peek();
    if (c.accept("NULL")) {
        d.default_kind = ColumnDef::Default::null;
        return true;
    }
    if (t && t->kind == TokenKind::string) {
        d.default_kind = ColumnDef::Default::string;
        d.default_value = t->value;
        c.skip();
        return true;
    }
    std::string sign;
    if (t && (is_punct(*t, "-") || is_punct(*t, "+")) && c.peek(1)) {
        sign = std::string(t->text);
        t = c.peek(1);
    }
    std::optional<std::string> n;  // from the text: X'10' and 0x10 are numbers too, but not decimal ones
    if (t && t->kind == TokenKind::number) n = canonical_integer(sign + std::string(t->text));
    if (!n) {
        why = "the DEFAULT is not NULL, a string or an integer";
        return false;
    }
    d.default_kind = ColumnDef::Default::integer;
    d.default_value = *n;
    c.skip();
    if (!sign.empty()) c.skip();
    return true;
}

std::optional<ColumnDef> parse_definition(Cursor& c, std::string& why) {
    ColumnDef d;
    auto type = parse_type(c, why);
    if (!type) return std::nullopt;
    d.type = std::move(*type);
    while (!c.done()) {
        if (c.accept_all({"NOT", "NULL"}))
            d.nullable = false;
        else if (c.accept("NULL"))
            d.nullable = true;
        else if (c.accept("DEFAULT")) {
            if (!parse_default(c, d, why)) return std::nullopt;
        } else {
            why = fmt::format("`{}` in the column definition is not compared", c.peek()->text);
            return std::nullopt;
        }
    }
    return d;
}

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

struct Parsed {
    std::vector<Clause> clauses;
    std::string undecidable;
    std::optional<Name> subject;     // the table the clauses act on: it must exist
    std::optional<Name> renamed_to;  // ALTER TABLE subject RENAME TO …
    bool safe_to_retry = false;
};

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
    if (c.accept_all({"OR", "REPLACE"}))
        return not_probed("CREATE OR REPLACE replaces what exists, so existence proves nothing");
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

Parsed parse_ddl(const Tokens& t) {
    Cursor c(t, 0, t.size());
    if (c.accept("CREATE")) return parse_create(c, t);
    if (c.accept("ALTER")) return parse_alter(c, t);
    if (c.accept("DROP")) return parse_drop_statement(c);
    if (c.accept("RENAME")) return parse_rename(c);
    if (c.accept("TRUNCATE")) return not_probed("TRUNCATE empties a table, which the schema cannot show");
    return not_probed(c.rest_text() + " is not probed");
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

// ───── Reading the schema ─────

struct Session {
    std::string database;
    bool exact_table_names = true;  // lower_case_table_names = 0
    bool mariadb = false;
    bool explicit_timestamps = true;
    sql::Options options;  // from sql_mode: how the server reads the statement
};

Session read_session(connect::Connection& conn) {
    auto rows = conn.query(
        "select database(), @@lower_case_table_names, @@session.sql_mode, version(), "
        "@@explicit_defaults_for_timestamp");
    Session s;
    if (rows.empty() || rows[0].size() < 5) return s;
    const auto& r = rows[0];
    s.database = r[0].value_or("");
    s.exact_table_names = r[1].value_or("0") == "0";
    std::string mode = "," + r[2].value_or("") + ",";
    s.options.backslash_escapes = mode.find(",NO_BACKSLASH_ESCAPES,") == std::string::npos;
    s.options.ansi_quotes = mode.find(",ANSI_QUOTES,") != std::string::npos;
    s.mariadb = r[3].value_or("").find("MariaDB") != std::string::npos;
    s.explicit_timestamps = r[4].value_or("1") != "0";
    return s;
}

enum class Verdict { holds, fails, unknown };
struct Finding {
    Verdict verdict;
    std::string reason;
};

class Catalog {
public:
    Catalog(connect::Connection& conn, Session session) : conn_(conn), s_(std::move(session)) {}

    const Session& session() const { return s_; }

    bool exists(Object object, const Name& table, const std::string& name) {
        const std::string where =
            fmt::format("table_schema = {} and table_name = {}", schema(table), literal(table.name));
        switch (object) {
            case Object::table:
                return any_row(fmt::format("select table_name from information_schema.tables where {} and "
                                           "table_type in ('BASE TABLE', 'SYSTEM VERSIONED')",
                                           where),
                               table);
            case Object::column:
                return any_row(fmt::format("select table_name from information_schema.columns where {} and "
                                           "column_name = {}",
                                           where, literal(name)),
                               table);
            case Object::index:
                return any_row(fmt::format("select table_name from information_schema.statistics where {} and "
                                           "index_name = {}",
                                           where, literal(name)),
                               table);
            case Object::foreign_key:
            case Object::constraint:
                return any_row(fmt::format("select table_name from information_schema.table_constraints where {} and "
                                           "constraint_name = {}{}",
                                           where, literal(name),
                                           object == Object::foreign_key ? " and constraint_type = 'FOREIGN KEY'" : ""),
                               table);
        }
        return false;
    }

    Finding check(const Expect& e) {
        const bool present = exists(e.object, e.table, e.name);
        return {present == e.present ? Verdict::holds : Verdict::fails,
                describe(e) + (present ? " exists" : " does not exist")};
    }

    Finding check(const DefinitionCheck& d);

private:
    std::string schema(const Name& n) const { return literal(n.schema.empty() ? s_.database : n.schema); }

    // information_schema compares names case-insensitively; table names are case-sensitive when
    // lower_case_table_names = 0, so rows are filtered on their first column, the table name.
    bool any_row(const std::string& query, const Name& table) {
        for (const auto& row : conn_.query(query))
            if (!row.empty() && row[0] && (!s_.exact_table_names || *row[0] == table.name)) return true;
        return false;
    }

    connect::Connection& conn_;
    Session s_;
};

Finding Catalog::check(const DefinitionCheck& d) {
    const std::string column = quote(d.table) + "." + quote(d.column);
    // Constants on every information_schema table, so the server opens only this table's metadata.
    const std::string schema_lit = schema(d.table), table_lit = literal(d.table.name);
    auto rows = conn_.query(fmt::format(
        "select c.table_name, c.column_type, c.is_nullable, c.column_default, c.collation_name, c.extra, "
        "c.column_comment, t.table_collation, exists(select 1 from information_schema.statistics s where "
        "s.table_schema = {0} and s.table_name = {1} and s.table_name = c.table_name and s.index_name = 'PRIMARY' "
        "and s.column_name = c.column_name) "
        "from information_schema.columns c join information_schema.tables t on t.table_schema = {0} and "
        "t.table_name = {1} and t.table_name = c.table_name "
        "where c.table_schema = {0} and c.table_name = {1} and c.column_name = {2}",
        schema_lit, table_lit, literal(d.column)));
    std::erase_if(
        rows, [&](const connect::Row& r) { return r.size() < 9 || (s_.exact_table_names && r[0] != d.table.name); });
    if (rows.empty()) return {Verdict::unknown, "column " + column + " does not exist"};
    const auto& r = rows[0];
    const ColumnDef& def = d.def;

    const std::string column_type = r[1].value_or("");
    // The server renders types and defaults with backslash escapes whatever the sql_mode.
    const Tokens type_tokens = sql::significant(column_type);
    Cursor tc(type_tokens, 0, type_tokens.size());
    std::string why;
    auto actual = parse_type(tc, why);
    if (!actual || !tc.done()) return {Verdict::unknown, column + " has type " + column_type + ", not compared"};
    if (def.type.name == "json" && actual->name == "longtext")
        return {Verdict::unknown, column + " is longtext, which is how MariaDB stores json"};
    if (!(*actual == def.type))
        return {Verdict::fails, column + " is " + column_type + ", the statement makes it " + render(def.type)};

    const bool primary = r[8] == "1";
    if (!def.nullable && def.type.name == "timestamp" && !s_.explicit_timestamps)
        return {Verdict::unknown,
                "with explicit_defaults_for_timestamp off, the server picks the NULL-ness of " + column};
    const bool nullable = def.nullable.value_or(!primary);  // primary key columns are NOT NULL
    if ((r[2] == "YES") != nullable)
        return {Verdict::fails, column + (nullable ? " is NOT NULL" : " allows NULL") + ", the statement changes that"};

    const auto& actual_default = r[3];
    bool same_default = false;
    switch (def.default_kind) {
        case ColumnDef::Default::null:
            if (!nullable) return {Verdict::unknown, "DEFAULT NULL on a NOT NULL column " + column};
            [[fallthrough]];
        case ColumnDef::Default::none:
            // MariaDB shows DEFAULT NULL as the word NULL, MySQL as SQL NULL.
            same_default = !actual_default || (s_.mariadb && nullable && *actual_default == "NULL");
            break;
        case ColumnDef::Default::string: {
            if (!is_text_type(def.type))
                return {Verdict::unknown, "a string DEFAULT on " + render(def.type) + " is not compared"};
            if (!actual_default) break;
            if (!s_.mariadb) {  // MySQL shows the value, MariaDB a literal
                same_default = *actual_default == def.default_value;
                break;
            }
            auto lit = sql::significant(*actual_default);
            same_default = lit.size() == 1 && lit[0].kind == TokenKind::string && lit[0].value == def.default_value;
            break;
        }
        case ColumnDef::Default::integer:
            if (!is_integer_type(def.type))
                return {Verdict::unknown, "a numeric DEFAULT on " + render(def.type) + " is not compared"};
            same_default = actual_default && canonical_integer(*actual_default) == def.default_value;
            break;
    }
    if (!same_default)
        return {Verdict::fails,
                column + " has DEFAULT " + actual_default.value_or("(none)") + ", the statement changes it"};
    if (!r[5].value_or("").empty()) return {Verdict::fails, column + " has " + *r[5] + ", which the statement removes"};
    if (!r[6].value_or("").empty()) return {Verdict::fails, column + " has a comment, which the statement removes"};
    // Without CHARACTER SET / COLLATE a MODIFY gives text columns the table's default collation.
    if (is_text_type(def.type) && r[4] != r[7])
        return {Verdict::fails,
                column + " has collation " + r[4].value_or("NULL") + ", not the table's " + r[7].value_or("NULL")};
    return {Verdict::holds, column + " matches the definition"};
}

// ───── Deciding ─────

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
    return out;
}

ProbeResult decide(const Clause& clause, Catalog& catalog) {
    if (!clause.undecidable.empty()) return {Effect::undecidable, clause.undecidable};
    std::vector<Finding> findings;
    for (const auto& e : clause.expect) findings.push_back(catalog.check(e));
    if (clause.definition) findings.push_back(catalog.check(*clause.definition));
    std::size_t holds = 0;
    std::vector<std::string> reasons;
    for (const auto& f : findings) {
        if (f.verdict == Verdict::unknown) return {Effect::undecidable, f.reason};
        holds += f.verdict == Verdict::holds;
        reasons.push_back(f.reason);
    }
    if (holds == findings.size()) return {Effect::applied, join(reasons)};
    if (holds == 0 || clause.leftovers_mean_not_applied) return {Effect::not_applied, join(reasons)};
    return {Effect::undecidable, "the schema matches neither before nor after: " + join(reasons)};
}

ProbeResult decide(Parsed p, Catalog& catalog) {
    if (!p.undecidable.empty()) return {Effect::undecidable, p.undecidable};
    if (p.subject) {
        // After ALTER TABLE a RENAME TO b, the other clauses are to be found on b.
        if (p.renamed_to && catalog.exists(Object::table, *p.renamed_to, "") &&
            !catalog.exists(Object::table, *p.subject, "")) {
            for (auto& clause : p.clauses) {
                if (clause.renames_subject) continue;
                for (auto& e : clause.expect)
                    if (e.table == *p.subject) e.table = *p.renamed_to;
                if (clause.definition && clause.definition->table == *p.subject)
                    clause.definition->table = *p.renamed_to;
            }
            p.subject = p.renamed_to;
        }
        if (!catalog.exists(Object::table, *p.subject, ""))
            return {Effect::undecidable, "table " + quote(*p.subject) + " does not exist"};
    }
    std::vector<ProbeResult> results;
    for (const auto& clause : p.clauses)
        if (!clause.neutral) results.push_back(decide(clause, catalog));
    if (results.empty()) return {Effect::undecidable, "the statement changes nothing the schema shows"};
    std::vector<std::string> reasons;
    for (const auto& r : results) {
        if (r.effect == Effect::undecidable) return r;
        reasons.push_back(r.reason);
    }
    const bool agree = std::all_of(results.begin(), results.end(),
                                   [&](const ProbeResult& r) { return r.effect == results[0].effect; });
    // ALTER TABLE and RENAME TABLE are atomic: clauses that disagree mean something else changed the table.
    if (!agree) return {Effect::undecidable, "clauses disagree: " + join(reasons)};
    return {results[0].effect, join(reasons)};
}

std::string_view class_name(StatementClass c) {
    switch (c) {
        case StatementClass::ddl: return "DDL";
        case StatementClass::dml: return "DML";
        case StatementClass::harmless: return "harmless";
        case StatementClass::unknown: return "unclassified";
    }
    return "";
}

}  // namespace

StatementClass classify_statement(std::string_view sql) {
    auto t = one_statement(sql, {});
    if (!t) return StatementClass::unknown;
    if (t->empty()) return StatementClass::harmless;
    return classify_tokens(*t, 0);
}

bool safe_to_retry(std::string_view sql) {
    auto t = one_statement(sql, {});
    if (!t) return false;
    if (t->empty()) return true;
    switch (classify_tokens(*t, 0)) {
        case StatementClass::harmless: return true;
        case StatementClass::ddl: return parse_ddl(*t).safe_to_retry;
        default: return false;
    }
}

ProbeResult probe_statement(connect::Connection& conn, std::string_view sql) {
    const StatementClass c = classify_statement(sql);
    if (c != StatementClass::ddl)
        return {Effect::undecidable, fmt::format("{} statement: not a schema change to probe", class_name(c))};
    Catalog catalog(conn, read_session(conn));
    // Tokenized again as the server reads it (ANSI_QUOTES, NO_BACKSLASH_ESCAPES).
    auto tokens = one_statement(sql, catalog.session().options);
    if (!tokens) return {Effect::undecidable, "not one statement under the server's sql_mode"};
    if (catalog.session().database.empty()) return {Effect::undecidable, "no current database"};
    return decide(parse_ddl(*tokens), catalog);
}

}  // namespace migrate::run
