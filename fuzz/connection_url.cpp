// Connection strings: parse_connection_url, redacted(), with_database, redact_url_text.
// Input: the URL text.
// Invariants: only migrate::error(url_invalid) escapes; the password never shows: redacted() and
// redact_url_text() do not depend on it, and no error message contains it; with_database changes the
// database and nothing else; what redacted() prints names the same user, database and endpoint.
#include "fuzz_support.hpp"

#include <migrate/connection_url.hpp>
#include <migrate/error.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>

namespace {

using migrate::ConnectionUrl;

// The raw password span as the parser cuts it: after "://", before the first '?', up to the last '@',
// after the first ':' of that user info. nullopt when there is none.
struct Span {
    std::size_t begin, end;
};
std::optional<Span> password_span(std::string_view url) {
    const auto sep = url.find("://");
    if (sep == std::string_view::npos) return std::nullopt;
    const std::size_t start = sep + 3;
    const std::size_t query = std::min(url.find('?', start), url.size());
    const auto at = url.substr(0, query).rfind('@');
    if (at == std::string_view::npos || at < start) return std::nullopt;
    const auto colon = url.substr(0, at).find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    return Span{colon + 1, at};
}

// The URL with every password byte replaced by one that cannot change how the URL is cut ('Q', or 'R'
// where it already was 'Q'): a function that does not print the password gives the same answer for both.
std::string other_password(std::string_view url, Span s) {
    std::string out(url);
    for (std::size_t i = s.begin; i < s.end; ++i) out[i] = out[i] == 'Q' ? 'R' : 'Q';
    return out;
}

std::optional<ConnectionUrl> parse(std::string_view url, std::string* message = nullptr) {
    try {
        return migrate::parse_connection_url(url);
    } catch (const migrate::error& e) {
        FUZZ_CHECK(e.code() == migrate::errc::url_invalid, "url error code");
        if (message) *message = e.what();
        return std::nullopt;
    } catch (const std::exception& e) {
        fuzz::unexpected(e, "parse_connection_url");
    }
}

// The URL with the password's letters and digits rotated within their class (hex digits among hex digits):
// every check the parser makes (percent escapes, separators, refused characters) gives the same answer.
std::string rotated_password(std::string_view url, Span s) {
    std::string out(url);
    auto rot = [](char c, char first, char last) { return c == last ? first : static_cast<char>(c + 1); };
    for (std::size_t i = s.begin; i < s.end; ++i) {
        char& c = out[i];
        if (c >= '0' && c <= '9')
            c = rot(c, '0', '9');
        else if (c >= 'a' && c <= 'f')
            c = rot(c, 'a', 'f');
        else if (c >= 'A' && c <= 'F')
            c = rot(c, 'A', 'F');
        else if (c >= 'g' && c <= 'z')
            c = rot(c, 'g', 'z');
        else if (c >= 'G' && c <= 'Z')
            c = rot(c, 'G', 'Z');
    }
    return out;
}

// A refused URL's message must not quote its password: the same URL with another password of the same
// shape is refused with the very same message.
void check_no_password(std::string_view url, const std::string& message, std::optional<Span> span) {
    if (!span) return;
    const std::string other = rotated_password(url, *span);
    if (other == url) return;  // no letter or digit to change
    std::string other_message;
    FUZZ_CHECK(!parse(other, &other_message), "a password of the same shape was accepted");
    FUZZ_CHECK(message == other_message, "the error depends on the password: " + message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view url(reinterpret_cast<const char*>(data), size);
    const auto span = password_span(url);

    std::string message;
    const auto u = parse(url, &message);
    if (!u) {
        check_no_password(url, message, span);
        return 0;
    }
    FUZZ_CHECK(!u->user.empty() && (!u->host.empty() || !u->socket.empty()), "user and host or socket");
    // A built-in scheme is settled on its transport; any other is a lower-case RFC 3986 scheme left for the
    // driver that declares it to settle.
    FUZZ_CHECK(!u->scheme.empty() && u->transport_settled == migrate::is_builtin_scheme(u->scheme), "scheme");
    FUZZ_CHECK(std::all_of(u->scheme.begin(), u->scheme.end(),
                           [](char c) {
                               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
                                      c == '.';
                           }),
               "scheme in lower case");
    FUZZ_CHECK(u->transport == migrate::Transport::tcp || u->socket.empty(), "a socket only over tcp");
    FUZZ_CHECK(u->has_password || u->password.empty(), "has_password");

    const std::string redacted = u->redacted();
    const std::string text_redacted = migrate::redact_url_text(url);
    if (span && u->has_password) {
        // Same URL, another password: what is printed must not change.
        const std::string other = other_password(url, *span);
        const auto v = parse(other);
        if (v) {
            FUZZ_CHECK(v->user == u->user && v->host == u->host && v->database == u->database,
                       "the password's bytes changed another part of the URL");
            FUZZ_CHECK(v->redacted() == redacted, "redacted() depends on the password: " + redacted);
        }
        FUZZ_CHECK(migrate::redact_url_text(other) == text_redacted,
                   "redact_url_text() depends on the password: " + text_redacted);
    }

    // with_database: the database changes, nothing else.
    for (std::string_view db : {"fuzz_db", "", "a/b?c#d@e:f"}) {
        std::string moved;
        try {
            moved = migrate::with_database(url, db);
        } catch (const std::exception& e) {
            fuzz::unexpected(e, "with_database on a URL that parses");
        }
        std::string why;
        const auto w = parse(moved, &why);
        FUZZ_CHECK(w.has_value(), "with_database gave a URL that does not parse: " + why);
        FUZZ_CHECK(w->database == db, "with_database did not set the database");
        FUZZ_CHECK(w->user == u->user && w->password == u->password && w->has_password == u->has_password &&
                       w->host == u->host && w->port == u->port && w->socket == u->socket &&
                       w->transport == u->transport && w->tls == u->tls && w->scheme == u->scheme &&
                       w->tls_ca == u->tls_ca && w->connect_timeout_s == u->connect_timeout_s,
                   "with_database changed more than the database");
    }

    // What redacted() prints reads back as the same user, database and endpoint (password "***").
    std::string why;
    if (const auto r = parse(redacted, &why)) {
        FUZZ_CHECK(r->user == u->user && r->database == u->database && r->has_password == u->has_password,
                   "redacted() names another user or database: " + redacted);
        FUZZ_CHECK(r->endpoint() == u->endpoint(), "redacted() names another endpoint: " + redacted);
    }
    (void)u->driver_options();
    return 0;
}
