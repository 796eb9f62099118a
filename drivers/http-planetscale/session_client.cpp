#include "session_client.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <optional>
#include <utility>
#include <vector>

namespace migrate::drivers::http_planetscale {
namespace {

constexpr const char* execute_path = "/psdb.v1alpha1.Database/Execute";
constexpr const char* close_session_path = "/psdb.v1alpha1.Database/CloseSession";
// CloseSession of an abandoned session is best effort: it waits at most this long.
constexpr unsigned int abandon_timeout_seconds = 5;
constexpr const char* user_agent = "libmigrate-http-planetscale/0.1.0";
constexpr const char* content_type = "application/json";

// A timeout of 0 ("none") becomes this many seconds.
constexpr unsigned int no_timeout_seconds = 24 * 60 * 60;

// A kept-alive connection idle for longer than this is closed before the next request and a fresh one
// is opened. Servers close idle connections on their own (httplib and Node after 5 s); a request that
// crosses that close in flight fails in a way that cannot be told apart from a lost response, which for
// a write means "completion unknown". Reconnecting after a short idle time makes that race unlikely.
constexpr std::chrono::seconds idle_reconnect{2};

// Blocks SIGPIPE in the calling thread while the HTTP client writes: OpenSSL writes to the socket
// without MSG_NOSIGNAL, and a write to a connection the server closed would otherwise kill the host
// process. A SIGPIPE raised meanwhile is consumed before the old mask is restored. Process-wide signal
// dispositions are left alone.
class SigpipeGuard {
  public:
    SigpipeGuard() noexcept {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        sigset_t pending;
        sigemptyset(&pending);
        sigpending(&pending);
        was_pending_ = sigismember(&pending, SIGPIPE) == 1;
        blocked_ = pthread_sigmask(SIG_BLOCK, &pipe_, &old_) == 0;
    }
    ~SigpipeGuard() {
        if (!blocked_) return;
        if (!was_pending_) {
            sigset_t pending;
            sigemptyset(&pending);
            sigpending(&pending);
            if (sigismember(&pending, SIGPIPE) == 1) {
                const timespec zero{0, 0};
                const int saved = errno;
                while (sigtimedwait(&pipe_, nullptr, &zero) < 0 && errno == EINTR) {}
                errno = saved;
            }
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    SigpipeGuard(const SigpipeGuard&) = delete;
    SigpipeGuard& operator=(const SigpipeGuard&) = delete;

  private:
    sigset_t pipe_{}, old_{};
    bool was_pending_ = false;
    bool blocked_ = false;
};

bool is_directory(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Loads a CA file into a scratch store, to refuse an unusable ssl-ca at open with a clear message
// instead of failing every request later.
bool ca_file_loads(const std::string& path) {
    X509_STORE* store = X509_STORE_new();
    if (store == nullptr) return false;
    const bool ok = X509_STORE_load_file(store, path.c_str()) == 1;
    X509_STORE_free(store);
    ERR_clear_error();
    return ok;
}

std::string base64_credentials(const std::string& user, const std::string& password) {
    return psdb::base64_encode(user + ":" + password);
}

// Collects the first cell of the first row.
struct FirstCell {
    std::optional<std::string> value;
    bool seen = false;
};

int first_cell_row(void* user, uint32_t count, const char* const* values, const size_t* lengths) {
    auto* out = static_cast<FirstCell*>(user);
    if (!out->seen && count > 0 && values[0] != nullptr) out->value = std::string(values[0], lengths[0]);
    out->seen = true;
    return 1;  // nothing more wanted
}

}  // namespace

SessionClient::SessionClient(const HttpConfig& config)
    : config_(config),
      redactor_(
          {config.password, config.user + ":" + config.password, base64_credentials(config.user, config.password)}),
      origin_(config.origin()),
      session_(nullptr) {}

SessionClient::~SessionClient() {
    // Closing sends a TLS close_notify: keep a dead peer from raising SIGPIPE here too.
    SigpipeGuard guard;
    try {
        close_abandoned_session();
    } catch (...) {
        // Best effort: the server reaps the session after its idle timeout anyway.
    }
    http_.reset();
}

void SessionClient::close_abandoned_session() {
    // After a lost response the server-side session may hold an open transaction and its locks (the
    // statement ran, its answer never came). Nobody will ever send on it again, yet the server keeps it
    // until it reaps idle sessions (PlanetScale after about 20 s, psdb-gateway after --idle-timeout): the
    // next run would wait on those locks, or time out on them. Ending it now rolls that transaction back,
    // which is what the core assumes of a statement whose outcome is unknown (its DML commits only
    // together with its progress mark). A session still busy with the lost request is refused by the
    // server and left to its reaping; any answer is ignored.
    if (!broken_ || session_.is_null() || !http_) return;
    http_->stop();  // the old socket may still carry the lost response
    const auto timeout = static_cast<time_t>(std::min(connect_timeout_, abandon_timeout_seconds));
    http_->set_connection_timeout(timeout, 0);
    http_->set_read_timeout(static_cast<time_t>(abandon_timeout_seconds), 0);
    http_->set_write_timeout(static_cast<time_t>(abandon_timeout_seconds), 0);
    const psdb::json body = {{"session", session_}};
    (void)http_->Post(close_session_path, body.dump(), content_type);
}

std::unique_ptr<SessionClient> SessionClient::create(const HttpConfig& config, DriverError& err) {
    std::unique_ptr<SessionClient> self(new SessionClient(config));
    const HttpConfig& c = self->config_;
    const int port = static_cast<int>(c.port);

    if (c.tls) {
        if (c.verify_certificate) {
            if (c.ssl_ca && !ca_file_loads(*c.ssl_ca)) {
                err = make_error(
                    MIGRATE_DRIVER_ERR_OPTION,
                    "invalid value for option 'ssl-ca': cannot load CA certificates (PEM) from '" + *c.ssl_ca + "'");
                return nullptr;
            }
            if (c.ssl_capath && !is_directory(*c.ssl_capath)) {
                err = make_error(MIGRATE_DRIVER_ERR_OPTION,
                                 "invalid value for option 'ssl-capath': '" + *c.ssl_capath + "' is not a directory");
                return nullptr;
            }
        }
        auto ssl = std::make_unique<httplib::SSLClient>(c.host, port, c.ssl_cert.value_or(std::string()),
                                                        c.ssl_key.value_or(std::string()));
        if (!ssl->is_valid() || ssl->ssl_context() == nullptr) {
            ERR_clear_error();
            if (c.ssl_cert)
                err = make_error(MIGRATE_DRIVER_ERR_OPTION,
                                 "cannot load the client certificate '" + *c.ssl_cert +
                                     "' (option 'ssl-cert') or its key '" + *c.ssl_key +
                                     "' (option 'ssl-key'); both must be PEM files that match");
            else
                err = make_error(MIGRATE_DRIVER_ERR_INTERNAL, "cannot create a TLS context (OpenSSL)");
            return nullptr;
        }
        SSL_CTX* ctx = ssl->ssl_context();
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);  // as PlanetScale's Go client
        if (c.verify_certificate) {
            // httplib checks the chain and then the host name (SAN, else CN) after the handshake. With
            // ssl-ca it trusts that file only, with ssl-capath that directory only, else the system store.
            ssl->enable_server_certificate_verification(true);
            if (c.ssl_ca) {
                ssl->set_ca_cert_path(*c.ssl_ca);
                // httplib takes the file and ignores a directory given with it: add the directory here.
                if (c.ssl_capath && X509_STORE_load_path(SSL_CTX_get_cert_store(ctx), c.ssl_capath->c_str()) != 1) {
                    ERR_clear_error();
                    err = make_error(MIGRATE_DRIVER_ERR_OPTION, "invalid value for option 'ssl-capath': cannot use '" +
                                                                    *c.ssl_capath + "' as a CA directory");
                    return nullptr;
                }
            } else if (c.ssl_capath) {
                ssl->set_ca_cert_path(std::string(), *c.ssl_capath);
            }
        } else {
            // ssl-mode=REQUIRED without a CA: encrypted, but anyone in the path can pose as the server.
            ssl->enable_server_certificate_verification(false);
        }
        self->http_ = std::move(ssl);
    } else {
        self->http_ = std::make_unique<httplib::ClientImpl>(c.host, port);
    }

    self->connect_timeout_ = c.connect_timeout != 0 ? c.connect_timeout : no_timeout_seconds;
    self->read_timeout_ = c.read_timeout != 0 ? c.read_timeout : no_timeout_seconds;
    self->write_timeout_ = c.write_timeout != 0 ? c.write_timeout : no_timeout_seconds;

    httplib::ClientImpl& http = *self->http_;
    http.set_connection_timeout(static_cast<time_t>(self->connect_timeout_), 0);
    http.set_read_timeout(static_cast<time_t>(self->read_timeout_), 0);
    http.set_write_timeout(static_cast<time_t>(self->write_timeout_), 0);
    http.set_keep_alive(true);
    http.set_tcp_nodelay(true);  // headers and body go out in two writes: no Nagle delay between them
    http.set_follow_location(false);
    http.set_basic_auth(c.user, c.password);
    http.set_default_headers({{"User-Agent", user_agent}});
    return self;
}

bool SessionClient::fail(DriverError e, DriverError& err) {
    if (e.completion_unknown && !broken_) {
        broken_ = true;
        broken_reason_ = printable_excerpt(e.message, 300);
    }
    err = std::move(e);
    return false;
}

void SessionClient::remember_session_from_error_body(const std::string& body) {
    // "Store the last non-null session from any response" (database-js's rule), also from a non-2xx body.
    psdb::json j = psdb::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return;
    auto it = j.find("session");
    if (it != j.end() && !it->is_null()) session_ = std::move(*it);
}

void SessionClient::close_if_idle() {
    if (used_ && http_->is_socket_open() != 0 && std::chrono::steady_clock::now() - last_used_ > idle_reconnect) {
        SigpipeGuard guard;
        http_->stop();
    }
}

bool SessionClient::execute(std::string_view sql, const migrate_driver_row_sink* sink, migrate_driver_result* result,
                            Phase phase, DriverError& err, bool& sent) {
    std::lock_guard<std::mutex> lock(mutex_);
    try {
        return execute_locked(sql, sink, result, phase, err, sent);
    } catch (...) {
        // An exception once the request may have left (out of memory, a throwing sink): the session
        // might not have been updated, so the connection is not used again.
        if (sent) {
            broken_ = true;
            broken_reason_ = "an internal error interrupted an earlier request";
        }
        throw;
    }
}

bool SessionClient::execute_locked(std::string_view sql, const migrate_driver_row_sink* sink,
                                   migrate_driver_result* result, Phase phase, DriverError& err, bool& sent) {
    if (broken_) {
        DriverError e = make_error(MIGRATE_DRIVER_ERR_IO,
                                   "the connection is unusable after an earlier request whose outcome is unknown (" +
                                       broken_reason_ + "); the statement was not sent: open a new connection");
        err = std::move(e);
        return false;
    }
    if (!is_valid_utf8(sql)) {
        err = make_error(MIGRATE_DRIVER_ERR_INTERNAL,
                         "the statement is not valid UTF-8, which the PlanetScale HTTP API (JSON) cannot carry; "
                         "the statement was not sent");
        return false;
    }

    const std::string body = psdb::execute_request(sql, session_);
    const bool retryable_read = is_retryable_read(sql);
    const std::string where = origin_ + execute_path;

    // A retried request: what happened the first time, for the final message and completion flag.
    std::string first_failure;
    bool first_may_have_run = false;

    for (int attempt = 0;; ++attempt) {
        close_if_idle();
        const bool reused_socket = http_->is_socket_open() != 0;

        ERR_clear_error();
        errno = 0;
        sent = true;
        const auto start = std::chrono::steady_clock::now();
        httplib::Result res = [&] {
            SigpipeGuard guard;
            return http_->Post(execute_path, body, content_type);
        }();
        const int saved_errno = errno;
        used_ = true;
        last_used_ = std::chrono::steady_clock::now();

        if (!res) {
            TransportContext ctx;
            ctx.saved_errno = saved_errno;
            ctx.ssl_error = ERR_get_error();
            ERR_clear_error();
            if (config_.tls) ctx.verify_result = static_cast<httplib::SSLClient&>(*http_).get_openssl_verify_result();
            ctx.elapsed_seconds = std::chrono::duration<double>(last_used_ - start).count();
            ctx.read_timeout = read_timeout_;
            ctx.connect_timeout = connect_timeout_;
            ctx.host = config_.host;
            const TransportFailure f = classify_transport_error(res.error(), ctx);

            // One more try: when nothing reached the server over a reused keep-alive connection (the server
            // closed it while idle: reconnect and resend is safe), or for a read, after anything short of a
            // failed fresh connect or a certificate problem.
            const bool retry =
                attempt == 0 && !f.deterministic &&
                ((f.not_sent && reused_socket) || (retryable_read && !(f.connect_failure && !reused_socket)));
            if (retry) {
                first_failure = f.detail;
                first_may_have_run = !f.not_sent;
                continue;
            }

            std::string detail = f.detail;
            if (attempt > 0)
                detail += first_failure == f.detail ? " (also on a second attempt)"
                                                    : " (second attempt; the first: " + first_failure + ")";
            if (phase == Phase::open)
                return fail(make_error(MIGRATE_DRIVER_ERR_CONNECT,
                                       "cannot reach the PlanetScale HTTP API at " + origin_ + ": " + detail),
                            err);
            if (f.not_sent && !first_may_have_run)
                return fail(make_error(MIGRATE_DRIVER_ERR_IO, "request to " + origin_ + " failed before it was sent: " +
                                                                  detail + "; the statement did not run"),
                            err);
            return fail(make_error(MIGRATE_DRIVER_ERR_IO,
                                   "request to " + origin_ + " was sent but no complete response came back: " + detail +
                                       "; the statement may or may not have run",
                                   /*completion_unknown=*/true),
                        err);
        }

        const int status = res->status;
        if (status < 200 || status > 299) {
            remember_session_from_error_body(res->body);
            DriverError e = error_from_http_status(status, res->reason, res->body, where, phase);
            if (attempt == 0 && retryable_read && status >= 500) {
                first_failure = "HTTP " + std::to_string(status);
                first_may_have_run = e.completion_unknown;
                continue;
            }
            if (first_may_have_run && e.status == MIGRATE_DRIVER_ERR_IO) e.completion_unknown = true;
            return fail(std::move(e), err);
        }

        psdb::ExecuteResponse parsed;
        try {
            parsed = psdb::parse_execute_response(res->body);
        } catch (const std::invalid_argument& ex) {
            DriverError e =
                make_error(MIGRATE_DRIVER_ERR_IO,
                           "the response from " + where + " (HTTP " + std::to_string(status) +
                               ") is not a PlanetScale ExecuteResponse: " + printable_excerpt(ex.what(), 512) +
                               "; the statement may or may not have run",
                           /*completion_unknown=*/true);
            if (phase == Phase::open) {
                e.status = MIGRATE_DRIVER_ERR_CONNECT;
                e.completion_unknown = false;
            }
            return fail(std::move(e), err);
        }
        // Saved before looking at the error: a failed statement inside a transaction keeps its session.
        if (!parsed.session.is_null()) session_ = std::move(parsed.session);
        if (parsed.error) return fail(error_from_rpc(*parsed.error, phase), err);

        migrate_driver_result local{};
        if (parsed.result) {
            const psdb::QueryResult& r = *parsed.result;
            const bool result_set = !r.fields.empty() || !r.rows.empty();
            local.affected_rows = result_set ? 0 : r.rows_affected;  // as mysql2-like: 0 for result sets
            local.insert_id = r.insert_id;
            if (sink != nullptr && result_set) {
                const std::size_t count = !r.fields.empty() ? r.fields.size() : r.rows.front().size();
                std::vector<const char*> values(count, nullptr);
                std::vector<size_t> lengths(count, 0);
                if (sink->columns != nullptr) {
                    for (std::size_t i = 0; i < count; ++i)
                        values[i] = i < r.fields.size() ? r.fields[i].name.c_str() : "";
                    sink->columns(sink->user, static_cast<uint32_t>(count), values.data());
                }
                if (sink->row != nullptr) {
                    for (const psdb::Row& row : r.rows) {
                        const std::size_t n = std::min(row.size(), count);
                        for (std::size_t i = 0; i < count; ++i) {
                            const psdb::Cell* cell = i < n ? &row[i] : nullptr;
                            values[i] = cell != nullptr && cell->has_value() ? (*cell)->data() : nullptr;
                            lengths[i] = cell != nullptr && cell->has_value() ? (*cell)->size() : 0;
                        }
                        if (sink->row(sink->user, static_cast<uint32_t>(count), values.data(), lengths.data()) != 0)
                            break;
                    }
                }
            }
        }
        if (result != nullptr) *result = local;
        return true;
    }
}

const char* SessionClient::server_version() noexcept {
    try {
        std::lock_guard<std::mutex> lock(mutex_);
        if (have_version_) return version_.c_str();
        FirstCell cell;
        migrate_driver_row_sink sink{};
        sink.user = &cell;
        sink.row = &first_cell_row;
        DriverError err;
        bool sent = false;
        try {
            if (!execute_locked("select @@version", &sink, nullptr, Phase::execute, err, sent)) return "";
        } catch (...) {
            if (sent) {
                broken_ = true;
                broken_reason_ = "an internal error interrupted an earlier request";
            }
            return "";
        }
        if (!cell.value) return "";
        version_ = std::move(*cell.value);
        have_version_ = true;
        return version_.c_str();
    } catch (...) {
        return "";
    }
}

}  // namespace migrate::drivers::http_planetscale
