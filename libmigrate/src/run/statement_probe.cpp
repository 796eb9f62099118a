// The public entry points of statement_probe.hpp. The work is in probe/: ddl_claims (statement model → claims,
// classify), catalog (session and information_schema, deciding); tokens and column definitions (MODIFY)
// come from sql/.
#include "statement_probe.hpp"

#include "probe/catalog.hpp"
#include "probe/ddl_claims.hpp"

#include <fmt/format.h>

namespace migrate::run {
namespace {

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
    auto t = probe::one_statement(sql, {});
    if (!t) return StatementClass::unknown;
    if (t->empty()) return StatementClass::harmless;
    return probe::classify_tokens(*t, 0);
}

bool safe_to_retry(std::string_view sql) {
    auto t = probe::one_statement(sql, {});
    if (!t) return false;
    if (t->empty()) return true;
    switch (probe::classify_tokens(*t, 0)) {
        case StatementClass::harmless: return true;
        case StatementClass::ddl: return probe::claims_of(*t).safe_to_retry;
        default: return false;
    }
}

bool only_adds(std::string_view sql) {
    auto t = probe::one_statement(sql, {});
    if (!t || t->empty() || probe::classify_tokens(*t, 0) != StatementClass::ddl) return false;
    const auto p = probe::claims_of(*t);
    if (!p.undecidable.empty() || p.safe_to_retry || p.renamed_to || p.clauses.empty()) return false;
    for (const auto& c : p.clauses) {
        if (!c.undecidable.empty() || c.definition || c.renames_subject || c.leftovers_mean_not_applied ||
            c.idempotent || c.expect.empty())
            return false;
        for (const auto& e : c.expect)
            if (!e.present) return false;
    }
    return true;
}

std::optional<TableRef> written_table(std::string_view sql) {
    auto t = probe::one_statement(sql, {});
    if (!t || t->empty()) return std::nullopt;
    auto name = probe::written_table(*t);
    if (!name) return std::nullopt;
    return TableRef{name->schema, name->name};
}

std::vector<TableRef> tables_changed(std::string_view sql) {
    auto t = probe::one_statement(sql, {});
    if (!t || t->empty() || probe::classify_tokens(*t, 0) != StatementClass::ddl) return {};
    const auto p = probe::claims_of(*t);
    std::vector<TableRef> out;
    auto add = [&out](const probe::Name& n) {
        for (const auto& o : out)
            if (o.schema == n.schema && o.name == n.name) return;
        out.push_back({n.schema, n.name});
    };
    if (p.subject) add(*p.subject);
    if (p.renamed_to) add(*p.renamed_to);
    for (const auto& c : p.clauses)
        for (const auto& e : c.expect) add(e.table);
    return out;
}

bool inserts_rows(std::string_view sql) {
    auto t = probe::one_statement(sql, {});
    return t && !t->empty() && probe::is_word_in(t->front(), {"INSERT", "REPLACE"});
}

ProbeResult probe_statement(connect::Connection& conn, std::string_view sql) {
    const StatementClass c = classify_statement(sql);
    if (c != StatementClass::ddl)
        return {Effect::undecidable, fmt::format("{} statement: not a schema change to probe", class_name(c))};
    probe::Catalog catalog(conn, probe::read_session(conn));
    // Tokenized again as the server reads it (ANSI_QUOTES, NO_BACKSLASH_ESCAPES).
    auto tokens = probe::one_statement(sql, catalog.session().options);
    if (!tokens) return {Effect::undecidable, "not one statement under the server's sql_mode"};
    if (catalog.session().database.empty()) return {Effect::undecidable, "no current database"};
    return probe::decide(probe::claims_of(*tokens), catalog);
}

}  // namespace migrate::run
