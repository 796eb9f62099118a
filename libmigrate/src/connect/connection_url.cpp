#include <migrate/connection_url.hpp>
#include <migrate/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace migrate {
namespace {

[[noreturn]] void fail(const std::string& what) { throw error(errc::url_invalid, "connection URL: " + what); }

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// `part` names the URL component for the message; the raw text is not echoed (it may be a password).
std::string percent_decode(std::string_view s, std::string_view part) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out.push_back(s[i]);
            continue;
        }
        int hi = i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
        int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
        if (hi < 0 || lo < 0)
            fail(fmt::format("the {} has a '%' not followed by two hex digits (percent-encoding)", part));
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

std::string percent_encode(std::string_view s) {
    std::string out;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
            out.push_back(static_cast<char>(c));
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

unsigned parse_unsigned(std::string_view value, std::string_view key, unsigned max) {
    unsigned v = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc() || end != value.data() + value.size() || v > max)
        fail(fmt::format("{}={} is not a whole number from 0 to {}", key, value, max));
    return v;
}

bool valid_scheme(std::string_view s) {
    if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
    return std::all_of(s.begin(), s.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '+' || c == '-' || c == '.'; });
}

bool is_loopback(std::string_view host) { return host == "localhost" || host == "::1" || host.starts_with("127."); }

std::optional<TlsMode> parse_tls_mode(std::string_view v) {
    auto s = lower(v);
    std::replace(s.begin(), s.end(), '-', '_');
    if (s == "disabled" || s == "disable" || s == "false") return TlsMode::disabled;
    if (s == "required" || s == "require" || s == "true") return TlsMode::required;
    if (s == "verify_ca") return TlsMode::verify_ca;
    if (s == "verify_identity" || s == "verify_full") return TlsMode::verify_identity;
    return std::nullopt;
}

}  // namespace

std::string_view to_string(Transport t) noexcept { return t == Transport::http ? "http" : "tcp"; }

std::string_view to_string(TlsMode m) noexcept {
    switch (m) {
        case TlsMode::disabled: return "DISABLED";
        case TlsMode::required: return "REQUIRED";
        case TlsMode::verify_ca: return "VERIFY_CA";
        case TlsMode::verify_identity: return "VERIFY_IDENTITY";
    }
    return "?";
}

