// A small reader of CREATE/ALTER/DROP TABLE, TRUNCATE, CREATE INDEX and RENAME TABLE (ddl.hpp).
#include "ddl.hpp"

#include "../run/probe/tokens.hpp"

namespace migrate::lint {
namespace {

using run::probe::is_name;
using run::probe::is_punct;
using run::probe::is_word_in;
using Tokens = std::vector<sql::Token>;

bool kw(const Tokens& t, std::size_t i, std::string_view upper) { return i < t.size() && sql::keyword_is(t[i], upper); }

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

// [begin, end) cut at top-level commas.
std::vector<std::pair<std::size_t, std::size_t>> split_commas(const Tokens& t, std::size_t begin, std::size_t end) {
    std::vector<std::pair<std::size_t, std::size_t>> parts;
    int depth = 0;
    std::size_t start = begin;
    for (std::size_t i = begin; i < end; ++i) {
        if (is_punct(t[i], "("))
            ++depth;
        else if (is_punct(t[i], ")"))
            --depth;
        else if (depth == 0 && is_punct(t[i], ",")) {
            if (i > start) parts.emplace_back(start, i);
            start = i + 1;
        }
    }
    if (end > start) parts.emplace_back(start, end);
    return parts;
}

// `[schema.]name` at i: the name, lower-cased; i moves past it.
std::string table_name(const Tokens& t, std::size_t& i, std::size_t end) {
    if (i >= end || !is_name(t[i])) return {};
    std::string name = t[i++].value;
    if (i + 1 < end && is_punct(t[i], ".") && is_name(t[i + 1])) {
        name = t[i + 1].value;
        i += 2;
    }
    return lower_name(name);
}

// The column names of a key part list `(a, b(10) DESC, ...)` whose '(' is at i.
std::vector<std::string> key_columns(const Tokens& t, std::size_t i, std::size_t end) {
    std::vector<std::string> cols;
    if (i >= end || !is_punct(t[i], "(")) return cols;
    const auto close = skip_group(t, i, end) - 1;
    for (auto [b, e] : split_commas(t, i + 1, close))
        if (is_name(t[b])) cols.push_back(lower_name(t[b].value));
    return cols;
}

ColumnSpec parse_column(const Tokens& t, std::size_t b, std::size_t e) {
    ColumnSpec c;
    if (b >= e) return c;
    c.at = &t[b];
    c.name = lower_name(t[b].value);
    std::size_t i = b + 1;
    if (i < e) {
        c.type_at = &t[i];
        c.type_word = run::probe::lower(t[i].text);
        run::probe::Cursor cur(t, i, e);
        std::string why;
        c.type = run::probe::parse_type(cur, why);
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
            if (i + 1 < e && is_punct(t[i + 1], "("))
                i = skip_group(t, i + 1, e) - 1;
            else if (i + 2 < e && (is_punct(t[i + 1], "-") || is_punct(t[i + 1], "+")))
                i += 2;
            else
                ++i;
        } else if (kw(t, i, "AUTO_INCREMENT")) {
            c.auto_increment = true;
        } else if (is_word_in(t[i], {"AS", "GENERATED"})) {
            c.generated = true;
        } else if (kw(t, i, "UNIQUE")) {
            c.unique = true;
        } else if (kw(t, i, "PRIMARY")) {
            c.primary = true;
        } else if (kw(t, i, "REFERENCES")) {
            c.references = &t[i];
        } else if (kw(t, i, "COMMENT") || kw(t, i, "COLLATE")) {
            ++i;  // its argument could read like a keyword
        }
    }
    return c;
}

// A table constraint or index definition at [b, e) (after ADD, or inside CREATE TABLE); false when the
// range is a column definition.
bool parse_constraint(const Tokens& t, std::size_t b, std::size_t e, Ddl& d, IndexSpec* index) {
    if (b >= e || t[b].kind != sql::TokenKind::word) return false;
    std::size_t i = b;
    if (kw(t, i, "CONSTRAINT")) {
        ++i;
        if (i < e && is_name(t[i]) && !is_word_in(t[i], {"PRIMARY", "UNIQUE", "FOREIGN", "CHECK"})) ++i;
    } else if (!is_word_in(t[i], {"PRIMARY", "UNIQUE", "KEY", "INDEX", "FULLTEXT", "SPATIAL", "FOREIGN", "CHECK",
                                  "PARTITION", "PERIOD", "SYSTEM"})) {
        return false;
    }
    if (kw(t, i, "FOREIGN")) {
        d.foreign_keys.push_back(&t[b]);
        return true;
    }
    const bool unique = kw(t, i, "UNIQUE");
    const bool keyed = unique || is_word_in(t[i], {"KEY", "INDEX", "FULLTEXT", "SPATIAL"});
    if (index && keyed) {
        index->at = &t[b];
        index->unique = unique;
        for (std::size_t j = i; j < e; ++j)
            if (is_punct(t[j], "(")) {
                index->columns = key_columns(t, j, e);
                break;
            }
    }
    return true;
}

void parse_create_table(const Tokens& t, std::size_t i, Ddl& d) {
    if (kw(t, i, "IF")) i += 3;
    d.table = table_name(t, i, t.size());
    if (d.table.empty() || i >= t.size() || !is_punct(t[i], "(")) return;
    d.kind = Ddl::Kind::create_table;
    const auto close = skip_group(t, i, t.size()) - 1;
    for (auto [b, e] : split_commas(t, i + 1, close)) {
        IndexSpec index;
        if (parse_constraint(t, b, e, d, &index)) {
            if (index.at) d.indexes.push_back(index);
            continue;
        }
        auto c = parse_column(t, b, e);
        if (c.references) d.foreign_keys.push_back(c.references);
        d.columns.push_back(std::move(c));
    }
}

AlterClause parse_clause(const Tokens& t, std::size_t b, std::size_t e, Ddl& d) {
    AlterClause a;
    a.at = &t[b];
    std::size_t i = b + 1;
    const bool column_word = kw(t, i, "COLUMN");
    if (column_word) ++i;
    if (kw(t, b, "ADD")) {
        if (kw(t, i, "IF")) i += 3;
        if (!column_word && parse_constraint(t, i, e, d, &a.index)) {
            if (a.index.at) a.kind = ClauseKind::add_index;
            return a;
        }
        a.kind = ClauseKind::add_column;
        a.column = parse_column(t, i, e);
        if (a.column.references) d.foreign_keys.push_back(a.column.references);
    } else if (kw(t, b, "DROP")) {
        if (kw(t, i, "IF")) i += 2;
        if (i >= e || (!column_word && is_word_in(t[i], {"INDEX", "KEY", "FOREIGN", "PRIMARY", "CONSTRAINT", "CHECK",
                                                         "PARTITION", "PERIOD", "SYSTEM"})))
            return a;
        a.kind = ClauseKind::drop_column;
        a.old_name = lower_name(t[i].value);
    } else if (kw(t, b, "MODIFY") || kw(t, b, "CHANGE")) {
        if (kw(t, i, "IF")) i += 2;
        if (i >= e) return a;
        a.kind = ClauseKind::modify_column;
        a.old_name = lower_name(t[i].value);
        a.column = parse_column(t, kw(t, b, "CHANGE") ? i + 1 : i, e);
    } else if (kw(t, b, "RENAME")) {
        if (column_word && i + 2 < e && kw(t, i + 1, "TO")) {
            a.kind = ClauseKind::rename_column;
            a.old_name = lower_name(t[i].value);
            a.column.name = lower_name(t[i + 2].value);
            a.column.at = &t[i + 2];
        } else if (!is_word_in(t[i], {"INDEX", "KEY"})) {
            if (kw(t, i, "TO") || kw(t, i, "AS")) ++i;
            auto to = table_name(t, i, e);
            if (!to.empty()) d.renames.emplace_back(d.table, to);
        }
    }
    return a;
}

void parse_alter_table(const Tokens& t, std::size_t i, Ddl& d) {
    if (kw(t, i, "IF")) i += 2;
    d.table = table_name(t, i, t.size());
    if (d.table.empty()) return;
    d.kind = Ddl::Kind::alter_table;
    for (auto [b, e] : split_commas(t, i, t.size())) {
        auto clause = parse_clause(t, b, e, d);
        if (clause.kind == ClauseKind::add_column && b + 1 < e && is_punct(t[b + 1], "(")) {
            // ADD (a int, b int): one clause per column.
            const auto close = skip_group(t, b + 1, e) - 1;
            for (auto [cb, ce] : split_commas(t, b + 2, close)) {
                AlterClause one;
                one.kind = ClauseKind::add_column;
                one.at = &t[b];
                one.column = parse_column(t, cb, ce);
                d.clauses.push_back(std::move(one));
            }
            continue;
        }
        d.clauses.push_back(std::move(clause));
    }
}

}  // namespace

