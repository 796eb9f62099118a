// A MySQL/MariaDB tokenizer: exact token boundaries (strings, quoted identifiers, every comment form),
// with byte offsets and 1-based line/column, for code that must understand a statement, not guess at it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace migrate::sql {

enum class TokenKind {
    word,                // keyword or bare identifier: [A-Za-z0-9_$] and bytes >= 0x80, not only digits
    quoted_identifier,   // `name` (and "name" under ANSI_QUOTES); value is unquoted
    string,              // 'text', "text", N'text'; value is unescaped
    number,              // 12, 1.5, .5, 1e-3, 0x1F, 0b101, X'1F', B'101'; value is the text (X'..'/B'..': the digits)
    punct,               // operators and punctuation, one char each except <=> <= >= <> != := << >> && || -> ->>
    comment,             // -- comment, # comment (both without the newline), /* comment */
    executable_comment,  // /*! ... */, /*!50100 ... */, /*M! ... */ (MariaDB); value is the inner text
    error,               // unterminated string/identifier/comment; runs to the end; value says what
};

struct Token {
    TokenKind kind;
    std::string_view text;   // the raw bytes, a view into the tokenized input
    std::string value;       // unquoted/unescaped for identifiers and strings; see TokenKind
    std::size_t offset = 0;  // byte offset of the first byte
    std::size_t line = 1;    // 1-based; lines end at '\n'
    std::size_t column = 1;  // 1-based, in bytes
};

// The server's sql_mode decides how quotes and backslashes read; the defaults are MySQL's.
struct Options {
    bool backslash_escapes = true;  // false under NO_BACKSLASH_ESCAPES
    bool ansi_quotes = false;       // true under ANSI_QUOTES: "x" is an identifier
};

// Every token, comments included. Token::text views `sql`, which must outlive the tokens.
// Never throws for any input; an unterminated construct becomes one final `error` token.
std::vector<Token> tokenize(std::string_view sql, const Options& options = {});

// tokenize() without comments and with executable comments kept: the server runs their content (when its
// version is high enough), so they are significant; a caller can tokenize(token.value) to look inside.
std::vector<Token> significant(std::string_view sql, const Options& options = {});

// True for a `word` token equal to `upper` ignoring ASCII case (`upper` is given in upper case).
bool keyword_is(const Token& token, std::string_view upper);

}  // namespace migrate::sql
