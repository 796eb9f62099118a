// Column types and definitions for MODIFY comparisons, and their canonical forms (column_definition.hpp).
#include "column_definition.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace migrate::sql {
namespace {

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

}  // namespace

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

}  // namespace migrate::sql
