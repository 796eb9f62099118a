#include "error_mapping.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace migrate::drivers::http_planetscale {
namespace {

// The first 4 KiB of a body go into a message (the message buffer then keeps what fits).
constexpr std::size_t body_excerpt_bytes = 4096;

const char* error_name(httplib::Error e) {
    switch (e) {
        case httplib::Error::Success: return "Success";
        case httplib::Error::Unknown: return "Unknown";
        case httplib::Error::Connection: return "Connection";
        case httplib::Error::BindIPAddress: return "BindIPAddress";
        case httplib::Error::Read: return "Read";
        case httplib::Error::Write: return "Write";
        case httplib::Error::ExceedRedirectCount: return "ExceedRedirectCount";
        case httplib::Error::Canceled: return "Canceled";
        case httplib::Error::SSLConnection: return "SSLConnection";
        case httplib::Error::SSLLoadingCerts: return "SSLLoadingCerts";
        case httplib::Error::SSLServerVerification: return "SSLServerVerification";
        case httplib::Error::UnsupportedMultipartBoundaryChars: return "UnsupportedMultipartBoundaryChars";
        case httplib::Error::Compression: return "Compression";
        case httplib::Error::ConnectionTimeout: return "ConnectionTimeout";
    }
    return "?";
}

// errno values that describe a failed connect() or a dropped connection; anything else left in errno
// after an httplib call is likely unrelated (e.g. from name resolution) and is not quoted.
std::string socket_errno_text(int e) {
    switch (e) {
        case ECONNREFUSED:
        case EHOSTUNREACH:
        case ENETUNREACH:
        case ETIMEDOUT:
        case ECONNRESET:
        case EADDRNOTAVAIL:
        case ENETDOWN:
        case EHOSTDOWN:
        case EPIPE:
        case ECONNABORTED: {
            char buffer[128];
            // GNU strerror_r returns the text (possibly a static string, not the buffer).
            const char* text = strerror_r(e, buffer, sizeof buffer);
            return text != nullptr ? std::string(text) : std::string();
        }
        default: return {};
    }
}

std::string openssl_error_text(unsigned long code) {
    if (code == 0) return {};
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    return buffer;
}

bool is_connection_error_errno(std::uint32_t n) {
    // Errors of the gateway's own MySQL client connection that say nothing was sent.
    return n == 2002 /* CR_CONNECTION_ERROR */ || n == 2003 /* CR_CONN_HOST_ERROR */ || n == 2005 /* CR_UNKNOWN_HOST */;
}

bool is_lost_connection_errno(std::uint32_t n) {
    // The backend connection died or was killed under the statement (as the mysql2-like driver reads them):
    // ER_SERVER_SHUTDOWN, ER_CONNECTION_KILLED, and the MySQL client library's own errors (2006, 2013, …).
    return n == 1053 || n == 1927 || (n >= 2000 && n <= 2999 && !is_connection_error_errno(n));
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// Skips whitespace, comments (except /*! executable ones) and '(' at the start of a statement.
std::size_t skip_prefix(std::string_view s) {
    std::size_t i = 0;
    for (;;) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' ||
                                s[i] == '\v' || s[i] == '('))
            ++i;
        if (s.substr(i, 2) == "/*" && s.substr(i, 3) != "/*!") {
            const std::size_t end = s.find("*/", i + 2);
            if (end == std::string_view::npos) return s.size();
            i = end + 2;
        } else if (s.substr(i, 1) == "#" ||
                   (s.substr(i, 2) == "--" && (i + 2 == s.size() || s[i + 2] == ' ' || s[i + 2] == '\t' ||
                                               s[i + 2] == '\n' || s[i + 2] == '\r'))) {
            const std::size_t end = s.find('\n', i);
            if (end == std::string_view::npos) return s.size();
            i = end + 1;
        } else {
            return i;
        }
    }
}

}  // namespace

TransportFailure classify_transport_error(httplib::Error error, const TransportContext& ctx) {
    TransportFailure f;
    using E = httplib::Error;
    switch (error) {
        case E::Connection: {
            f.not_sent = f.connect_failure = true;
            const std::string why = socket_errno_text(ctx.saved_errno);
            f.detail = "could not connect" +
                       (why.empty() ? std::string(" (connection refused, host unreachable, or name not resolved)")
                                    : ": " + why);
            break;
        }
        case E::ConnectionTimeout:
            f.not_sent = f.connect_failure = true;
            f.detail = "could not connect within connect-timeout (" + std::to_string(ctx.connect_timeout) + " s)";
            break;
        case E::BindIPAddress:
            f.not_sent = f.connect_failure = true;
            f.detail = "could not bind the local address";
            break;
        case E::SSLConnection: {
            f.not_sent = f.connect_failure = true;
            const std::string why = openssl_error_text(ctx.ssl_error);
            if (ctx.connect_timeout > 0 && ctx.elapsed_seconds + 0.5 >= static_cast<double>(ctx.connect_timeout))
                f.detail = "the TLS handshake did not complete within connect-timeout (" +
                           std::to_string(ctx.connect_timeout) + " s)";
            else
                f.detail = "TLS handshake failed" +
                           (why.empty() ? std::string(" (is the server speaking TLS on this port?)") : ": " + why);
            break;
        }
        case E::SSLLoadingCerts:
            f.not_sent = f.connect_failure = f.deterministic = true;
            f.detail = "could not load the CA certificates (ssl-ca / ssl-capath, or the system store)";
            break;
        case E::SSLServerVerification:
            f.not_sent = f.connect_failure = f.deterministic = true;
            if (ctx.verify_result != X509_V_OK)
                f.detail = std::string("server certificate verification failed: ") +
                           X509_verify_cert_error_string(ctx.verify_result) +
                           " (give the CA with ssl-ca / ssl-capath, or see ssl-mode in the driver's README)";
            else
                f.detail =
                    "server certificate verification failed: the certificate does not name host '" + ctx.host + "'";
            break;
        case E::Write: {
            // httplib reports Write only when a send() of the request line, headers or body failed; the server
            // cannot have received the whole request, so it cannot have run it.
            f.not_sent = true;
            const std::string why = socket_errno_text(ctx.saved_errno);
            f.detail = "sending the request failed" + (why.empty() ? std::string() : ": " + why);
            break;
        }
        case E::Read:
            if (ctx.read_timeout > 0 && ctx.elapsed_seconds + 0.5 >= static_cast<double>(ctx.read_timeout))
                f.detail = "no response within read-timeout (" + std::to_string(ctx.read_timeout) + " s)";
            else
                f.detail = "the connection was closed or reset before the response arrived";
            break;
        default: f.detail = std::string("the HTTP request failed (httplib error ") + error_name(error) + ")"; break;
    }
    return f;
}

