// How the server executes a DDL statement (ddl_cost.hpp). The rules, per clause, for InnoDB tables:
//
// clause (drizzle-kit's form)          MariaDB 10.11                  MySQL 8.0 (8.0.29+); Vitess, PlanetScale
// ───────────────────────────────────  ─────────────────────────────  ─────────────────────────────────────────
// ADD `c` <type> [FIRST|AFTER]         instant (before 10.4: last     instant (before 8.0.29: only as last column,
//                                      column only, else rebuild)     else rebuild; ServerTraits)
//   … AUTO_INCREMENT                   rebuild                        rebuild (no concurrent DML)
//   … AS (…) STORED                    copy                           copy
//   … UNIQUE / PRIMARY KEY inline      rebuild                        rebuild
//   … CHECK (…) inline                 instant                        copy (MySQL bug #117450)
//   on a table with a FULLTEXT index   rebuild                        rebuild (INSTANT unsupported there)
// DROP COLUMN `c`                      instant; in place if indexed   instant (8.0.29+; before: rebuild)
// RENAME COLUMN / CHANGE a b (same)    instant                        instant (8.0.28+)
// MODIFY/CHANGE: same type             instant (default, comment)     instant
//   widen VARCHAR/VARBINARY            instant                        in place if the length prefix stays 1 or
//                                                                     2 bytes (≤ 255 bytes either side), else copy
//   ENUM/SET: members appended         instant                        instant
//   NULL ↔ NOT NULL                    rebuild                        rebuild
//   FIRST/AFTER (reorder)              instant                        rebuild
//   any other type change              copy                           copy
// ALTER COLUMN SET/DROP DEFAULT        instant                        instant
// ADD INDEX / UNIQUE, CREATE INDEX     in place (builds the index)    in place
// ADD FULLTEXT: the table's first      rebuild (adds FTS_DOC_ID)      rebuild
//   … a further one                    in place                       in place
// ADD SPATIAL                          in place                       in place
// DROP INDEX                           in place (metadata)            in place (metadata)
// RENAME INDEX                         instant                        instant
// ADD PRIMARY KEY                      rebuild                        rebuild
// DROP PRIMARY KEY (alone)             copy                           copy (with ADD PRIMARY KEY: rebuild)
// ADD FOREIGN KEY (checks on)          copy                           copy (in place only with foreign_key_checks=0)
// DROP FOREIGN KEY                     instant                        in place (metadata)
// ADD CHECK                            copy (validates every row)     copy
// DROP CHECK / CONSTRAINT              instant                        instant
// ADD/DROP COLUMN next to an in-place  rebuild                        rebuild
//   clause in the same ALTER
// RENAME TO / RENAME TABLE             instant                        instant
// DROP TABLE, TRUNCATE                 instant                        instant
// CONVERT TO CHARACTER SET, ORDER BY   copy                           copy
// ENGINE=, FORCE, ROW_FORMAT=          rebuild                        rebuild
// table COMMENT, AUTO_INCREMENT=, DEFAULT CHARSET   instant           instant
// ALGORITHM=COPY                       copy                           copy
// CREATE TABLE, DML, views             not applicable                 not applicable
//
// Sources: MySQL 8.0 Reference Manual, "Online DDL Operations" (innodb-online-ddl-operations); MariaDB
// Knowledge Base, "InnoDB Online DDL Operations with the INSTANT / NOCOPY / INPLACE Alter Algorithm". The
// MariaDB column was checked against MariaDB 10.11 by running each clause with ALGORITHM=INSTANT, NOCOPY,
// INPLACE (the server refuses one it cannot use, 1845/1846): tests/integration/online_ddl_test.cpp.
#include "ddl_cost.hpp"