std::string lower_name(std::string_view name) { return run::probe::lower(name); }

Ddl parse_ddl(const Statement& s) {
    const Tokens& t = s.tokens;
    Ddl d;
    std::size_t i = 1;
    if (kw(t, 0, "CREATE")) {
        if (kw(t, i, "OR")) i += 2;
        while (i < t.size() && is_word_in(t[i], {"TEMPORARY", "UNIQUE", "FULLTEXT", "SPATIAL", "ONLINE", "OFFLINE"}))
            ++i;
        if (kw(t, i, "TABLE")) {
            parse_create_table(t, i + 1, d);
        } else if (kw(t, i, "INDEX")) {
            IndexSpec index{.at = &t[0], .unique = kw(t, 1, "UNIQUE") || kw(t, 2, "UNIQUE"), .columns = {}};
            for (std::size_t j = i; j < t.size(); ++j)
                if (kw(t, j, "ON")) {
                    ++j;
                    d.table = table_name(t, j, t.size());
                    index.columns = key_columns(t, j, t.size());
                    d.kind = Ddl::Kind::create_index;
                    d.indexes.push_back(std::move(index));
                    break;
                }
        }
    } else if (kw(t, 0, "ALTER")) {
        while (i < t.size() && is_word_in(t[i], {"ONLINE", "OFFLINE", "IGNORE"})) ++i;
        if (kw(t, i, "TABLE")) parse_alter_table(t, i + 1, d);
    } else if (kw(t, 0, "DROP")) {
        if (kw(t, i, "TEMPORARY")) ++i;
        if (!kw(t, i, "TABLE") && !kw(t, i, "TABLES")) return d;
        ++i;
        if (kw(t, i, "IF")) i += 2;
        d.kind = Ddl::Kind::drop_table;
        for (auto [b, e] : split_commas(t, i, t.size())) {
            std::size_t j = b;
            const sql::Token* at = &t[b];
            auto name = table_name(t, j, e);
            if (!name.empty()) d.tables.emplace_back(name, at);
        }
    } else if (kw(t, 0, "TRUNCATE")) {
        if (kw(t, i, "TABLE")) ++i;
        d.table = table_name(t, i, t.size());
        if (!d.table.empty()) d.kind = Ddl::Kind::truncate;
    } else if (kw(t, 0, "RENAME") && (kw(t, 1, "TABLE") || kw(t, 1, "TABLES"))) {
        d.kind = Ddl::Kind::rename_table;
        for (auto [b, e] : split_commas(t, 2, t.size())) {
            std::size_t j = b;
            auto from = table_name(t, j, e);
            if (kw(t, j, "TO")) ++j;
            auto to = table_name(t, j, e);
            if (!from.empty() && !to.empty()) d.renames.emplace_back(from, to);
        }
    }
    return d;
}

}  // namespace migrate::lint