ConnectionUrl parse_connection_url(std::string_view text) {
    ConnectionUrl u;
    auto sep = text.find("://");
    if (sep == std::string_view::npos || sep == 0)
        fail("expected scheme://user:password@host:port/database (e.g. mysql://app@db.internal:3306/app)");
    u.scheme = lower(text.substr(0, sep));
    // Any scheme of RFC 3986's shape: one libmigrate does not know is a driver plugin's to serve, and only a
    // lookup of the drivers can tell whether one does (settle_transport, Connection::open).
    if (!valid_scheme(u.scheme))
        fail(
            "the scheme (before ://) must start with a letter and hold only letters, digits, '+', '-' and '.' "
            "(mysql://, mariadb://, http://, https://, or one a driver declares)");
    std::string_view rest = text.substr(sep + 3);

    // Query string first ('?' cannot appear unencoded elsewhere), then userinfo up to the last '@'
    // (lenient about an unencoded '@' in passwords), then host[:port], then /database.
    std::string_view query;
    if (auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    if (auto h = rest.find('#'); h != std::string_view::npos) fail("a '#' fragment is not allowed");
    if (auto at = rest.rfind('@'); at != std::string_view::npos) {
        auto userinfo = rest.substr(0, at);
        rest = rest.substr(at + 1);
        // redact_url_text (for echoed text) takes a URL to end at whitespace or a quote: a password holding
        // one would be printed (found by fuzz/connection_url). URLs never hold them raw anyway.
        if (std::any_of(userinfo.begin(), userinfo.end(),
                        [](unsigned char c) { return c < 0x20 || c == 0x7f || c == ' ' || c == '"' || c == '\''; }))
            fail(
                "the user name or password holds a space, a quote or a control character: percent-encode it "
                "(a space is %20, \" is %22, ' is %27)");
        auto colon = userinfo.find(':');
        u.user = percent_decode(userinfo.substr(0, colon), "user name");
        if (colon != std::string_view::npos) {
            u.password = percent_decode(userinfo.substr(colon + 1), "password");
            u.has_password = true;
        }
    }
    std::string_view hostport = rest.substr(0, rest.find('/'));
    std::string_view path = hostport.size() < rest.size() ? rest.substr(hostport.size() + 1) : std::string_view{};

    std::string_view port_text;
    if (hostport.starts_with('[')) {
        auto close = hostport.find(']');
        if (close == std::string_view::npos) fail("an IPv6 host opened with '[' has no closing ']'");
        u.host = std::string(hostport.substr(1, close - 1));
        auto after = hostport.substr(close + 1);
        if (!after.empty()) {
            if (after[0] != ':') fail("expected ':port' after the IPv6 host ']'");
            port_text = after.substr(1);
        }
        if (u.host.empty()) fail("the IPv6 host between '[' and ']' is empty");
    } else {
        auto colon = hostport.rfind(':');
        u.host = percent_decode(hostport.substr(0, colon), "host");
        if (colon != std::string_view::npos) port_text = hostport.substr(colon + 1);
        if (u.host.starts_with('/')) {  // percent-encoded socket path as host
            u.socket = u.host;
            u.host = "localhost";
        }
        // Only an IPv6 address holds a ':', and only in brackets (RFC 3986). Unbracketed, `a:b:3306` left
        // the host ambiguous, and redacted() printed it bracketed, where '@' and '%' are not decoded — naming
        // another endpoint (found by fuzz/connection_url).
        if (u.socket.empty() && u.host.find(':') != std::string::npos)
            fail(
                "the host holds a ':' (raw or as %3A): put an IPv6 address in brackets, "
                "mysql://user@[::1]:3306/db, and give the port once, after the host");
    }
    if (!port_text.empty() || (hostport.ends_with(':'))) {
        unsigned p = 0;
        auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), p);
        if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() || p == 0 || p > 65535)
            fail(fmt::format("port '{}' is not a number from 1 to 65535", port_text));
        u.port = static_cast<std::uint16_t>(p);
    }
    if (path.find('/') != std::string_view::npos) fail("the database name (the path after host/) may not contain '/'");
    u.database = percent_decode(path, "database name");

    std::optional<Transport> transport;
    std::optional<TlsMode> tls;
    for (std::size_t begin = 0; begin <= query.size() && !query.empty();) {
        auto amp = query.find('&', begin);
        auto pair = query.substr(begin, amp == std::string_view::npos ? std::string_view::npos : amp - begin);
        begin = amp == std::string_view::npos ? query.size() + 1 : amp + 1;
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        std::string key = lower(percent_decode(pair.substr(0, eq), "query parameter name"));
        std::string value =
            eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1), "query parameter value");
        std::replace(key.begin(), key.end(), '_', '-');
        if (key == "transport") {
            auto v = lower(value);
            if (v == "tcp")
                transport = Transport::tcp;
            else if (v == "http")
                transport = Transport::http;
            else
                fail(fmt::format("transport={} is not 'tcp' or 'http'", value));
        } else if (key == "ssl-mode" || key == "sslmode") {
            if (lower(value) == "preferred" || lower(value) == "prefer")
                fail(
                    "ssl-mode=PREFERRED falls back to plaintext without telling anyone; "
                    "use REQUIRED, VERIFY_CA, VERIFY_IDENTITY or DISABLED");
            tls = parse_tls_mode(value);
            if (!tls) fail(fmt::format("ssl-mode={} is not DISABLED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY", value));
        } else if (key == "sslaccept") {  // Prisma's spelling
            if (value == "strict")
                tls = TlsMode::verify_identity;
            else if (value == "accept_invalid_certs")
                tls = TlsMode::required;
            else
                fail(fmt::format("sslaccept={} is not 'strict' or 'accept_invalid_certs'", value));
        } else if (key == "ssl") {  // mysql2's spelling: ssl={"rejectUnauthorized":true}
            auto v = lower(value);
            v.erase(std::remove(v.begin(), v.end(), ' '), v.end());
            if (v == "{\"rejectunauthorized\":true}" || v == "true" || v == "{}")
                tls = TlsMode::verify_identity;
            else if (v == "{\"rejectunauthorized\":false}")
                tls = TlsMode::required;
            else if (v == "false")
                tls = TlsMode::disabled;
            else
                fail(fmt::format("ssl={} is not understood; use ssl-mode=VERIFY_IDENTITY (or REQUIRED, DISABLED)",
                                 value));
        } else if (key == "ssl-ca" || key == "sslca" || key == "sslrootcert") {
            u.tls_ca = value;
        } else if (key == "ssl-capath") {
            u.tls_capath = value;
        } else if (key == "ssl-cert" || key == "sslcert") {
            u.tls_cert = value;
        } else if (key == "ssl-key" || key == "sslkey") {
            u.tls_key = value;
        } else if (key == "socket") {
            u.socket = value;
        } else if (key == "connect-timeout") {
            u.connect_timeout_s = parse_unsigned(value, key, 3600);
        } else if (key == "read-timeout") {
            u.read_timeout_s = parse_unsigned(value, key, 7 * 24 * 3600);
        } else if (key == "write-timeout") {
            u.write_timeout_s = parse_unsigned(value, key, 7 * 24 * 3600);
        } else {
            fail(
                fmt::format("unknown parameter '{}'; known: transport, ssl-mode, sslaccept, ssl, ssl-ca, ssl-capath, "
                            "ssl-cert, ssl-key, socket, connect-timeout, read-timeout, write-timeout",
                            key));
        }
    }

    if (u.host.empty() && u.socket.empty()) fail("no host (mysql://user:password@HOST:port/database)");
    if (u.user.empty()) fail("no user name (mysql://USER:password@host:port/database)");

    u.tls_given = tls.has_value();
    if (tls) u.tls = *tls;
    if (!is_builtin_scheme(u.scheme)) {
        // The driver that declares the scheme decides the transport: a parameter could only contradict it.
        if (transport)
            fail(fmt::format(
                "transport= applies to mysql://, mariadb://, http:// and https:// only; the driver that declares "
                "{}:// decides its transport",
                u.scheme));
        u.transport_settled = false;
        return u;
    }

    const bool http_scheme = u.scheme == "http" || u.scheme == "https";
    if (transport)
        u.transport = *transport;
    else if (http_scheme || lower(u.host).ends_with(".psdb.cloud"))
        u.transport = Transport::http;
    else
        u.transport = Transport::tcp;
    if (u.transport == Transport::tcp && http_scheme)
        fail(fmt::format("transport=tcp needs a mysql:// or mariadb:// URL, not {}://", u.scheme));
    u.transport_settled = false;
    settle_transport(u, u.transport);
    if (u.scheme == "http" && u.tls != TlsMode::disabled) fail("http:// is plaintext; use https:// for TLS");
    if (u.scheme == "https" && u.tls == TlsMode::disabled)
        fail("https:// with ssl-mode=DISABLED: use http:// for plaintext");
    return u;
}