#include "../sql/statement.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace migrate::plan {
namespace {

using sql::ColumnSpec;
using sql::Cursor;
using sql::Tokens;
using sql::Type;
using A = DdlAlgorithm;

int rank(A a) {
    switch (a) {
        case A::not_applicable: return 0;
        case A::instant: return 1;
        case A::in_place: return 2;
        case A::rebuild: return 3;
        case A::copy: return 4;
        case A::depends: return 5;  // handled apart
    }
    return 5;
}

struct ClauseCost {
    A algorithm = A::depends;
    std::string reason;
    bool column_instant = false;  // ADD/DROP COLUMN done instantly alone, by a rebuild next to in-place work
    bool drops_primary = false, adds_primary = false;
    bool neutral = false;      // LOCK=, ALGORITHM=INPLACE/INSTANT: no work of its own
    bool forces_copy = false;  // ALGORITHM=COPY: a copy whatever the other clauses
};

ClauseCost cost(A a, std::string reason) { return {a, std::move(reason)}; }

std::string lname(std::string_view s) { return sql::lower(s); }

// A VARCHAR length as written into `out`; false for anything but a plain number of at most 9 digits.
bool length(const std::string& s, std::uint64_t& out) {
    if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    out = std::stoull(s);
    return true;
}

// The column definition's type as the reasons show it: canonical when it is modelled.
std::string type_text(const ColumnSpec& s) { return s.type ? sql::render(*s.type) : s.type_word; }

std::optional<Type> live_type(const LiveColumn& col) {
    const Tokens tokens = sql::significant(col.column_type);
    Cursor c(tokens, 0, tokens.size());
    std::string why;
    auto t = sql::parse_type(c, why);
    return t && c.done() ? t : std::nullopt;
}

const LiveColumn* find_column(const LiveTable* t, const std::string& name) {
    if (!t) return nullptr;
    auto it = t->columns.find(lname(name));
    return it == t->columns.end() ? nullptr : &it->second;
}

class Rules {
  public:
    Rules(Flavor flavor, const LiveTable* live, ServerTraits traits)
        : mariadb_(flavor == Flavor::mariadb), t_(live), traits_(traits) {}

    ClauseCost add_column(const std::string& name, const ColumnSpec& s) const {
        const std::string what = fmt::format("ADD `{}`", name);
        if (s.auto_increment) return cost(A::rebuild, what + " AUTO_INCREMENT: every row gets a value");
        if (s.generated && s.stored)
            return cost(A::copy, what + ": a stored generated column is computed for every row");
        if (s.primary) return cost(A::rebuild, what + " PRIMARY KEY: a new clustered index");
        if (s.unique) return cost(A::rebuild, what + " UNIQUE: the column and its index are built together");
        if (s.check && !mariadb_) return cost(A::copy, what + " with CHECK: MySQL validates every row by copying");
        if (t_ && t_->has_fulltext)
            return cost(A::rebuild, what + ": the table has a FULLTEXT index, so ADD COLUMN cannot be instant");
        if (s.positioned && !traits_.instant_column_anywhere)
            return cost(A::rebuild, what + " FIRST/AFTER: this server adds a column instantly only as the last one");
        ClauseCost c = cost(A::instant, what + (mariadb_ || !s.positioned ? "" : " (instant since MySQL 8.0.29)"));
        c.column_instant = true;
        return c;
    }

    ClauseCost drop_column(const std::string& name) const {
        const std::string what = fmt::format("DROP COLUMN `{}`", name);
        if (t_ && t_->has_fulltext)
            return cost(A::rebuild, what + ": the table has a FULLTEXT index, so DROP COLUMN cannot be instant");
        if (!traits_.instant_column_anywhere)
            return cost(A::rebuild, what + ": this server drops a column by rebuilding the table");
        if (mariadb_ && t_ && t_->indexed_columns.count(lname(name)))
            return cost(A::in_place, what + ": the column is indexed, its index is dropped in place");
        ClauseCost c = cost(A::instant, what + (mariadb_ ? "" : " (instant since MySQL 8.0.29)"));
        c.column_instant = true;
        return c;
    }

