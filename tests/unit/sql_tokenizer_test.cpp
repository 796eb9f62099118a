// The MySQL tokenizer: every token kind, every quoting and comment rule, positions, and bad input.
#include "sql/tokenizer.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace migrate::sql;

namespace {

struct Brief {
    TokenKind kind;
    std::string text;
    bool operator==(const Brief&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Brief& b) { return os << static_cast<int>(b.kind) << ":" << b.text; }

std::vector<Brief> brief(std::string_view sql, const Options& o = {}) {
    std::vector<Brief> out;
    for (const auto& t : tokenize(sql, o)) out.push_back({t.kind, std::string(t.text)});
    return out;
}

Token only(std::string_view sql, const Options& o = {}) {
    auto t = tokenize(sql, o);
    REQUIRE(t.size() == 1);
    return t[0];
}

constexpr auto W = TokenKind::word;
constexpr auto Q = TokenKind::quoted_identifier;
constexpr auto S = TokenKind::string;
constexpr auto N = TokenKind::number;
constexpr auto P = TokenKind::punct;
constexpr auto C = TokenKind::comment;
constexpr auto X = TokenKind::executable_comment;
constexpr auto E = TokenKind::error;

// Tokens in order, within the input, and nothing but whitespace between them: no byte lost or invented.
void check_covers(std::string_view sql) {
    std::size_t at = 0;
    for (const auto& t : tokenize(sql)) {
        REQUIRE(t.offset >= at);
        REQUIRE(t.offset + t.text.size() <= sql.size());
        REQUIRE(t.text.data() == sql.data() + t.offset);
        for (std::size_t i = at; i < t.offset; ++i)
            REQUIRE(std::string_view(" \t\r\n\f\v").find(sql[i]) != std::string_view::npos);
        at = t.offset + t.text.size();
    }
    for (std::size_t i = at; i < sql.size(); ++i)
        REQUIRE(std::string_view(" \t\r\n\f\v").find(sql[i]) != std::string_view::npos);
}

}  // namespace

TEST_CASE("tokenizer: words and keywords and punctuation") {
    CHECK(brief("SELECT a,b FROM t1;") ==
          std::vector<Brief>{{W, "SELECT"}, {W, "a"}, {P, ","}, {W, "b"}, {W, "FROM"}, {W, "t1"}, {P, ";"}});
    CHECK(brief("x$y _z café") == std::vector<Brief>{{W, "x$y"}, {W, "_z"}, {W, "café"}});
    auto t = tokenize("create Table");
    CHECK(keyword_is(t[0], "CREATE"));
    CHECK(keyword_is(t[1], "TABLE"));
    CHECK_FALSE(keyword_is(t[1], "TABLES"));
    CHECK_FALSE(keyword_is(tokenize("`table`")[0], "TABLE"));  // a quoted identifier is never a keyword
    CHECK_FALSE(keyword_is(tokenize("'table'")[0], "TABLE"));
    CHECK(tokenize("abc")[0].value == "abc");
}

TEST_CASE("tokenizer: multi-character operators are one token") {
    CHECK(brief("a<=>b<=c>=d<>e!=f:=g<<h>>i&&j||k->l->>m") ==
          std::vector<Brief>{{W, "a"},  {P, "<=>"}, {W, "b"},   {P, "<="}, {W, "c"},  {P, ">="}, {W, "d"},
                             {P, "<>"}, {W, "e"},   {P, "!="},  {W, "f"},  {P, ":="}, {W, "g"},  {P, "<<"},
                             {W, "h"},  {P, ">>"},  {W, "i"},   {P, "&&"}, {W, "j"},  {P, "||"}, {W, "k"},
                             {P, "->"}, {W, "l"},   {P, "->>"}, {W, "m"}});
    CHECK(brief("(a=1)*@x?") ==
          std::vector<Brief>{{P, "("}, {W, "a"}, {P, "="}, {N, "1"}, {P, ")"}, {P, "*"}, {P, "@"}, {W, "x"}, {P, "?"}});
    CHECK(brief("< =") == std::vector<Brief>{{P, "<"}, {P, "="}});
}

TEST_CASE("tokenizer: backtick identifiers") {
    auto t = only("`my ``odd`` name`");
    CHECK(t.kind == Q);
    CHECK(t.value == "my `odd` name");
    CHECK(only("``").value.empty());
    CHECK(only("`select`").value == "select");
    CHECK(only("`a;b--c/*d'e\"f\\`").value == "a;b--c/*d'e\"f\\");  // no escapes inside backticks
    CHECK(brief("`a`.`b`") == std::vector<Brief>{{Q, "`a`"}, {P, "."}, {Q, "`b`"}});
}

TEST_CASE("tokenizer: single- and double-quoted strings") {
    CHECK(only("'it''s'").value == "it's");
    CHECK(only("'it\\'s'").value == "it's");
    CHECK(only("\"say \"\"hi\"\"\"").value == "say \"hi\"");
    CHECK(only("\"a\\\"b\"").value == "a\"b");
    CHECK(only("'\"'").value == "\"");
    CHECK(only("\"'\"").value == "'");
    CHECK(only(R"('\n\t\r\b\0\Z\\\'\"\x')").value == std::string("\n\t\r\b\0\x1A\\'\"x", 10));
    CHECK(only(R"('50\% a\_b')").value == R"(50\% a\_b)");  // LIKE escapes keep their backslash
    CHECK(only("''").value.empty());
    CHECK(only("'é'").value == "é");

    SECTION("comment and statement markers inside strings are text") {
        for (std::string s : {"'a;b'", "'-- x'", "'/* y */'", "'# z'", "'--> statement-breakpoint'", "\"a;--/*#\""}) {
            INFO(s);
            auto t = only(s);
            CHECK(t.kind == S);
            CHECK(t.value == s.substr(1, s.size() - 2));
        }
        CHECK(brief("INSERT INTO t VALUES ('a;b', \"it's -- not\");") == std::vector<Brief>{{W, "INSERT"},
                                                                                            {W, "INTO"},
                                                                                            {W, "t"},
                                                                                            {W, "VALUES"},
                                                                                            {P, "("},
                                                                                            {S, "'a;b'"},
                                                                                            {P, ","},
                                                                                            {S, "\"it's -- not\""},
                                                                                            {P, ")"},
                                                                                            {P, ";"}});
    }
    SECTION("adjacent strings stay separate tokens") {
        CHECK(brief("'a' 'b'") == std::vector<Brief>{{S, "'a'"}, {S, "'b'"}});
        CHECK(brief("'a''b'") == std::vector<Brief>{{S, "'a''b'"}});
    }
    SECTION("NO_BACKSLASH_ESCAPES: a backslash is a character") {
        Options o{.backslash_escapes = false};
        auto t = only("'a\\'", o);
        CHECK(t.kind == S);
        CHECK(t.value == "a\\");
        CHECK(brief("'a\\' 'b'", o) == std::vector<Brief>{{S, "'a\\'"}, {S, "'b'"}});
        CHECK(only("'x''y'", o).value == "x'y");
    }
    SECTION("ANSI_QUOTES: double quotes quote identifiers") {
        Options o{.ansi_quotes = true};
        auto t = only("\"my \"\"col\"", o);
        CHECK(t.kind == Q);
        CHECK(t.value == "my \"col");
        CHECK(only("\"a\\\"", o).value == "a\\");  // no escapes in identifiers
    }
    SECTION("prefixed literals") {
        auto n = only("N'national'");
        CHECK(n.kind == S);
        CHECK(n.value == "national");
        CHECK(n.text == "N'national'");
        auto x = only("X'1F2e'");
        CHECK(x.kind == N);
        CHECK(x.value == "1F2e");
        CHECK(only("b'0101'").value == "0101");
        CHECK(only("x''").kind == N);
        CHECK(brief("_utf8mb4'x'") == std::vector<Brief>{{W, "_utf8mb4"}, {S, "'x'"}});
        CHECK(brief("ax'1'") == std::vector<Brief>{{W, "ax"}, {S, "'1'"}});
    }
}

TEST_CASE("tokenizer: numbers") {
    for (std::string n :
         {"0", "12", "1.5", ".5", "1.", "1e10", "1E10", "1.5e-3", "1e+5", ".5e2", "0x1F", "0xff", "0b101"}) {
        INFO(n);
        auto t = only(n);
        CHECK(t.kind == N);
        CHECK(t.value == n);
    }
    // MySQL reads these as identifiers: digits then letters, upper-case 0X/0B, bad hex digits.
    for (std::string w : {"123abc", "1a", "0X1F", "0xZZ", "0x", "0b102", "1_000", "9$"}) {
        INFO(w);
        CHECK(only(w).kind == W);
    }
    CHECK(brief("1e5x") == std::vector<Brief>{{N, "1e5"}, {W, "x"}});
    CHECK(brief("1-2") == std::vector<Brief>{{N, "1"}, {P, "-"}, {N, "2"}});
    CHECK(brief("-5") == std::vector<Brief>{{P, "-"}, {N, "5"}});
    CHECK(brief("varchar(255)") == std::vector<Brief>{{W, "varchar"}, {P, "("}, {N, "255"}, {P, ")"}});
    CHECK(brief("decimal(12,2)") ==
          std::vector<Brief>{{W, "decimal"}, {P, "("}, {N, "12"}, {P, ","}, {N, "2"}, {P, ")"}});
    SECTION("after a qualifying dot, digits start a name") {
        CHECK(brief("t.5") == std::vector<Brief>{{W, "t"}, {P, "."}, {W, "5"}});
        CHECK(brief("t.1e5") == std::vector<Brief>{{W, "t"}, {P, "."}, {W, "1e5"}});
        CHECK(brief("`s`.1col") == std::vector<Brief>{{Q, "`s`"}, {P, "."}, {W, "1col"}});
        CHECK(brief("1 .5") == std::vector<Brief>{{N, "1"}, {N, ".5"}});
        CHECK(brief("x=.5") == std::vector<Brief>{{W, "x"}, {P, "="}, {N, ".5"}});
    }
}

TEST_CASE("tokenizer: comments") {
    SECTION("double dash needs whitespace (or a control char, or the end) after it") {
        CHECK(brief("a -- note\nb") == std::vector<Brief>{{W, "a"}, {C, "-- note"}, {W, "b"}});
        CHECK(brief("a --\tnote\nb") == std::vector<Brief>{{W, "a"}, {C, "--\tnote"}, {W, "b"}});
        CHECK(brief("a --\nb") == std::vector<Brief>{{W, "a"}, {C, "--"}, {W, "b"}});
        CHECK(brief("a --\r\nb") == std::vector<Brief>{{W, "a"}, {C, "--\r"}, {W, "b"}});
        CHECK(brief("a --") == std::vector<Brief>{{W, "a"}, {C, "--"}});
        CHECK(brief("a --x") == std::vector<Brief>{{W, "a"}, {P, "-"}, {P, "-"}, {W, "x"}});
        CHECK(brief("5--3") == std::vector<Brief>{{N, "5"}, {P, "-"}, {P, "-"}, {N, "3"}});
        CHECK(brief("a---") == std::vector<Brief>{{W, "a"}, {P, "-"}, {C, "--"}});  // "--" then the end
    }
    SECTION("drizzle's statement breakpoint is not a comment to MySQL") {
        CHECK(brief("--> statement-breakpoint") ==
              std::vector<Brief>{{P, "-"}, {P, "->"}, {W, "statement"}, {P, "-"}, {W, "breakpoint"}});
        CHECK(significant("--> statement-breakpoint").size() == 5);
        CHECK(brief("CREATE INDEX `i` ON `t` (`a`);--> statement-breakpoint\nALTER") ==
              std::vector<Brief>{{W, "CREATE"},
                                 {W, "INDEX"},
                                 {Q, "`i`"},
                                 {W, "ON"},
                                 {Q, "`t`"},
                                 {P, "("},
                                 {Q, "`a`"},
                                 {P, ")"},
                                 {P, ";"},
                                 {P, "-"},
                                 {P, "->"},
                                 {W, "statement"},
                                 {P, "-"},
                                 {W, "breakpoint"},
                                 {W, "ALTER"}});
    }
    SECTION("hash to the end of the line") {
        CHECK(brief("a # note -- /* x\nb") == std::vector<Brief>{{W, "a"}, {C, "# note -- /* x"}, {W, "b"}});
        CHECK(brief("a#") == std::vector<Brief>{{W, "a"}, {C, "#"}});
    }
    SECTION("block comments do not nest and may span lines") {
        CHECK(brief("a /* x\n y */ b") == std::vector<Brief>{{W, "a"}, {C, "/* x\n y */"}, {W, "b"}});
        CHECK(brief("/**/x") == std::vector<Brief>{{C, "/**/"}, {W, "x"}});
        CHECK(brief("/* a /* b */ c */") == std::vector<Brief>{{C, "/* a /* b */"}, {W, "c"}, {P, "*"}, {P, "/"}});
        CHECK(brief("/* 'quote */ x") == std::vector<Brief>{{C, "/* 'quote */"}, {W, "x"}});
        CHECK(brief("/*+ BKA(t) */") == std::vector<Brief>{{C, "/*+ BKA(t) */"}});  // optimizer hints are comments
        CHECK(brief("a/*/b*/") == std::vector<Brief>{{W, "a"}, {C, "/*/b*/"}});
    }
    SECTION("executable comments are their own kind, with the inner text as value") {
        auto t = only("/*!50100 PARTITION BY HASH(id) */");
        CHECK(t.kind == X);
        CHECK(t.value == " PARTITION BY HASH(id) ");
        CHECK(only("/*! STRAIGHT_JOIN */").value == " STRAIGHT_JOIN ");
        CHECK(only("/*!40101 SET @x=1*/").value == " SET @x=1");
        CHECK(only("/*!100100 x */").value == " x ");  // MariaDB: six-digit versions
        CHECK(only("/*M!100100 y */").kind == X);      // MariaDB-only executable comment
        CHECK(only("/*M!100100 y */").value == " y ");
        CHECK(only("/*!123 z */").value == "123 z ");                               // not a version: content
        CHECK(only("/*!50100 COMMENT 'a */ b' */").value == " COMMENT 'a */ b' ");  // the server lexes the content
        CHECK(brief("/*M x */") == std::vector<Brief>{{C, "/*M x */"}});
        auto inner = tokenize(t.value);
        CHECK(keyword_is(inner[0], "PARTITION"));
    }
    SECTION("significant() drops comments and keeps executable comments") {
        auto s = significant("-- a\n# b\n/* c */ SELECT /*!50100 SQL_NO_CACHE */ 1 -- d");
        REQUIRE(s.size() == 3);
        CHECK(keyword_is(s[0], "SELECT"));
        CHECK(s[1].kind == X);
        CHECK(s[2].text == "1");
        CHECK(significant("-- only a comment\n/* and another */").empty());
        CHECK(significant("").empty());
        CHECK(significant(" \n\t ").empty());
    }
}

TEST_CASE("tokenizer: positions are byte offset and 1-based line and column") {
    const std::string sql = "-- head\nCREATE TABLE `t` (\n\t`a` int, -- x\r\n  'two\nlines' b)\n/* c */;";
    auto t = tokenize(sql);
    auto find = [&](std::string_view text) -> const Token& {
        for (const auto& tok : t)
            if (tok.text == text) return tok;
        FAIL("no token " << text);
        throw 0;
    };
    auto at = [&](std::string_view text, std::size_t line, std::size_t column) {
        const Token& tok = find(text);
        INFO(text);
        CHECK(tok.line == line);
        CHECK(tok.column == column);
        CHECK(sql.substr(tok.offset, tok.text.size()) == text);
    };
    at("-- head", 1, 1);
    at("CREATE", 2, 1);
    at("TABLE", 2, 8);
    at("`t`", 2, 14);
    at("(", 2, 18);
    at("`a`", 3, 2);  // a tab is one byte
    at("-- x\r", 3, 11);
    at("'two\nlines'", 4, 3);
    at("b", 5, 8);  // after a string that spans lines
    at("/* c */", 6, 1);
    at(";", 6, 8);
    CHECK(find("CREATE").offset == 8);

    auto u = tokenize("'é' x");  // columns count bytes
    CHECK(u[1].column == 6);
    CHECK(u[1].offset == 5);
}

TEST_CASE("tokenizer: unterminated input becomes one error token at its start") {
    struct Case {
        std::string sql;
        std::size_t offset;
        std::string what;
    };
    for (const auto& c : std::vector<Case>{{"SELECT 'abc", 7, "unterminated string"},
                                           {"SELECT \"abc", 7, "unterminated string"},
                                           {"SELECT 'abc\\'", 7, "unterminated string"},
                                           {"SELECT 'abc\\", 7, "unterminated string"},
                                           {"x N'abc", 2, "unterminated string"},
                                           {"x X'1F", 2, "unterminated string"},
                                           {"SELECT `abc", 7, "unterminated quoted identifier"},
                                           {"SELECT `a``", 7, "unterminated quoted identifier"},
                                           {"a /* open", 2, "unterminated comment"},
                                           {"a /*", 2, "unterminated comment"},
                                           {"a /*/", 2, "unterminated comment"},
                                           {"a /*!50100 open", 2, "unterminated executable comment"},
                                           {"a /*! 'x */", 2, "unterminated executable comment"},
                                           {"'", 0, "unterminated string"}}) {
        INFO(c.sql);
        auto t = tokenize(c.sql);
        REQUIRE_FALSE(t.empty());
        const Token& e = t.back();
        CHECK(e.kind == E);
        CHECK(e.offset == c.offset);
        CHECK(e.text == std::string_view(c.sql).substr(c.offset));
        CHECK(e.value == c.what);
        CHECK(e.line == 1);
        CHECK(e.column == c.offset + 1);
    }
    auto multi = tokenize("a\n  'open\nstill");
    CHECK(multi.back().kind == E);
    CHECK(multi.back().line == 2);
    CHECK(multi.back().column == 3);
    CHECK(significant("SELECT 'x").back().kind == E);  // errors are significant
}

TEST_CASE("tokenizer: never reads past the end of the view") {
    // Views cut out of a longer buffer: the bytes after the view would close each construct.
    const std::string buffer = "'abc' `id` /* c */ /*!1 x */ \"s\" 0x1F 1e5 -- \n";
    for (std::size_t n = 0; n <= buffer.size(); ++n) {
        std::string_view view(buffer.data(), n);
        INFO(n);
        for (const auto& t : tokenize(view)) CHECK(t.offset + t.text.size() <= n);
    }
    CHECK(tokenize(std::string_view(buffer.data(), 4)).back().kind == E);  // "'abc" without its quote
    CHECK(tokenize(std::string_view(buffer.data(), 9)).back().kind == E);  // "... `id" without its backtick
    auto dash = tokenize(std::string_view("a--b", 3));                     // "a--": "--" at the end is a comment
    CHECK(dash.back().kind == C);
}

TEST_CASE("tokenizer: every byte of any prefix is in a token or whitespace") {
    const std::string tricky =
        "CREATE TABLE `a``b` (\n\t`c` varchar(10) DEFAULT 'x\\'y''z' COMMENT \"q\\\"\",\n  d int /* c */ -- e\n) "
        "/*!50100 PARTITION BY HASH(d) */; # end\n--> statement-breakpoint\nSELECT .5e-3, 0x1F, X'AB', N'é', @@x := 1;";
    for (std::size_t n = 0; n <= tricky.size(); ++n) check_covers(std::string_view(tricky.data(), n));
    std::string all_bytes;
    for (int c = 0; c < 256; ++c) all_bytes += static_cast<char>(c);
    check_covers(all_bytes);
    check_covers(std::string("a\0b '\0' `\0`", 11));
}