bool is_builtin_scheme(std::string_view scheme) noexcept {
    return scheme == "mysql" || scheme == "mariadb" || scheme == "http" || scheme == "https";
}

void settle_transport(ConnectionUrl& u, Transport t) {
    if (u.transport_settled) {
        if (u.transport != t)
            fail(fmt::format("{}:// is settled on transport {}, not {}", u.scheme, to_string(u.transport),
                             to_string(t)));
        return;
    }
    u.transport = t;
    if (u.transport == Transport::http && !u.socket.empty()) fail("a unix socket cannot be used with transport=http");

    // TLS verification is on unless asked otherwise. Plaintext by default only for explicit http:// and
    // for TCP to loopback or a unix socket (traffic that never leaves the machine). The HTTP transport
    // with any other scheme means https (as @planetscale/database does with mysql://).
    if (!u.tls_given) {
        if (u.transport == Transport::http)
            u.tls = u.scheme == "http" ? TlsMode::disabled : TlsMode::verify_identity;
        else if (!u.socket.empty() || is_loopback(u.host))
            u.tls = TlsMode::disabled;
        else
            u.tls = TlsMode::verify_identity;
    }
    u.transport_settled = true;
}

std::string ConnectionUrl::endpoint() const {
    if (!socket.empty()) return socket;
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return port ? fmt::format("{}:{}", h, port) : h;
}

