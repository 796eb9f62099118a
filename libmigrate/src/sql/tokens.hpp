// Reading tokens, shared by every reader of SQL (the statement model, the probe, ddl_cost, lint): predicates
// on tokens, one statement's tokens, a cursor over a range of them, and names and text rendered as SQL
// (quoted identifiers, string literals). Internal, not exported.
#pragma once

#include "tokenizer.hpp"

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace migrate::sql {

using Tokens = std::vector<Token>;

bool is_punct(const Token& t, std::string_view p);
bool is_name(const Token& t);
bool is_word_in(const Token& t, std::initializer_list<std::string_view> upper);

std::string lower(std::string_view s);

// Column, index and constraint names compare case-insensitively on every platform.
bool same_name(std::string_view a, std::string_view b);

// The tokens of the one statement in `text`, trailing semicolons dropped; nullopt when the text holds
// more than one statement or does not tokenize.
std::optional<Tokens> one_statement(std::string_view text, const Options& options);
// Ranges [begin, end) of t between commas outside parentheses (an ALTER TABLE's clauses, a CREATE TABLE's
// elements); a range is empty where two commas meet or a comma ends the list.
std::vector<std::pair<std::size_t, std::size_t>> split_commas(const Tokens& t, std::size_t begin, std::size_t end);

// A walk over a range of significant tokens.
class Cursor {
  public:
    Cursor(const Tokens& t, std::size_t begin, std::size_t end) : t_(&t), i_(begin), end_(end) {}

    bool done() const { return i_ >= end_; }
    const Token* peek(std::size_t k = 0) const { return i_ + k < end_ ? &(*t_)[i_ + k] : nullptr; }
    bool is(std::string_view kw, std::size_t k = 0) const { return peek(k) && keyword_is(*peek(k), kw); }
    bool is_punct(std::string_view p) const { return peek() && sql::is_punct(*peek(), p); }
    bool accept(std::string_view kw) { return is(kw) ? (++i_, true) : false; }
    // All of `kws` in order, or nothing.
    bool accept_all(std::initializer_list<std::string_view> kws) {
        std::size_t k = 0;
        for (auto kw : kws)
            if (!is(kw, k++)) return false;
        i_ += kws.size();
        return true;
    }
    bool accept_punct(std::string_view p) { return is_punct(p) ? (++i_, true) : false; }
    std::optional<std::string> name() {
        if (!peek() || !is_name(*peek())) return std::nullopt;
        return (*t_)[i_++].value;
    }
    void skip() { ++i_; }
    std::size_t pos() const { return i_; }
    std::size_t end() const { return end_; }
    std::string rest_text() const;  // for messages

  private:
    const Tokens* t_;
    std::size_t i_, end_;
};

// A string literal for a name: tracking::sql_string_literal's form, except that text with a backslash
// (which reads differently under NO_BACKSLASH_ESCAPES) goes as hex, with a character set introducer so
// that it is text, compared in information_schema's collation like any other name.
std::string literal(std::string_view text);

std::string quote(std::string_view name);

}  // namespace migrate::sql