    // MODIFY `column` <s> / CHANGE `column` `to` <s>.
    ClauseCost modify(const std::string& column, const ColumnSpec& s) const {
        const std::string what = fmt::format("MODIFY `{}`", column);
        if (s.generated) return cost(A::depends, what + ": a generated column's change is not modelled");
        // MariaDB changes a collation within the character set instantly (checked); the rest is not modelled.
        if (s.charset || (s.collate && !mariadb_))
            return cost(A::depends, what + ": a character set or collation change is not modelled");
        const LiveColumn* was = find_column(t_, column);
        if (!was)
            return cost(A::depends, what + ": the current column decides (same type: instant; widening a VARCHAR: " +
                                        (mariadb_ ? "instant" : "in place or copy") +
                                        "; NULL ↔ NOT NULL: rebuild; another type: copy)");
        const auto old_type = live_type(*was);
        if (!old_type || !s.type)
            return cost(A::depends, fmt::format("{}: {} → {} is not modelled", what, was->column_type, type_text(s)));
        ClauseCost c = type_change(what, *old_type, *s.type, *was);
        if (was->nullable == s.not_null && rank(c.algorithm) < rank(A::rebuild))
            c = cost(A::rebuild, fmt::format("{}: {} → {}: every row is rewritten", what,
                                             was->nullable ? "NULL" : "NOT NULL", s.not_null ? "NOT NULL" : "NULL"));
        if (s.positioned && !mariadb_ && rank(c.algorithm) < rank(A::rebuild))
            c = cost(A::rebuild, what + " FIRST/AFTER: reordering columns rebuilds the table");
        return c;
    }

    const LiveTable* live() const { return t_; }
    bool mariadb() const { return mariadb_; }

  private:
    ClauseCost type_change(const std::string& what, const Type& from, const Type& to, const LiveColumn& was) const {
        const std::string change = fmt::format("{}: {} → {}", what, sql::render(from), sql::render(to));
        if (from == to) return cost(A::instant, what + ": same type (default, comment or name only)");
        const bool enum_like = (to.name == "enum" || to.name == "set") && to.name == from.name;
        if (enum_like && to.args.size() > from.args.size() &&
            std::equal(from.args.begin(), from.args.end(), to.args.begin()))
            return cost(A::instant, change + ": members appended");
        const bool varlen = (to.name == "varchar" || to.name == "varbinary") && to.name == from.name;
        std::uint64_t old_len = 0, new_len = 0;
        if (varlen && from.args.size() == 1 && to.args.size() == 1 && length(from.args[0], old_len) &&
            length(to.args[0], new_len)) {
            if (new_len > old_len) {
                if (mariadb_) return cost(A::instant, change + ": a longer VARCHAR");
                const std::uint64_t per_char =
                    to.name == "varbinary" ? 1 : std::max<std::uint32_t>(was.bytes_per_char, 1);
                const bool same_prefix = (old_len * per_char <= 255) == (new_len * per_char <= 255);
                return same_prefix ? cost(A::in_place, change + ": a longer VARCHAR with the same length prefix")
                                   : cost(A::copy, change + fmt::format(": the length prefix grows from 1 to 2 bytes "
                                                                        "({} bytes per character)",
                                                                        per_char));
            }
        }
        return cost(A::copy, change + ": the type changes");
    }

