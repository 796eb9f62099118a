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

// `[schema.]name` at i: the name; i moves past it.
std::string table_name(const Tokens& t, std::size_t& i, std::size_t end) {
    if (i >= end || !is_name(t[i])) return {};
    std::string name = t[i++].value;
    if (i + 1 < end && is_punct(t[i], ".") && is_name(t[i + 1])) {
        name = t[i + 1].value;
        i += 2;
    }
    return name;
}

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

// A table constraint or index definition at [b, e) (after ADD, or inside CREATE TABLE): its clause kind
// (other for what the model does not read: partitions, periods, system versioning); nullopt when the range
// is a column definition.
std::optional<ClauseKind> parse_constraint(const Tokens& t, std::size_t b, std::size_t e, Ddl& d, IndexSpec& index) {
    if (b >= e || t[b].kind != TokenKind::word) return std::nullopt;
    std::size_t i = b;
    if (kw(t, i, "CONSTRAINT")) {
        ++i;
        if (i < e && is_name(t[i]) && !is_word_in(t[i], {"PRIMARY", "UNIQUE", "FOREIGN", "CHECK"})) ++i;
    } else if (!is_word_in(t[i], {"PRIMARY", "UNIQUE", "KEY", "INDEX", "FULLTEXT", "SPATIAL", "FOREIGN", "CHECK",
                                  "PARTITION", "PERIOD", "SYSTEM"})) {
        return std::nullopt;
    }
    if (kw(t, i, "FOREIGN")) {
        d.foreign_keys.push_back(&t[b]);
        return ClauseKind::add_foreign_key;
    }
    if (kw(t, i, "PRIMARY")) return ClauseKind::add_primary_key;
    if (kw(t, i, "CHECK")) return ClauseKind::add_check;
    if (!is_word_in(t[i], {"UNIQUE", "KEY", "INDEX", "FULLTEXT", "SPATIAL"})) return ClauseKind::other;
    index.at = &t[b];
    index.kind = kw(t, i, "UNIQUE")     ? IndexKind::unique
                 : kw(t, i, "FULLTEXT") ? IndexKind::fulltext
                 : kw(t, i, "SPATIAL")  ? IndexKind::spatial
                                        : IndexKind::plain;
    for (std::size_t j = i; j < e; ++j)
        if (is_punct(t[j], "(")) {
            index.columns = key_columns(t, j, e);
            break;
        }
    return ClauseKind::add_index;
}

void parse_create_table(const Tokens& t, std::size_t i, Ddl& d) {
    if (kw(t, i, "IF")) i += 3;
    d.table = table_name(t, i, t.size());
    if (d.table.empty()) return;
    d.kind = Ddl::Kind::create_table;
    if (i >= t.size() || !is_punct(t[i], "(")) return;  // CREATE TABLE t LIKE u, … AS SELECT
    const auto close = skip_group(t, i, t.size()) - 1;
    for (auto [b, e] : parts(t, i + 1, close)) {
        IndexSpec index;
        if (parse_constraint(t, b, e, d, index)) {
            if (index.at) d.indexes.push_back(index);
            continue;
        }
        auto c = parse_column(t, b, e);
        if (c.references) d.foreign_keys.push_back(c.references);
        d.columns.push_back(std::move(c));
    }
}

// The first word of the options ALTER TABLE takes besides its clauses.
bool is_option(const Token& t) {
    return is_word_in(t, {"ALGORITHM", "LOCK", "CONVERT", "ORDER", "ENGINE", "FORCE", "ROW_FORMAT", "KEY_BLOCK_SIZE",
                          "COMMENT", "AUTO_INCREMENT", "DEFAULT", "CHARACTER", "CHARSET", "COLLATE"});
}

AlterClause parse_clause(const Tokens& t, std::size_t b, std::size_t e, Ddl& d) {
    AlterClause a;
    a.at = &t[b];
    a.begin = b;
    a.end = e;
    std::size_t i = b + 1;
    const bool column_word = kw(t, i, "COLUMN");
    if (column_word) ++i;
    if (kw(t, b, "ADD")) {
        if (kw(t, i, "IF")) i += 3;
        if (!column_word)
            if (auto k = parse_constraint(t, i, e, d, a.index)) {
                a.kind = *k;
                return a;
            }
        a.kind = ClauseKind::add_column;
        a.column = parse_column(t, i, e);
        if (a.column.references) d.foreign_keys.push_back(a.column.references);
    } else if (kw(t, b, "DROP")) {
        if (kw(t, i, "IF")) i += 2;
        if (i >= e) return a;
        if (!column_word) {
            if (kw(t, i, "PRIMARY") && kw(t, i + 1, "KEY")) {
                a.kind = ClauseKind::drop_primary_key;
                return a;
            }
            if (is_word_in(t[i], {"INDEX", "KEY"})) a.kind = ClauseKind::drop_index;
            if (kw(t, i, "FOREIGN") && kw(t, i + 1, "KEY")) a.kind = ClauseKind::drop_foreign_key;
            if (is_word_in(t[i], {"CONSTRAINT", "CHECK"})) a.kind = ClauseKind::drop_constraint;
            if (is_word_in(t[i], {"INDEX", "KEY", "FOREIGN", "PRIMARY", "CONSTRAINT", "CHECK", "PARTITION", "PERIOD",
                                  "SYSTEM"}))
                return a;
        }
        a.kind = ClauseKind::drop_column;
        a.old_name = t[i].value;
    } else if (kw(t, b, "MODIFY") || kw(t, b, "CHANGE")) {
        if (kw(t, i, "IF")) i += 2;
        if (i >= e) return a;
        a.kind = ClauseKind::modify_column;
        a.old_name = t[i].value;
        a.column = parse_column(t, kw(t, b, "CHANGE") ? i + 1 : i, e);
    } else if (kw(t, b, "RENAME")) {
        if (column_word) {
            if (i + 2 >= e || !kw(t, i + 1, "TO")) return a;
            a.kind = ClauseKind::rename_column;
            a.old_name = t[i].value;
            a.column.name = t[i + 2].value;
            a.column.at = &t[i + 2];
        } else if (i < e && is_word_in(t[i], {"INDEX", "KEY"})) {
            a.kind = ClauseKind::rename_index;
        } else {
            if (kw(t, i, "TO") || kw(t, i, "AS")) ++i;
            auto to = table_name(t, i, e);
            if (to.empty()) return a;
            a.kind = ClauseKind::rename_table;
            d.renames.emplace_back(d.table, to);
        }
    } else if (kw(t, b, "ALTER")) {
        if (i >= e) return a;
        a.kind = ClauseKind::alter_column;
        a.old_name = t[i].value;
    } else if (is_option(t[b])) {
        a.kind = ClauseKind::option;
        a.option = lower(t[b].text);
        if (i < e && is_punct(t[i], "=")) ++i;
        if (i < e) a.value = lower(t[i].text);
    }
    return a;
}

