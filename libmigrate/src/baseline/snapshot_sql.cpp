#include "snapshot_sql.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

namespace migrate::baseline {
namespace {

constexpr std::string_view breakpoint = "\n--> statement-breakpoint\n";

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

// Parents first: Kahn's algorithm, always taking the smallest ready name so the output is stable. Tables
// left in cycles follow in name order.
std::vector<std::size_t> creation_order(const std::vector<TableDump>& tables) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < tables.size(); ++i) index.emplace(tables[i].name, i);
    std::vector<std::set<std::size_t>> parents(tables.size());
    for (std::size_t i = 0; i < tables.size(); ++i)
        for (const auto& fk : tables[i].foreign_keys)
            if (auto it = index.find(fk.referenced_table); it != index.end() && it->second != i)
                parents[i].insert(it->second);
    std::vector<std::size_t> order;
    std::vector<bool> placed(tables.size(), false);
    while (order.size() < tables.size()) {
        std::optional<std::size_t> next;
        for (const auto& [name, i] : index) {  // name order
            if (placed[i]) continue;
            bool ready = std::all_of(parents[i].begin(), parents[i].end(), [&](std::size_t p) { return placed[p]; });
            if (ready) {
                next = i;
                break;
            }
        }
        if (!next)  // a cycle: take the first remaining table by name; its forward keys are deferred
            for (const auto& [name, i] : index)
                if (!placed[i]) {
                    next = i;
                    break;
                }
        placed[*next] = true;
        order.push_back(*next);
    }
    return order;
}

// Views after the views their text names.
std::vector<ViewDump> view_order(std::vector<ViewDump> views) {
    std::sort(views.begin(), views.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    std::vector<ViewDump> out;
    std::set<std::string> done;
    while (!views.empty()) {
        auto ready = std::find_if(views.begin(), views.end(), [&](const ViewDump& v) {
            return std::none_of(views.begin(), views.end(), [&](const ViewDump& other) {
                return other.name != v.name && v.create_sql.find(quote_identifier(other.name)) != std::string::npos;
            });
        });
        if (ready == views.end()) ready = views.begin();  // mutual mention cannot be a real dependency cycle
        out.push_back(std::move(*ready));
        views.erase(ready);
    }
    return out;
}

}  // namespace

std::string quote_identifier(std::string_view identifier) {
    std::string out = "`";
    for (char c : identifier) {
        out += c;
        if (c == '`') out += '`';
    }
    return out + "`";
}

ValueKind value_kind(std::string_view data_type) {
    static const std::set<std::string> numbers = {"tinyint", "smallint", "mediumint", "int",    "integer", "bigint",
                                                  "decimal", "numeric",  "float",     "double", "real",    "year"};
    static const std::set<std::string> binaries = {"binary",        "varbinary",
                                                   "tinyblob",      "blob",
                                                   "mediumblob",    "longblob",
                                                   "geometry",      "point",
                                                   "linestring",    "polygon",
                                                   "multipoint",    "multilinestring",
                                                   "multipolygon",  "geometrycollection",
                                                   "geomcollection"};
    const std::string t = lower(data_type);
    if (numbers.contains(t)) return ValueKind::number;
    if (binaries.contains(t)) return ValueKind::binary;
    if (t == "bit") return ValueKind::bit;
    return ValueKind::text;
}

std::string select_expression(ValueKind kind, std::string_view column) {
    std::string q = quote_identifier(column);
    switch (kind) {
        case ValueKind::binary: return "hex(" + q + ")";
        case ValueKind::bit: return q + " + 0";
        default: return q;
    }
}

std::string value_literal(ValueKind kind, const std::string* value) {
    if (!value) return "NULL";
    switch (kind) {
        case ValueKind::number:
        case ValueKind::bit: return *value;
        case ValueKind::binary: return "X'" + *value + "'";
        case ValueKind::text: break;
    }
    // A backslash means different things with and without NO_BACKSLASH_ESCAPES, and NUL cannot be typed:
    // then the bytes go as hex with a character-set introducer, so the value stays a string (JSON accepts it).
    if (value->find('\\') != std::string::npos || value->find('\0') != std::string::npos)
        return "_utf8mb4 X'" + hex(*value) + "'";
    std::string out = "'";
    for (char c : *value) {
        out += c;
        if (c == '\'') out += '\'';
    }
    return out + "'";
}

