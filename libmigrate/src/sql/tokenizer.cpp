#include "tokenizer.hpp"

#include <array>

namespace migrate::sql {
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_hex(unsigned char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// Bytes >= 0x80 are parts of UTF-8 letters, which MySQL allows in bare identifiers.
bool is_word_char(unsigned char c) { return is_alpha(c) || is_digit(c) || c == '_' || c == '$' || c >= 0x80; }
unsigned char upper(unsigned char c) { return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c; }

// Longest first, so "<=>" wins over "<=" and "->>" over "->".
constexpr std::array<std::string_view, 12> multi_char_operators = {
    "<=>", "->>", "<=", ">=", "<>", "!=", ":=", "<<", ">>", "&&", "||", "->"};

// MySQL's escapes in string literals; \% and \_ keep their backslash (they are LIKE escapes).
void append_escaped(std::string& out, char c) {
    switch (c) {
        case '0': out += '\0'; break;
        case 'b': out += '\b'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'Z': out += '\x1A'; break;
        case '%': out += "\\%"; break;
        case '_': out += "\\_"; break;
        default: out += c;
    }
}

class Lexer {
  public:
    Lexer(std::string_view sql, const Options& options) : s_(sql), options_(options) {}

    std::vector<Token> run() {
        while (pos_ < s_.size()) {
            if (is_space(at(pos_))) {
                ++pos_;
                continue;
            }
            if (!next_token()) break;  // an error token ends the input
        }
        return std::move(out_);
    }

  private:
    struct Quoted {
        bool closed = false;
        std::size_t end = 0;  // one past the closing quote
        std::string value;
    };

    // The byte at i, or 0 past the end (0 is neither a word char nor a digit, like a real NUL).
    unsigned char at(std::size_t i) const { return i < s_.size() ? static_cast<unsigned char>(s_[i]) : 0; }

    // Returns false after emitting an error token.
    bool next_token() {
        const std::size_t p = pos_;
        const unsigned char c = at(p), c1 = at(p + 1);
        if (c == '#') return line_comment(p);
        // MySQL needs whitespace or a control char (or the end) after "--": "--x" and "-->" are operators.
        if (c == '-' && c1 == '-' &&
            (p + 2 >= s_.size() || is_space(at(p + 2)) || at(p + 2) < 0x20 || at(p + 2) == 0x7f))
            return line_comment(p);
        if (c == '/' && c1 == '*') return block_comment(p);
        if (c == '`') return quoted(p, p, '`', TokenKind::quoted_identifier, false);
        if (c == '\'') return quoted(p, p, '\'', TokenKind::string, options_.backslash_escapes);
        if (c == '"')
            return options_.ansi_quotes ? quoted(p, p, '"', TokenKind::quoted_identifier, false)
                                        : quoted(p, p, '"', TokenKind::string, options_.backslash_escapes);
        if (c1 == '\'' && upper(c) == 'N') return quoted(p, p + 1, '\'', TokenKind::string, options_.backslash_escapes);
        if (c1 == '\'' && (upper(c) == 'X' || upper(c) == 'B')) return quoted(p, p + 1, '\'', TokenKind::number, false);
        if (after_qualifier_dot() && is_word_char(c)) return word(p);  // t.1col: digits start a name here
        if (is_digit(c)) return number_or_word(p);
        if (c == '.' && is_digit(c1) && !qualifies(p)) return number_or_word(p);
        if (is_word_char(c)) return word(p);
        return punct(p);
    }

    bool line_comment(std::size_t p) {
        std::size_t end = s_.find('\n', p);
        if (end == std::string_view::npos) end = s_.size();
        emit(TokenKind::comment, p, end, {});
        return true;
    }

    bool block_comment(std::size_t p) {
        std::size_t body = p + 2;
        const bool executable = at(body) == '!' || (at(body) == 'M' && at(body + 1) == '!');
        if (!executable) {
            std::size_t close = s_.find("*/", p + 2);
            if (close == std::string_view::npos) return error(p, "unterminated comment");
            emit(TokenKind::comment, p, close + 2, {});
            return true;
        }
        body += at(body) == 'M' ? 2 : 1;
        // A version is 5 digits (MySQL) or 6 (MariaDB 10+); other digit runs are content.
        std::size_t digits = 0;
        while (digits < 6 && is_digit(at(body + digits))) ++digits;
        if (digits >= 5) body += digits;
        // The server lexes the content, so a quoted "*/" does not end it.
        for (std::size_t i = body; i < s_.size();) {
            const char q = s_[i];
            if (q == '*' && at(i + 1) == '/') {
                emit(TokenKind::executable_comment, p, i + 2, std::string(s_.substr(body, i - body)));
                return true;
            }
            if (q == '\'' || q == '"' || q == '`') {
                Quoted r = scan_quoted(i, q, q != '`' && options_.backslash_escapes);
                if (!r.closed) break;
                i = r.end;
            } else {
                ++i;
            }
        }
        return error(p, "unterminated executable comment");
    }

    // Scans 'text' / "text" / `name` opening at `open`: a doubled quote is one quote; with `escapes`,
    // a backslash escapes the next byte.
    Quoted scan_quoted(std::size_t open, char q, bool escapes) const {
        Quoted r;
        for (std::size_t i = open + 1; i < s_.size();) {
            const char ch = s_[i];
            if (ch == '\\' && escapes) {
                if (i + 1 >= s_.size()) break;
                append_escaped(r.value, s_[i + 1]);
                i += 2;
            } else if (ch == q && at(i + 1) == static_cast<unsigned char>(q) && i + 1 < s_.size()) {
                r.value += q;
                i += 2;
            } else if (ch == q) {
                r.closed = true;
                r.end = i + 1;
                return r;
            } else {
                r.value += ch;
                ++i;
            }
        }
        return r;
    }

    bool quoted(std::size_t start, std::size_t open, char q, TokenKind kind, bool escapes) {
        Quoted r = scan_quoted(open, q, escapes);
        if (!r.closed)
            return error(start, q == '`' || kind == TokenKind::quoted_identifier ? "unterminated quoted identifier"
                                                                                 : "unterminated string");
        emit(kind, start, r.end, std::move(r.value));
        return true;
    }

    // After a digit (or ".digit"): 0x1F, 0b101, 12, 1.5, 1e-3, .5; or a name like 123abc / 0xZZ.
    bool number_or_word(std::size_t p) {
        if (at(p) == '0' && (at(p + 1) == 'x' || at(p + 1) == 'b')) {  // MySQL: lower case x/b only
            const bool hex = at(p + 1) == 'x';
            std::size_t k = p + 2;
            while (hex ? is_hex(at(k)) : (at(k) == '0' || at(k) == '1')) ++k;
            if (k > p + 2 && !is_word_char(at(k))) return number(p, k);
        }
        std::size_t k = p;
        while (is_digit(at(k))) ++k;
        if (at(k) == '.') {
            ++k;
            while (is_digit(at(k))) ++k;
            return number(p, exponent(k));
        }
        if (exponent(k) != k) return number(p, exponent(k));
        if (is_word_char(at(k))) return word(p);
        return number(p, k);
    }

    // End of an exponent (e5, E-3) starting at k, or k when there is none.
    std::size_t exponent(std::size_t k) const {
        if (upper(at(k)) != 'E') return k;
        std::size_t j = k + 1;
        if (at(j) == '+' || at(j) == '-') ++j;
        if (!is_digit(at(j))) return k;
        while (is_digit(at(j))) ++j;
        return j;
    }

    bool number(std::size_t p, std::size_t end) {
        emit(TokenKind::number, p, end, std::string(s_.substr(p, end - p)));
        return true;
    }

    bool word(std::size_t p) {
        std::size_t k = p;
        while (is_word_char(at(k))) ++k;
        emit(TokenKind::word, p, k, std::string(s_.substr(p, k - p)));
        return true;
    }

    bool punct(std::size_t p) {
        for (auto op : multi_char_operators)
            if (s_.substr(p, op.size()) == op) {
                emit(TokenKind::punct, p, p + op.size(), std::string(op));
                return true;
            }
        emit(TokenKind::punct, p, p + 1, std::string(1, s_[p]));
        return true;
    }

    bool error(std::size_t p, const char* what) {
        emit(TokenKind::error, p, s_.size(), what);
        return false;
    }

    const Token* last_significant(std::size_t back) const {
        for (auto it = out_.rbegin(); it != out_.rend(); ++it) {
            if (it->kind == TokenKind::comment) continue;
            if (back-- == 0) return &*it;
        }
        return nullptr;
    }

    static bool is_name(const Token* t) {
        return t && (t->kind == TokenKind::word || t->kind == TokenKind::quoted_identifier);
    }

    // A '.' right after a name qualifies it (t.5 is t . 5, not t .5).
    bool qualifies(std::size_t dot) const {
        const Token* prev = last_significant(0);
        return is_name(prev) && prev->offset + prev->text.size() == dot;
    }

    // Right after "name.", where MySQL reads any word-char run (even 1e5) as a name.
    bool after_qualifier_dot() const {
        const Token* dot = last_significant(0);
        return dot && dot->kind == TokenKind::punct && dot->text == "." && is_name(last_significant(1));
    }

    void emit(TokenKind kind, std::size_t begin, std::size_t end, std::string value) {
        for (; counted_ < begin; ++counted_)
            if (s_[counted_] == '\n') {
                ++line_;
                line_start_ = counted_ + 1;
            }
        out_.push_back({kind, s_.substr(begin, end - begin), std::move(value), begin, line_, begin - line_start_ + 1});
        pos_ = end;
    }

    std::string_view s_;
    Options options_;
    std::size_t pos_ = 0;
    std::size_t counted_ = 0, line_ = 1, line_start_ = 0;  // line bookkeeping up to `counted_`
    std::vector<Token> out_;
};

}  // namespace

std::vector<Token> tokenize(std::string_view sql, const Options& options) { return Lexer(sql, options).run(); }

std::vector<Token> significant(std::string_view sql, const Options& options) {
    std::vector<Token> out;
    for (auto& t : tokenize(sql, options))
        if (t.kind != TokenKind::comment) out.push_back(std::move(t));
    return out;
}

bool keyword_is(const Token& token, std::string_view upper_text) {
    if (token.kind != TokenKind::word || token.text.size() != upper_text.size()) return false;
    for (std::size_t i = 0; i < upper_text.size(); ++i)
        if (upper(static_cast<unsigned char>(token.text[i])) != static_cast<unsigned char>(upper_text[i])) return false;
    return true;
}

}  // namespace migrate::sql
