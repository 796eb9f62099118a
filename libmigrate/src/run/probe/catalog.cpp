// Session settings, information_schema lookups and deciding a parsed statement (catalog.hpp).
#include "catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

namespace migrate::run::probe {
namespace {

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

}  // namespace

// ───── Reading the schema ─────

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
    s.mariadb = connect::is_mariadb(r[3].value_or(""));
    s.explicit_timestamps = r[4].value_or("1") != "0";
    return s;
}

bool Catalog::exists(Object object, const Name& table, const std::string& name) {
    const std::string where = fmt::format("table_schema = {} and table_name = {}", schema(table), literal(table.name));
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

Finding Catalog::check(const Expect& e) {
    const bool present = exists(e.object, e.table, e.name);
    return {present == e.present ? Verdict::holds : Verdict::fails,
            describe(e) + (present ? " exists" : " does not exist")};
}

std::string Catalog::schema(const Name& n) const { return literal(n.schema.empty() ? s_.database : n.schema); }

bool Catalog::any_row(const std::string& query, const Name& table) {
    for (const auto& row : conn_.query(query))
        if (!row.empty() && row[0] && (!s_.exact_table_names || *row[0] == table.name)) return true;
    return false;
}

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

}  // namespace migrate::run::probe