std::vector<std::string> insert_statements(std::string_view table, const std::vector<std::string>& columns,
                                           const std::vector<std::vector<std::string>>& rows, std::size_t max_bytes) {
    std::string head = "INSERT INTO " + quote_identifier(table) + " (";
    for (std::size_t c = 0; c < columns.size(); ++c) head += (c ? ", " : "") + quote_identifier(columns[c]);
    head += ") VALUES";
    std::vector<std::string> out;
    std::string current;
    for (const auto& row : rows) {
        std::string tuple = "(";
        for (std::size_t c = 0; c < row.size(); ++c) tuple += (c ? ", " : "") + row[c];
        tuple += ")";
        if (!current.empty() && current.size() + tuple.size() + 2 > max_bytes) {
            out.push_back(current + ";");
            current.clear();
        }
        if (current.empty()) {
            current += head;
            current += '\n';
        } else {
            current += ",\n";
        }
        current += tuple;
    }
    if (!current.empty()) out.push_back(current + ";");
    return out;
}

std::pair<std::string, std::string> take_foreign_key(std::string_view create_sql, std::string_view name) {
    // SHOW CREATE TABLE puts every constraint on its own line: "  CONSTRAINT `name` FOREIGN KEY (...) ...,".
    const std::string marker = "  CONSTRAINT " + quote_identifier(name) + " FOREIGN KEY";
    auto start = create_sql.find("\n" + marker);
    if (start == std::string_view::npos) return {std::string(create_sql), ""};
    ++start;  // at the line's first character
    auto end = create_sql.find('\n', start);
    if (end == std::string_view::npos) return {std::string(create_sql), ""};
    std::string line(create_sql.substr(start, end - start));
    const bool had_comma = !line.empty() && line.back() == ',';
    if (had_comma) line.pop_back();
    std::string clause = line.substr(2);  // without the indentation
    std::string rest = std::string(create_sql.substr(0, start)) + std::string(create_sql.substr(end + 1));
    if (!had_comma) {
        // It was the last definition: the one before it now is, and loses its comma.
        auto prev_end = start - 1;  // the '\n' before the removed line
        if (prev_end > 0 && rest[prev_end - 1] == ',') rest.erase(prev_end - 1, 1);
    }
    return {rest, clause};
}

std::string strip_definer(std::string_view create_view) {
    std::string s(create_view);
    auto at = s.find(" DEFINER=");
    if (at == std::string::npos) return s;
    // DEFINER=`user`@`host`: two quoted parts joined by '@'.
    std::size_t i = at + 9;
    for (int part = 0; part < 2 && i < s.size(); ++part) {
        if (s[i] == '`') {
            for (++i; i < s.size(); ++i)
                if (s[i] == '`') {
                    if (i + 1 < s.size() && s[i + 1] == '`')
                        ++i;
                    else
                        break;
                }
            ++i;
        } else {
            while (i < s.size() && s[i] != '@' && s[i] != ' ') ++i;
        }
        if (part == 0 && i < s.size() && s[i] == '@') ++i;
    }
    s.erase(at, i - at);
    return s;
}

SnapshotText render_snapshot(std::string_view header, std::vector<TableDump> tables, std::vector<ViewDump> views) {
    std::vector<std::string> statements;
    std::vector<std::string> deferred;
    const auto order = creation_order(tables);
    std::set<std::string> created;
    for (std::size_t i : order) {
        TableDump& t = tables[i];
        std::string create = t.create_sql;
        std::vector<ForeignKey> fks = t.foreign_keys;
        std::sort(fks.begin(), fks.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
        for (const auto& fk : fks) {
            const bool self = fk.referenced_table == t.name;
            const bool forward = !self && !created.contains(fk.referenced_table);
            if (!(forward || (self && t.rows > 0))) continue;
            auto [without, clause] = take_foreign_key(create, fk.name);
            if (clause.empty()) continue;
            create = std::move(without);
            deferred.push_back("ALTER TABLE " + quote_identifier(t.name) + " ADD " + clause + ";");
        }
        created.insert(t.name);
        statements.push_back(create + ";");
    }
    for (std::size_t i : order)
        for (auto& insert : tables[i].inserts) statements.push_back(std::move(insert));
    for (auto& d : deferred) statements.push_back(std::move(d));
    // OR REPLACE: a load stopped right after creating a view can simply run it again.
    for (auto& v : view_order(std::move(views))) {
        std::string create = strip_definer(v.create_sql);
        if (create.rfind("CREATE ", 0) == 0 && create.rfind("CREATE OR REPLACE ", 0) != 0)
            create.insert(7, "OR REPLACE ");
        statements.push_back(create + ";");
    }

    SnapshotText out;
    out.statements = statements.size();
    out.sql = std::string(header);
    for (std::size_t i = 0; i < statements.size(); ++i) {
        if (i) out.sql += breakpoint;
        out.sql += statements[i];
    }
    out.sql += "\n";
    return out;
}

}  // namespace migrate::baseline
