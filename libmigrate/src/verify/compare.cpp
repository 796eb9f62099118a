#include "compare.hpp"

#include "normalise.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace migrate::verify {
namespace {

using Kind = SchemaDrift::Kind;
using Severity = SchemaDrift::Severity;

std::string list(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return "(" + out + ")";
}

std::vector<std::string> canonical(const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const auto& n : names) out.push_back(canonical_name(n));
    return out;
}

template <class T>
const T* find(const std::vector<T>& items, const std::string& name) {
    for (const auto& i : items)
        if (canonical_name(i.name) == canonical_name(name)) return &i;
    return nullptr;
}

std::string show(const std::optional<std::string>& v) { return v ? *v : "none"; }
std::string yes_no(bool b, std::string_view yes, std::string_view no) { return std::string(b ? yes : no); }

class Comparer {
  public:
    std::vector<SchemaDrift> out;

    void add(Kind kind, const std::string& table, const std::string& name, std::string expected, std::string actual,
             std::string message, Severity severity = Severity::drift) {
        out.push_back({kind, severity, table, name, std::move(expected), std::move(actual), std::move(message)});
    }

    void columns(const Table& s, const Table& l) {
        for (const auto& c : s.columns) {
            const Column* lc = find(l.columns, c.name);
            if (!lc) {
                add(Kind::column_missing, s.name, c.name, c.type, "",
                    fmt::format("table {}: column {} ({}) is in the snapshot, not in the database", s.name, c.name,
                                c.type));
                continue;
            }
            const std::string st = canonical_type(c.type), lt = canonical_type(lc->type);
            if (st != lt)
                add(Kind::column_type, s.name, c.name, c.type, lc->type,
                    fmt::format("table {}: column {}: type is {} in the snapshot, {} in the database", s.name, c.name,
                                c.type, lc->type));
            if (c.not_null != lc->not_null)
                add(Kind::column_nullability, s.name, c.name, yes_no(c.not_null, "NOT NULL", "NULL"),
                    yes_no(lc->not_null, "NOT NULL", "NULL"),
                    fmt::format("table {}: column {} is {} in the snapshot, {} in the database", s.name, c.name,
                                yes_no(c.not_null, "NOT NULL", "nullable"),
                                yes_no(lc->not_null, "NOT NULL", "nullable")));
            // Compared as the snapshot's type reads it, so a type change is not also a default change.
            if (canonical_default(c.default_value, st) != canonical_default(lc->default_value, st))
                add(Kind::column_default, s.name, c.name, show(c.default_value), show(lc->default_value),
                    fmt::format("table {}: column {}: default is {} in the snapshot, {} in the database", s.name,
                                c.name, show(c.default_value), show(lc->default_value)));
            if (c.auto_increment != lc->auto_increment)
                add(Kind::column_auto_increment, s.name, c.name, yes_no(c.auto_increment, "AUTO_INCREMENT", ""),
                    yes_no(lc->auto_increment, "AUTO_INCREMENT", ""),
                    fmt::format(
                        "table {}: column {} is {}AUTO_INCREMENT in the snapshot, {}AUTO_INCREMENT in the database",
                        s.name, c.name, c.auto_increment ? "" : "not ", lc->auto_increment ? "" : "not "));
            if (c.on_update_now != lc->on_update_now)
                add(Kind::column_on_update, s.name, c.name, yes_no(c.on_update_now, "ON UPDATE CURRENT_TIMESTAMP", ""),
                    yes_no(lc->on_update_now, "ON UPDATE CURRENT_TIMESTAMP", ""),
                    fmt::format(
                        "table {}: column {}: ON UPDATE CURRENT_TIMESTAMP is {} in the snapshot, {} in the database",
                        s.name, c.name, c.on_update_now ? "set" : "not set", lc->on_update_now ? "set" : "not set"));
        }
        for (const auto& c : l.columns)
            if (!find(s.columns, c.name))
                add(Kind::column_extra, s.name, c.name, "", c.type,
                    fmt::format("table {}: column {} ({}) is in the database, not in the snapshot", s.name, c.name,
                                c.type));
    }

    void primary_key(const Table& s, const Table& l) {
        if (canonical(s.primary_key) == canonical(l.primary_key)) return;
        const std::string e = s.primary_key.empty() ? "none" : list(s.primary_key);
        const std::string a = l.primary_key.empty() ? "none" : list(l.primary_key);
        add(Kind::primary_key, s.name, "PRIMARY", e, a,
            fmt::format("table {}: primary key is {} in the snapshot, {} in the database", s.name, e, a));
    }

    // An index the server made itself: for a foreign key (named after it or its first column, on its
    // columns), or a serial column's UNIQUE key (named after the column).
    static bool implicit(const Table& s, const Table& l, const Index& i) {
        for (const auto& fk : l.foreign_keys) {
            const auto cols = canonical(fk.columns);
            const auto icols = canonical(i.columns);
            const bool named = canonical_name(i.name) == canonical_name(fk.name) ||
                               (!fk.columns.empty() && canonical_name(i.name) == canonical_name(fk.columns[0]));
            if (!i.unique && named && icols.size() >= cols.size() &&
                std::equal(cols.begin(), cols.end(), icols.begin()))
                return true;
        }
        return i.unique && i.columns.size() == 1 && s.serial_columns.contains(canonical_name(i.columns[0]));
    }