std::string ConnectionUrl::redacted() const {
    std::string out = scheme + "://" + percent_encode(user);
    if (has_password) out += ":***";
    out += "@";
    // Encoded as the parser reads them back: a socket (it wins over any host, as in driver_options) and a
    // host that percent-decoded to '/', '@', ... printed raw named another endpoint (found by fuzz/connection_url).
    // A relative socket path cannot stand as the host (that needs a leading '/'): it stays a parameter.
    const bool socket_as_host = socket.starts_with('/');
    if (socket_as_host)
        out += percent_encode(socket);
    else if (!socket.empty())
        out += "localhost";
    else if (host.find(':') != std::string::npos)
        out += endpoint();  // [IPv6]:port
    else
        out += port ? fmt::format("{}:{}", percent_encode(host), port) : percent_encode(host);
    out += "/" + percent_encode(database);
    if (!socket.empty() && !socket_as_host) out += "?socket=" + percent_encode(socket);
    return out;
}

std::vector<std::pair<std::string, std::string>> ConnectionUrl::driver_options() const {
    std::vector<std::pair<std::string, std::string>> o;
    // The HTTP driver tells http:// from https:// by it; a driver of a scheme libmigrate does not know may
    // declare several and serve them differently.
    if (transport == Transport::http || !is_builtin_scheme(scheme)) o.emplace_back("scheme", scheme);
    if (!socket.empty())
        o.emplace_back("socket", socket);
    else
        o.emplace_back("host", host);
    if (port) o.emplace_back("port", std::to_string(port));
    o.emplace_back("user", user);
    if (has_password) o.emplace_back("password", password);
    o.emplace_back("database", database);
    o.emplace_back("ssl-mode", std::string(to_string(tls)));
    if (!tls_ca.empty()) o.emplace_back("ssl-ca", tls_ca);
    if (!tls_capath.empty()) o.emplace_back("ssl-capath", tls_capath);
    if (!tls_cert.empty()) o.emplace_back("ssl-cert", tls_cert);
    if (!tls_key.empty()) o.emplace_back("ssl-key", tls_key);
    o.emplace_back("connect-timeout", std::to_string(connect_timeout_s));
    o.emplace_back("read-timeout", std::to_string(read_timeout_s));
    o.emplace_back("write-timeout", std::to_string(write_timeout_s));
    return o;
}

std::string with_database(std::string_view url, std::string_view database) {
    parse_connection_url(url);  // the same rules (and errors) as everywhere else
    // The path is found as parse_connection_url finds it: the host starts after the last '@' before the
    // query, since the parser accepts an unencoded '/' or '@' in the user info (found by fuzz/connection_url).
    const auto scheme_end = url.find("://") + 3;
    const auto query = url.find('?', scheme_end);
    const auto at = url.substr(0, query).rfind('@');
    const auto host_begin = at == std::string_view::npos || at < scheme_end ? scheme_end : at + 1;
    const auto path = url.find('/', host_begin);
    const auto authority_end = std::min(path, query);
    std::string out(url.substr(0, authority_end));
    out += "/" + percent_encode(database);
    if (query != std::string_view::npos) out += url.substr(query);
    return out;
}

std::string redact_url_text(std::string_view text) {
    std::string out(text);
    for (std::size_t pos = out.find("://"); pos != std::string::npos; pos = out.find("://", pos + 3)) {
        std::size_t end = pos + 3;
        while (end < out.size() && !std::isspace(static_cast<unsigned char>(out[end])) && out[end] != '"' &&
               out[end] != '\'')
            ++end;
        auto at = out.rfind('@', end);
        if (at == std::string::npos || at < pos + 3) continue;
        auto colon = out.find(':', pos + 3);
        if (colon == std::string::npos || colon > at) continue;
        out.replace(colon + 1, at - colon - 1, "***");
    }
    return out;
}

}  // namespace migrate
