#include "created_tables.hpp"

#include "sql/tokenizer.hpp"

#include <optional>

namespace migrate::verify {
namespace {

using Tokens = std::vector<sql::Token>;

bool kw(const Tokens& t, std::size_t i, std::string_view upper) { return i < t.size() && sql::keyword_is(t[i], upper); }
bool punct(const Tokens& t, std::size_t i, char c) {
    return i < t.size() && t[i].kind == sql::TokenKind::punct && t[i].text.size() == 1 && t[i].text[0] == c;
}

// A table name at `i` (`db`.`t` → t); advances `i` past it.
std::optional<std::string> name_at(const Tokens& t, std::size_t& i) {
    auto is_name = [&](std::size_t k) {
        return k < t.size() && (t[k].kind == sql::TokenKind::word || t[k].kind == sql::TokenKind::quoted_identifier);
    };
    if (!is_name(i)) return std::nullopt;
    std::string name = t[i].value.empty() ? std::string(t[i].text) : t[i].value;
    ++i;
    if (punct(t, i, '.') && is_name(i + 1)) {
        name = t[i + 1].value.empty() ? std::string(t[i + 1].text) : t[i + 1].value;
        i += 2;
    }
    return name;
}

// One statement starting at `i`: applies its effect on the set of tables.
void replay(const Tokens& t, std::size_t i, const std::string& tag, std::map<std::string, std::string>& tables) {
    if (kw(t, i, "CREATE")) {
        ++i;
        if (kw(t, i, "OR") && kw(t, i + 1, "REPLACE")) i += 2;
        if (kw(t, i, "TEMPORARY") || !kw(t, i, "TABLE")) return;
        ++i;
        if (kw(t, i, "IF") && kw(t, i + 1, "NOT") && kw(t, i + 2, "EXISTS")) i += 3;
        if (auto name = name_at(t, i)) tables[*name] = tag;
    } else if (kw(t, i, "DROP")) {
        ++i;
        if (kw(t, i, "TEMPORARY") || !kw(t, i, "TABLE")) return;
        ++i;
        if (kw(t, i, "IF") && kw(t, i + 1, "EXISTS")) i += 2;
        do {
            if (auto name = name_at(t, i)) tables.erase(*name);
        } while (punct(t, i, ',') && ++i);
    } else if (kw(t, i, "RENAME") && kw(t, i + 1, "TABLE")) {
        i += 2;
        do {
            auto from = name_at(t, i);
            if (!from || !kw(t, i, "TO")) return;
            ++i;
            auto to = name_at(t, i);
            if (!to) return;
            if (auto it = tables.find(*from); it != tables.end()) {
                tables[*to] = it->second;
                tables.erase(*from);
            }
        } while (punct(t, i, ',') && ++i);
    }
}

}  // namespace

std::map<std::string, std::string> tables_created_by(const Source& source) {
    std::map<std::string, std::string> tables;
    for (const auto& m : source.migrations)
        for (const auto& s : m.statements) {
            const Tokens t = sql::significant(s.sql);
            // A chunk may hold several statements (custom migrations); each starts after a ';'.
            for (std::size_t i = 0, start = 0; i <= t.size(); ++i)
                if (i == t.size() || punct(t, i, ';')) {
                    if (i > start) replay(t, start, m.tag, tables);
                    start = i + 1;
                }
        }
    return tables;
}

}  // namespace migrate::verify