    void indexes(const Table& s, const Table& l) {
        auto describe = [](const Index& i) { return fmt::format("{}{}", i.unique ? "unique " : "", list(i.columns)); };
        for (const auto& i : s.indexes) {
            const Index* li = find(l.indexes, i.name);
            if (!li)
                add(Kind::index_missing, s.name, i.name, describe(i), "",
                    fmt::format("table {}: index {} {} is in the snapshot, not in the database", s.name, i.name,
                                describe(i)));
            else if (li->unique != i.unique || canonical(li->columns) != canonical(i.columns))
                add(Kind::index_differs, s.name, i.name, describe(i), describe(*li),
                    fmt::format("table {}: index {} is {} in the snapshot, {} in the database", s.name, i.name,
                                describe(i), describe(*li)));
        }
        for (const auto& i : l.indexes)
            if (!find(s.indexes, i.name) && !implicit(s, l, i))
                add(Kind::index_extra, s.name, i.name, "", describe(i),
                    fmt::format("table {}: index {} {} is in the database, not in the snapshot", s.name, i.name,
                                describe(i)));
    }

    void foreign_keys(const Table& s, const Table& l) {
        auto describe = [](const ForeignKey& f) {
            return fmt::format("{} -> {}{} on delete {} on update {}", list(f.columns), f.table_to, list(f.columns_to),
                               canonical_action(f.on_delete), canonical_action(f.on_update));
        };
        auto same = [](const ForeignKey& a, const ForeignKey& b) {
            return canonical(a.columns) == canonical(b.columns) && a.table_to == b.table_to &&
                   canonical(a.columns_to) == canonical(b.columns_to) &&
                   canonical_action(a.on_delete) == canonical_action(b.on_delete) &&
                   canonical_action(a.on_update) == canonical_action(b.on_update);
        };
        for (const auto& f : s.foreign_keys) {
            const ForeignKey* lf = find(l.foreign_keys, f.name);
            if (!lf)
                add(Kind::foreign_key_missing, s.name, f.name, describe(f), "",
                    fmt::format("table {}: foreign key {} {} is in the snapshot, not in the database", s.name, f.name,
                                describe(f)));
            else if (!same(f, *lf))
                add(Kind::foreign_key_differs, s.name, f.name, describe(f), describe(*lf),
                    fmt::format("table {}: foreign key {} is {} in the snapshot, {} in the database", s.name, f.name,
                                describe(f), describe(*lf)));
        }
        for (const auto& f : l.foreign_keys)
            if (!find(s.foreign_keys, f.name))
                add(Kind::foreign_key_extra, s.name, f.name, "", describe(f),
                    fmt::format("table {}: foreign key {} {} is in the database, not in the snapshot", s.name, f.name,
                                describe(f)));
    }

    // By name only: the server rewrites check expressions (quoting, spacing, functions) beyond recognition.
    void checks(const Table& s, const Table& l) {
        for (const auto& k : s.checks)
            if (!find(l.checks, k.name))
                add(Kind::check_missing, s.name, k.name, k.expression, "",
                    fmt::format("table {}: check {} ({}) is in the snapshot, not in the database", s.name, k.name,
                                k.expression));
        for (const auto& k : l.checks)
            if (!find(s.checks, k.name))
                add(Kind::check_extra, s.name, k.name, "", k.expression,
                    fmt::format("table {}: check {} ({}) is in the database, not in the snapshot", s.name, k.name,
                                k.expression));
    }
};

}  // namespace

std::vector<SchemaDrift> compare_schemas(const Schema& snapshot, const Schema& live,
                                         const std::map<std::string, std::string>& created_by_migrations) {
    Comparer c;
    std::set<std::string> names;
    for (const auto& [name, t] : snapshot.tables) names.insert(name);
    for (const auto& [name, t] : live.tables) names.insert(name);
    for (const auto& name : names) {
        auto s = snapshot.tables.find(name);
        auto l = live.tables.find(name);
        if (l == live.tables.end()) {
            c.add(Kind::table_missing, name, "", "table", "",
                  fmt::format("table {} is in the snapshot, not in the database", name));
        } else if (s == snapshot.tables.end()) {
            auto by = created_by_migrations.find(name);
            if (by != created_by_migrations.end())
                c.add(Kind::table_extra, name, "", "", "table",
                      fmt::format(
                          "table {} is not in the snapshot: migration {} creates it (drizzle-kit snapshots do not "
                          "see tables made by custom SQL), so its definition is not checked",
                          name, by->second),
                      Severity::notice);
            else
                c.add(Kind::table_extra, name, "", "", "table",
                      fmt::format("table {} is in the database, not in the snapshot, and no migration of the folder "
                                  "creates it: created outside migrations",
                                  name));
        } else {
            c.columns(s->second, l->second);
            c.primary_key(s->second, l->second);
            c.indexes(s->second, l->second);
            c.foreign_keys(s->second, l->second);
            c.checks(s->second, l->second);
        }
    }
    for (const auto& v : snapshot.views)
        if (!live.views.contains(v))
            c.add(Kind::view_missing, "", v, "view", "",
                  fmt::format("view {} is in the snapshot, not in the database", v));
    for (const auto& v : live.views)
        if (!snapshot.views.contains(v))
            c.add(Kind::view_extra, "", v, "", "view",
                  fmt::format("view {} is in the database, not in the snapshot", v));
    for (const auto& what : snapshot.not_compared)
        c.add(Kind::not_compared, "", what, "", "", "not compared: " + what, Severity::notice);
    return std::move(c.out);
}

}  // namespace migrate::verify
