// Token predicates, one statement's tokens, the token cursor, SQL quoting (tokens.hpp).
#include "tokens.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace migrate::sql {

bool is_punct(const Token& t, std::string_view p) { return t.kind == TokenKind::punct && t.text == p; }
bool is_name(const Token& t) { return t.kind == TokenKind::word || t.kind == TokenKind::quoted_identifier; }
bool is_word_in(const Token& t, std::initializer_list<std::string_view> upper) {
    return std::any_of(upper.begin(), upper.end(), [&](std::string_view u) { return keyword_is(t, u); });
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool same_name(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

std::optional<Tokens> one_statement(std::string_view text, const Options& options) {
    Tokens t = significant(text, options);
    while (!t.empty() && is_punct(t.back(), ";")) t.pop_back();
    for (const auto& tok : t)
        if (tok.kind == TokenKind::error || is_punct(tok, ";")) return std::nullopt;
    return t;
}

std::vector<std::pair<std::size_t, std::size_t>> split_commas(const Tokens& t, std::size_t begin, std::size_t end) {
    std::vector<std::pair<std::size_t, std::size_t>> out;
    int depth = 0;
    std::size_t start = begin;
    for (std::size_t i = begin; i < end; ++i) {
        if (is_punct(t[i], "("))
            ++depth;
        else if (is_punct(t[i], ")"))
            --depth;
        else if (depth == 0 && is_punct(t[i], ",")) {
            out.emplace_back(start, i);
            start = i + 1;
        }
    }
    out.emplace_back(start, end);
    return out;
}

std::string Cursor::rest_text() const {
    if (done()) return "";
    const Token& first = (*t_)[i_];
    const Token& last = (*t_)[end_ - 1];
    std::string_view s(first.text.data(), last.text.data() + last.text.size() - first.text.data());
    if (s.size() <= 60) return std::string(s);
    std::size_t cut = 57;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
    return std::string(s.substr(0, cut)) + "...";
}

std::string literal(std::string_view text) {
    if (text.find('\\') == std::string_view::npos && text.find('\0') == std::string_view::npos) {
        std::string out = "'";
        for (char ch : text) out += ch == '\'' ? std::string("''") : std::string(1, ch);
        return out + "'";
    }
    std::string out = "_utf8mb4 X'";
    for (const char ch : text) out += fmt::format("{:02X}", static_cast<unsigned char>(ch));
    return out + "'";
}

std::string quote(std::string_view name) {
    std::string out = "`";
    for (char ch : name) out += ch == '`' ? std::string("``") : std::string(1, ch);
    return out + "`";
}

}  // namespace migrate::sql
