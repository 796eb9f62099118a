#include "normalise.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>

namespace migrate::verify {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return "";
    return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}

// Lower case and single spaces outside quotes, none after commas (enum('a', 'b') and enum('a','b') are one
// type); quoted enum values keep their case.
std::string squeeze(std::string_view s) {
    std::string out;
    char quote = 0;
    for (char c : s) {
        if (quote) {
            out += c;
            if (c == quote) quote = 0;
            continue;
        }
        if (c == '\'' || c == '"') quote = c;
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!out.empty() && out.back() != ' ' && out.back() != ',' && out.back() != '(') out += ' ';
            continue;
        }
        if ((c == ',' || c == ')') && !out.empty() && out.back() == ' ') out.pop_back();
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return trim(out);
}

bool quoted(std::string_view s) { return s.size() >= 2 && s.front() == '\'' && s.back() == '\''; }

// The text inside one pair of parentheses that wraps all of `s`, or `s`.
std::string_view unwrap(std::string_view s) {
    while (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
        int depth = 0;
        bool wraps = true;
        for (std::size_t i = 0; i < s.size(); ++i) {
            depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
            if (depth == 0 && i + 1 < s.size()) wraps = false;
        }
        if (!wraps) break;
        s = s.substr(1, s.size() - 2);
        while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
        while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    }
    return s;
}

// "+007.50" → "7.5", "0.00" → "0", "1e3" → "1000"; other text unchanged.
std::string canonical_number(const std::string& s) {
    static const std::regex plain(R"(^([+-]?)0*(\d*)(?:\.(\d*?)0*)?$)");
    static const std::regex exponent(R"(^[+-]?(\d+\.?\d*|\.\d+)e[+-]?\d+$)");
    std::smatch m;
    const bool digits = std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
    if (digits && std::regex_match(s, m, plain)) {
        std::string whole = m[2].str().empty() ? "0" : m[2].str();
        std::string frac = m[3].str();
        std::string out = whole + (frac.empty() ? "" : "." + frac);
        return (m[1] == "-" && out != "0") ? "-" + out : out;
    }
    if (std::regex_match(s, exponent)) return fmt::format("{}", std::stod(s));
    return s;
}

}  // namespace

std::string canonical_type(std::string_view type) {
    std::string t = squeeze(type);
    static const std::vector<std::pair<std::string, std::string>> aliases = {{"boolean", "tinyint(1)"},
                                                                             {"bool", "tinyint(1)"},
                                                                             {"serial", "bigint unsigned"},
                                                                             {"integer", "int"},
                                                                             {"double precision", "double"},
                                                                             {"real", "double"},
                                                                             {"numeric", "decimal"},
                                                                             {"dec", "decimal"},
                                                                             {"fixed", "decimal"}};
    for (const auto& [from, to] : aliases)
        if (t == from || t.starts_with(from + " ") || t.starts_with(from + "(")) {
            t.replace(0, from.size(), to);
            break;
        }
    // Display widths are cosmetic (MySQL 8 drops them); tinyint(1) stays, it is how booleans read back.
    static const std::regex width(R"(^(tinyint|smallint|mediumint|int|bigint|year)\((\d+)\))");
    std::smatch m;
    if (std::regex_search(t, m, width) && !(m[1] == "tinyint" && m[2] == "1")) t = m[1].str() + m.suffix().str();
    if (t == "decimal" || t.starts_with("decimal ")) t = "decimal(10,0)" + t.substr(7);
    static const std::regex decimal_p(R"(^decimal\((\d+)\))");
    if (std::regex_search(t, m, decimal_p)) t = "decimal(" + m[1].str() + ",0)" + m.suffix().str();
    return t;
}

bool is_numeric_type(std::string_view canonical) {
    for (std::string_view p :
         {"tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "double", "float", "bit", "year"})
        if (canonical.starts_with(p)) return true;
    return false;
}

std::optional<std::string> canonical_default(const std::optional<std::string>& raw, std::string_view type) {
    if (!raw) return std::nullopt;
    std::string s = trim(*raw);
    if (lower(s) == "null") return std::nullopt;  // MariaDB's "no default" on a nullable column
    s = std::string(unwrap(s));
    const bool numeric = is_numeric_type(type);
    if (quoted(s)) {
        if (!numeric) return s;
        s = s.substr(1, s.size() - 2);
    }
    std::string l = lower(s);
    static const std::regex clock(R"(^(now|current_timestamp|localtimestamp|localtime)(\((\d*)\))?$)");
    std::smatch m;
    if (std::regex_match(l, m, clock))
        return m[3].length() && m[3] != "0" ? "current_timestamp(" + m[3].str() + ")" : "current_timestamp";
    if (numeric) {
        if (l == "true") return "1";
        if (l == "false") return "0";
        return canonical_number(l);
    }
    return l;
}

std::string canonical_action(std::string_view action) {
    std::string a = squeeze(action);
    std::transform(a.begin(), a.end(), a.begin(), [](unsigned char c) { return std::toupper(c); });
    return a.empty() || a == "RESTRICT" ? "NO ACTION" : a;
}

std::string canonical_name(std::string_view name) { return lower(name); }

void normalise_snapshot(Schema& schema) {
    for (auto& [name, table] : schema.tables)
        for (auto& c : table.columns) {
            if (canonical_type(c.type) == "bigint unsigned" && lower(trim(c.type)) == "serial") {
                c.not_null = c.auto_increment = true;
                table.serial_columns.insert(canonical_name(c.name));
            }
            for (const auto& pk : table.primary_key)
                if (canonical_name(pk) == canonical_name(c.name)) c.not_null = true;
        }
}

void normalise_live(Schema& schema) {
    for (auto& [name, table] : schema.tables) {
        for (auto& c : table.columns) {
            for (const auto& pk : table.primary_key)
                if (canonical_name(pk) == canonical_name(c.name)) c.not_null = true;
            if (canonical_type(c.type) != "longtext") continue;
            const std::string json_check = "json_valid(`" + canonical_name(c.name) + "`)";
            auto it = std::find_if(table.checks.begin(), table.checks.end(), [&](const Check& k) {
                std::string e = lower(k.expression);
                e.erase(std::remove(e.begin(), e.end(), ' '), e.end());
                return e == json_check;
            });
            if (it == table.checks.end()) continue;
            c.type = "json";
            table.checks.erase(it);
        }
    }
}

}  // namespace migrate::verify