    bool mariadb_;
    const LiveTable* t_;
    ServerTraits traits_;
};

using sql::IndexKind;

ClauseCost index_cost(IndexKind kind, const Rules& r) {
    switch (kind) {
        case IndexKind::fulltext: {
            const LiveTable* t = r.live();
            if (!t || !t->indexes_known)
                return cost(A::depends,
                            "ADD FULLTEXT: the table's first FULLTEXT index rebuilds it, a further one is in place");
            return t->has_fulltext
                       ? cost(A::in_place, "ADD FULLTEXT: the table already has one, the index is built in place")
                       : cost(A::rebuild, "ADD FULLTEXT: the table's first, it is rebuilt with FTS_DOC_ID");
        }
        case IndexKind::spatial: return cost(A::in_place, "ADD SPATIAL INDEX: built in place");
        case IndexKind::unique: return cost(A::in_place, "ADD UNIQUE: built in place, the table is read");
        case IndexKind::plain: break;
    }
    return cost(A::in_place, "ADD INDEX: built in place, the table is read");
}

ClauseCost option_cost(const sql::AlterClause& a) {
    ClauseCost neutral = cost(A::instant, "");
    neutral.neutral = true;
    const std::string& o = a.option;
    if (o == "algorithm") {
        if (a.value != "copy") return neutral;
        ClauseCost forced = cost(A::copy, "ALGORITHM=COPY asks for a copy");
        forced.forces_copy = true;
        return forced;
    }
    if (o == "lock") return neutral;
    if (o == "convert") return cost(A::copy, "CONVERT TO CHARACTER SET: every text column is converted");
    if (o == "order") return cost(A::copy, "ORDER BY: the table is copied in order");
    if (o == "engine" || o == "force" || o == "row_format" || o == "key_block_size")
        return cost(A::rebuild, "ENGINE/FORCE/ROW_FORMAT: the table is rebuilt");
    return cost(A::instant, "table option: metadata");  // COMMENT, AUTO_INCREMENT, DEFAULT CHARSET, COLLATE
}

ClauseCost alter_clause(const sql::AlterClause& a, const Rules& r, const Tokens& t) {
    using K = sql::ClauseKind;
    const std::string text = Cursor(t, a.begin, a.end).rest_text();
    switch (a.kind) {
        case K::add_column:
            if (!a.column.at || !sql::is_name(*a.column.at)) return cost(A::depends, text + " is not modelled");
            return r.add_column(a.column.name, a.column);
        case K::drop_column: return r.drop_column(a.old_name);
        case K::modify_column: return r.modify(a.old_name, a.column);
        case K::rename_column: return cost(A::instant, "RENAME COLUMN: metadata");
        case K::alter_column: return cost(A::instant, text + ": metadata");
        case K::add_index: return index_cost(a.index.kind, r);
        case K::add_primary_key: {
            ClauseCost k = cost(A::rebuild, "ADD PRIMARY KEY: the clustered index is rebuilt");
            k.adds_primary = true;
            return k;
        }
        case K::add_foreign_key:
            return cost(A::copy, "ADD FOREIGN KEY: with foreign_key_checks=1 the table is copied to check every row");
        case K::add_check: return cost(A::copy, "ADD CHECK: the table is copied to check every row");
        case K::drop_index: return cost(A::in_place, "DROP INDEX: metadata, in place");
        case K::drop_primary_key: {
            ClauseCost k = cost(A::copy, "DROP PRIMARY KEY without a new one: the table is copied");
            k.drops_primary = true;
            return k;
        }
        case K::drop_foreign_key: return cost(r.mariadb() ? A::instant : A::in_place, "DROP FOREIGN KEY: metadata");
        case K::drop_constraint: return cost(A::instant, "DROP CONSTRAINT: metadata");
        case K::rename_index: return cost(A::instant, "RENAME INDEX: metadata");
        case K::rename_table: return cost(A::instant, "RENAME TO: metadata");
        case K::option: return option_cost(a);
        case K::other: break;
    }
    return cost(A::depends, text + " is not modelled");
}

DdlCost combine(std::string table, const std::vector<ClauseCost>& clauses) {
    DdlCost out{A::instant, std::move(table), false, ""};
    bool depends = false, column_instant = false, drops_pk = false, adds_pk = false, forced_copy = false;
    std::vector<std::string> reasons;
    for (const auto& c : clauses) {
        if (c.neutral) continue;
        depends = depends || c.algorithm == A::depends;
        column_instant = column_instant || c.column_instant;
        drops_pk = drops_pk || c.drops_primary;
        adds_pk = adds_pk || c.adds_primary;
        forced_copy = forced_copy || c.forces_copy;
        if (c.algorithm != A::depends && !c.drops_primary && rank(c.algorithm) > rank(out.algorithm))
            out.algorithm = c.algorithm;
    }
    if (drops_pk && !adds_pk) out.algorithm = A::copy;
    if (drops_pk && adds_pk && rank(out.algorithm) < rank(A::rebuild)) out.algorithm = A::rebuild;
    std::string escalated;
    if (column_instant && (out.algorithm == A::in_place)) {
        out.algorithm = A::rebuild;
        escalated = "ADD/DROP COLUMN next to in-place work in one ALTER: the table is rebuilt";
    }
    if (depends && out.algorithm != A::copy) out.algorithm = A::depends;
    if (forced_copy) out.algorithm = A::copy;
    for (const auto& c : clauses) {
        if (c.neutral) continue;
        const bool decides = c.algorithm == out.algorithm ||
                             (out.algorithm == A::rebuild && c.column_instant && !escalated.empty()) ||
                             (c.drops_primary && out.algorithm != A::instant);
        if (decides && !c.reason.empty()) reasons.push_back(c.reason);
    }
    if (!escalated.empty()) reasons.push_back(escalated);
    for (const auto& r : reasons) out.reason += (out.reason.empty() ? "" : "; ") + r;
    if (out.reason.empty()) out.reason = "no clause that changes the table";  // e.g. only LOCK=NONE
    return out;
}

DdlCost statement(A a, std::string table, std::string reason) {
    return {a, std::move(table), false, std::move(reason)};
}

}  // namespace