DriverError error_from_http_status(int status, std::string_view reason, std::string_view body, const std::string& where,
                                   Phase phase) {
    DriverError e;
    const std::string status_text =
        "HTTP " + std::to_string(status) + (reason.empty() ? std::string() : " " + printable_excerpt(reason, 100));
    if (auto rpc = psdb::parse_error_body(body)) {
        // A JSON error: wrapped {"error":{…}} or bare Connect {"code","message"}.
        e.server_errno = rpc->mysql_errno;
        e.sqlstate = rpc->sqlstate;
        std::string text = printable_excerpt(rpc->message, body_excerpt_bytes);
        if (text.empty()) text = "request refused";
        e.message = text + " (" + status_text + ", code " + printable_excerpt(rpc->code, 64) + ", from " + where + ")";
        if (status >= 500 || status == 408 || status == 499) {
            e.status = MIGRATE_DRIVER_ERR_IO;  // failed or timed out somewhere after the request arrived
            e.completion_unknown = true;
        } else {
            // A definite refusal of the request (401 and 403: refused before anything ran).
            e.status = MIGRATE_DRIVER_ERR_SERVER;
        }
    } else {
        const std::string excerpt = printable_excerpt(body.substr(0, body_excerpt_bytes), body_excerpt_bytes);
        if (status >= 520 && status <= 530)
            e.message = "Cloudflare error: " + status_text + " (not a database error) from " + where;
        else
            e.message = "expected a JSON response from the PlanetScale HTTP API at " + where + ", got " + status_text;
        if (status >= 300 && status < 400) e.message += " (redirects are not followed)";
        if (!excerpt.empty()) e.message += ": " + excerpt;
        e.status = MIGRATE_DRIVER_ERR_IO;
        e.completion_unknown = status >= 500 || status == 408 || status == 499;
    }
    if (phase == Phase::open) {
        e.status = MIGRATE_DRIVER_ERR_CONNECT;
        e.completion_unknown = false;
    }
    return e;
}

DriverError error_from_rpc(const psdb::RpcError& rpc, Phase phase) {
    DriverError e;
    e.server_errno = rpc.mysql_errno;
    e.sqlstate = rpc.sqlstate;
    e.message = printable_excerpt(rpc.message, body_excerpt_bytes);
    if (e.message.empty()) e.message = "the server reported error code " + printable_excerpt(rpc.code, 64);
    if (phase == Phase::open) {
        e.status = MIGRATE_DRIVER_ERR_CONNECT;
    } else if (is_lost_connection_errno(rpc.mysql_errno)) {
        e.status = MIGRATE_DRIVER_ERR_IO;
        e.completion_unknown = true;
    } else if (is_connection_error_errno(rpc.mysql_errno)) {
        e.status = MIGRATE_DRIVER_ERR_IO;
    } else {
        e.status = MIGRATE_DRIVER_ERR_SERVER;
    }
    return e;
}

bool is_retryable_read(std::string_view sql) {
    const std::size_t start = skip_prefix(sql);
    std::size_t end = start;
    while (end < sql.size() && is_word_char(sql[end])) ++end;
    std::string keyword;
    for (char c : sql.substr(start, end - start)) keyword.push_back(lower(c));
    if (keyword != "select" && keyword != "show") return false;

    // Variable assignment is not idempotent (select @n := @n + 1).
    if (sql.find(":=") != std::string_view::npos) return false;

    // Any of these words anywhere (even inside a string literal: erring towards "no" is harmless).
    static constexpr std::array<std::string_view, 10> side_effects = {
        "get_lock", "release_lock", "release_all_locks",  // lock state; RELEASE_LOCK twice returns 0
        "update",   "share",                              // FOR UPDATE, FOR SHARE, LOCK IN SHARE MODE
        "into",                                           // INTO @var / OUTFILE / DUMPFILE
        "nextval",  "setval",       "lastval",            // sequences
        "sleep"};                                         // slow by design: do not wait for it twice
    for (std::size_t i = end; i < sql.size();) {
        if (!is_word_char(sql[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < sql.size() && is_word_char(sql[j])) ++j;
        if (j - i <= 17) {
            std::string word;
            for (char c : sql.substr(i, j - i)) word.push_back(lower(c));
            for (auto w : side_effects)
                if (word == w) return false;
        }
        i = j;
    }
    return true;
}

}  // namespace migrate::drivers::http_planetscale
