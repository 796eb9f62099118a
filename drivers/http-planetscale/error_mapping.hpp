// How the driver reads failures: httplib transport errors, HTTP statuses, in-band RPC errors; and which
// statements are safe to send twice. Internal to the http-planetscale driver.
#pragma once

#include "driver_error.hpp"

#include <psdb_wire.hpp>

#include <httplib.h>

#include <string>
#include <string_view>

namespace migrate::drivers::http_planetscale {

// open() sends `select 1`: every failure there is a connect failure, and its completion does not matter.
enum class Phase { open, execute };

// A request that got no HTTP response at all.
struct TransportFailure {
    bool not_sent = false;         // the request certainly did not reach the server in full
    bool connect_failure = false;  // failed while opening a connection (TCP connect or TLS handshake)
    bool deterministic = false;    // retrying cannot help (certificate files, certificate verification)
    std::string detail;            // what happened, for the message
};

struct TransportContext {
    int saved_errno = 0;            // errno right after the failed call (0 if none)
    long verify_result = 0;         // X509 verification result (TLS only)
    unsigned long ssl_error = 0;    // first OpenSSL error queued during the call
    double elapsed_seconds = 0;     // how long the attempt took
    unsigned int read_timeout = 0;  // the effective timeouts, seconds
    unsigned int connect_timeout = 0;
    std::string host;  // for "certificate does not match host …"
};

TransportFailure classify_transport_error(httplib::Error error, const TransportContext& ctx);

// A non-2xx response. `where` names the endpoint (no credentials).
DriverError error_from_http_status(int status, std::string_view reason, std::string_view body, const std::string& where,
                                   Phase phase);

// An in-band error (HTTP 200 with "error"): errno/SQLSTATE already filled by psdb (Vitess's rule).
DriverError error_from_rpc(const psdb::RpcError& rpc, Phase phase);

// True for statements that only read and may be sent a second time after a transport failure whose
// outcome is unknown: SELECT / SHOW (after comments and '('), without lock functions, locking reads,
// INTO, sequence functions or variable assignment. Errs on the side of "no".
bool is_retryable_read(std::string_view sql);

}  // namespace migrate::drivers::http_planetscale