ServerTraits server_traits(std::string_view version) {
    // "major.minor.patch…": anything unreadable keeps the defaults.
    int part[3] = {0, 0, 0};
    std::size_t i = 0;
    for (int k = 0; k < 3; ++k) {
        if (i >= version.size() || version[i] < '0' || version[i] > '9') return {};
        while (i < version.size() && version[i] >= '0' && version[i] <= '9')
            part[k] = part[k] * 10 + (version[i++] - '0');
        if (k < 2 && (i >= version.size() || version[i++] != '.')) return {};
    }
    const bool mariadb = version.find("MariaDB") != std::string_view::npos;
    const auto [major, minor, patch] = part;
    ServerTraits t;
    t.instant_column_anywhere = mariadb ? (major > 10 || (major == 10 && minor >= 4))
                                        : (major > 8 || (major == 8 && (minor > 0 || patch >= 29)));
    return t;
}

DdlCost ddl_cost(std::string_view sql, Flavor flavor, const LiveLookup& live, ServerTraits traits) {
    const auto tokens = sql::one_statement(sql, sql::Options{});
    if (!tokens || tokens->empty()) return statement(A::not_applicable, "", "not one statement");
    const Tokens& t = *tokens;
    const sql::Ddl d = sql::parse_statement(t);
    auto lookup = [&](const std::string& table) { return live ? live(lname(table)) : nullptr; };
    using K = sql::Ddl::Kind;
    switch (d.kind) {
        case K::alter_table: {
            const Rules rules(flavor, lookup(d.table), traits);
            std::vector<ClauseCost> clauses;
            for (const auto& a : d.clauses) clauses.push_back(alter_clause(a, rules, t));
            return combine(d.table, clauses);
        }
        case K::create_table: {
            if (d.or_replace) return statement(A::not_applicable, "", "CREATE OR REPLACE");
            if (d.temporary) return statement(A::not_applicable, "", "a temporary table");
            DdlCost c = statement(A::not_applicable, d.table, "a new table");
            c.creates_table = true;
            return c;
        }
        case K::create_index: {
            const Rules rules(flavor, lookup(d.table), traits);
            const ClauseCost cc = index_cost(d.indexes.front().kind, rules);
            return statement(cc.algorithm, d.table, "CREATE" + cc.reason.substr(3));
        }
        case K::drop_index: return statement(A::in_place, d.table, "DROP INDEX: metadata, in place");
        case K::drop_table:
            return statement(A::instant, d.tables.empty() ? "" : d.tables.front().name,
                             "DROP TABLE: metadata (the rows are gone)");
        case K::rename_table:
            return statement(A::instant, d.renames.empty() ? "" : d.renames.front().from.name,
                             "RENAME TABLE: metadata");
        case K::truncate: return statement(A::instant, d.table, "TRUNCATE: the table is recreated empty");
        case K::other: break;
    }
    return statement(A::not_applicable, "", "not a table change");
}

}  // namespace migrate::plan