void parse_alter_table(const Tokens& t, std::size_t i, Ddl& d) {
    if (kw(t, i, "IF")) i += 2;
    d.table = table_name(t, i, t.size());
    if (d.table.empty()) return;
    d.kind = Ddl::Kind::alter_table;
    if (kw(t, i, "WAIT")) i += 2;  // MariaDB: WAIT n | NOWAIT
    if (kw(t, i, "NOWAIT")) ++i;
    for (auto [b, e] : parts(t, i, t.size())) {
        auto clause = parse_clause(t, b, e, d);
        std::size_t open = b + 1;  // ADD [COLUMN] [IF NOT EXISTS] (a int, b int): one clause per column
        if (kw(t, open, "COLUMN")) ++open;
        if (kw(t, open, "IF")) open += 3;
        if (clause.kind == ClauseKind::add_column && open < e && is_punct(t[open], "(")) {
            const auto close = skip_group(t, open, e) - 1;
            for (auto [cb, ce] : parts(t, open + 1, close)) {
                AlterClause one = clause;
                one.column = parse_column(t, cb, ce);
                d.clauses.push_back(std::move(one));
            }
            continue;
        }
        d.clauses.push_back(std::move(clause));
    }
}

}  // namespace

Ddl parse_statement(const Tokens& t) {
    Ddl d;
    std::size_t i = 1;
    if (kw(t, 0, "CREATE")) {
        d.or_replace = kw(t, i, "OR");
        if (d.or_replace) i += 2;
        IndexSpec index{.at = &t[0], .kind = IndexKind::plain, .columns = {}};
        for (; i < t.size() && is_word_in(t[i], {"TEMPORARY", "UNIQUE", "FULLTEXT", "SPATIAL", "ONLINE", "OFFLINE"});
             ++i) {
            d.temporary = kw(t, i, "TEMPORARY") || d.temporary;
            if (kw(t, i, "UNIQUE")) index.kind = IndexKind::unique;
            if (kw(t, i, "FULLTEXT")) index.kind = IndexKind::fulltext;
            if (kw(t, i, "SPATIAL")) index.kind = IndexKind::spatial;
        }
        if (kw(t, i, "TABLE")) {
            parse_create_table(t, i + 1, d);
        } else if (kw(t, i, "INDEX")) {
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
        d.temporary = kw(t, i, "TEMPORARY");
        if (d.temporary) ++i;
        if (kw(t, i, "ONLINE") || kw(t, i, "OFFLINE")) ++i;
        if (kw(t, i, "INDEX")) {  // DROP INDEX [IF EXISTS] i ON t
            for (std::size_t j = i; j < t.size(); ++j)
                if (kw(t, j, "ON")) {
                    ++j;
                    d.table = table_name(t, j, t.size());
                    if (!d.table.empty()) d.kind = Ddl::Kind::drop_index;
                    break;
                }
            return d;
        }
        if (!kw(t, i, "TABLE") && !kw(t, i, "TABLES")) return d;
        ++i;
        if (kw(t, i, "IF")) i += 2;
        d.kind = Ddl::Kind::drop_table;
        for (auto [b, e] : parts(t, i, t.size())) {
            std::size_t j = b;
            const Token* at = &t[b];
            auto name = table_name(t, j, e);
            if (!name.empty()) d.tables.emplace_back(name, at);
        }
    } else if (kw(t, 0, "TRUNCATE")) {
        if (kw(t, i, "TABLE")) ++i;
        d.table = table_name(t, i, t.size());
        if (!d.table.empty()) d.kind = Ddl::Kind::truncate;
    } else if (kw(t, 0, "RENAME") && (kw(t, 1, "TABLE") || kw(t, 1, "TABLES"))) {
        d.kind = Ddl::Kind::rename_table;
        for (auto [b, e] : parts(t, 2, t.size())) {
            std::size_t j = b;
            auto from = table_name(t, j, e);
            if (kw(t, j, "TO")) ++j;
            auto to = table_name(t, j, e);
            if (!from.empty() && !to.empty()) d.renames.emplace_back(from, to);
        }
    }
    return d;
}

}  // namespace migrate::sql
