#include "ddl_statement.hpp"

#include <cctype>
#include <set>

namespace gateway::management {

namespace {

enum class TokenType { word, quoted_ident, string, punct };

struct Token {
    TokenType type;
    std::string text;   // identifiers unquoted
    std::string upper;  // words upper-cased
};

bool word_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || c == '_' || c == '$' || u >= 0x80;
}

std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> out;
    std::size_t p = 0;
    while (p < s.size()) {
        const char c = s[p];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++p;
        } else if (c == '#' || (c == '-' && s.substr(p, 3).size() == 3 && s.substr(p, 2) == "--" &&
                                std::isspace(static_cast<unsigned char>(s[p + 2])))) {
            const auto e = s.find('\n', p);
            p = e == std::string_view::npos ? s.size() : e + 1;
        } else if (s.substr(p, 3) == "/*!" || s.substr(p, 4) == "/*M!") {
            // Executable comment: its content is code (the closing */ is skipped below).
            p += s.substr(p, 3) == "/*!" ? 3 : 4;
            while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]))) ++p;
        } else if (s.substr(p, 2) == "/*") {
            const auto e = s.find("*/", p + 2);
            p = e == std::string_view::npos ? s.size() : e + 2;
        } else if (s.substr(p, 2) == "*/") {
            p += 2;
        } else if (c == '`' || c == '"' || c == '\'') {
            std::string text;
            ++p;
            while (p < s.size()) {
                if (s[p] == c) {
                    if (p + 1 < s.size() && s[p + 1] == c) {
                        text.push_back(c);
                        p += 2;
                        continue;
                    }
                    ++p;
                    break;
                }
                if (s[p] == '\\' && c == '\'' && p + 1 < s.size()) ++p;
                text.push_back(s[p++]);
            }
            out.push_back({c == '`' ? TokenType::quoted_ident : TokenType::string, text, {}});
        } else if (word_char(c)) {
            std::string w;
            while (p < s.size() && word_char(s[p])) w.push_back(s[p++]);
            std::string up = w;
            for (char& ch : up) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            out.push_back({TokenType::word, w, up});
        } else {
            out.push_back({TokenType::punct, std::string(1, c), std::string(1, c)});
            ++p;
        }
    }
    return out;
}

class Reader {
  public:
    explicit Reader(std::vector<Token> t) : t_(std::move(t)) {}
    bool done() const { return i_ >= t_.size(); }
    bool is(std::string_view up) const { return !done() && t_[i_].type == TokenType::word && t_[i_].upper == up; }
    bool accept(std::string_view up) {
        if (!is(up)) return false;
        ++i_;
        return true;
    }
    bool accept_punct(char c) {
        if (done() || t_[i_].type != TokenType::punct || t_[i_].text[0] != c) return false;
        ++i_;
        return true;
    }
    void skip() { ++i_; }
    // [db.]name: the last part.
    std::string name() {
        std::string n;
        if (done()) return n;
        n = t_[i_++].text;
        while (accept_punct('.') && !done()) n = t_[i_++].text;
        return n;
    }
    void skip_if_exists() {
        if (accept("IF")) {
            accept("NOT");
            accept("EXISTS");
        }
    }
    // Skips to the word `up` at any depth; false if absent.
    bool skip_to(std::string_view up) {
        while (!done() && !is(up)) ++i_;
        return accept(up);
    }
    // ALTER TABLE's clauses: every top-level clause is ADD [COLUMN] <column>.
    bool clauses_add_column_only() {
        static const std::set<std::string, std::less<>> not_columns = {
            "INDEX",   "KEY",   "UNIQUE",    "PRIMARY", "CONSTRAINT", "FOREIGN", "FULLTEXT",
            "SPATIAL", "CHECK", "PARTITION", "PERIOD",  "SYSTEM",     "VECTOR"};
        if (done()) return false;
        int depth = 0;
        bool clause_start = true;
        while (!done()) {
            const Token& t = t_[i_];
            if (clause_start) {
                if (!accept("ADD")) return false;
                if (done()) return false;
                const Token& next = t_[i_];
                if (next.type == TokenType::word && next.upper != "COLUMN" && not_columns.count(next.upper))
                    return false;
                clause_start = false;
                continue;
            }
            if (t.type == TokenType::punct) {
                if (t.text == "(") ++depth;
                if (t.text == ")") --depth;
                if (t.text == "," && depth == 0) clause_start = true;
            }
            ++i_;
        }
        return !clause_start;
    }

  private:
    std::vector<Token> t_;
    std::size_t i_ = 0;
};

}  // namespace

DdlStatement parse_ddl(std::string_view sql) {
    Reader r(tokenize(sql));
    DdlStatement d;
    if (r.accept("CREATE")) {
        if (r.accept("OR")) r.accept("REPLACE");
        r.accept("TEMPORARY");
        if (r.accept("TABLE")) {
            r.skip_if_exists();
            d.kind = DdlKind::create_table;
            d.tables.push_back(r.name());
            return d;
        }
        r.accept("ONLINE") || r.accept("OFFLINE");
        r.accept("UNIQUE") || r.accept("FULLTEXT") || r.accept("SPATIAL");
        if (r.accept("INDEX")) {
            if (r.skip_to("ON")) {
                d.kind = DdlKind::create_index;
                d.tables.push_back(r.name());
            }
        }
        return d;
    }
    if (r.accept("ALTER")) {
        r.accept("ONLINE");
        r.accept("IGNORE");
        if (!r.accept("TABLE")) return d;
        r.skip_if_exists();
        d.kind = DdlKind::alter_table;
        d.tables.push_back(r.name());
        d.add_column_only = r.clauses_add_column_only();
        return d;
    }
    if (r.accept("DROP")) {
        r.accept("TEMPORARY");
        if (r.accept("TABLE") || r.accept("TABLES")) {
            r.skip_if_exists();
            d.kind = DdlKind::drop_table;
            do d.tables.push_back(r.name());
            while (r.accept_punct(','));
            return d;
        }
        r.accept("ONLINE") || r.accept("OFFLINE");
        if (r.accept("INDEX") && r.skip_to("ON")) {
            d.kind = DdlKind::drop_index;
            d.tables.push_back(r.name());
        }
        return d;
    }
    if (r.accept("RENAME")) {
        if (!(r.accept("TABLE") || r.accept("TABLES"))) return d;
        d.kind = DdlKind::rename_table;
        do {
            d.tables.push_back(r.name());
            r.accept("TO");
            d.tables.push_back(r.name());
        } while (r.accept_punct(','));
        return d;
    }
    if (r.accept("TRUNCATE")) {
        r.accept("TABLE");
        d.kind = DdlKind::truncate_table;
        d.tables.push_back(r.name());
    }
    return d;
}

}  // namespace gateway::management
