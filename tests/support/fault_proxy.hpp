// An HTTP proxy for fault-injection tests, between the http-planetscale driver and tools/psdb-gateway:
//
//   testing::Gateway gw({"--mysql-database", db.name()});
//   testing::FaultProxy proxy(gw.port());
//   proxy.arm(Fault::drop_after_forward, FaultProxy::sql_starts_with("commit"), 3);  // the 3rd commit
//   run_cli({"up", "--url", proxy.url(gw, db.name(), "read-timeout=1"), ...});
//   proxy.injections()  // what it did, at which request
//
// It runs in-process (an accept thread and a thread per client connection, on a free port of
// 127.0.0.1), reads each HTTP/1.1 request itself, and counts the Execute requests (every connection of
// the client: the work and the lock connection). Each request is forwarded on a fresh upstream
// connection, so a fault never disturbs the gateway's own keep-alive handling. One fault can be armed
// at a time; it fires once, at the n-th Execute request whose query the matcher accepts, counted from
// arm(). Faults are exact: the test knows whether the server ran the statement.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace testing {

class Gateway;

enum class Fault {
    drop_after_forward,         // the server runs it; the client's connection is closed without a response
    status_503_before_forward,  // a load balancer's 503: the server never sees the request
    status_500_after_forward,   // the server runs it; the client gets a 500 instead of the answer
    stall_after_forward,        // the server runs it; the response is held until the proxy is released or stops
    truncate_after_forward,     // the server runs it; half the body is sent under the full Content-Length, then close
};

const char* fault_name(Fault f);

struct Injection {
    Fault fault;
    std::size_t request;  // 1-based number of the Execute request among all the proxy saw
    std::string sql;      // its query
    bool forwarded;       // whether the gateway got (and ran) it
};

class FaultProxy {
  public:
    using Matcher = std::function<bool(const std::string& sql)>;

    explicit FaultProxy(int upstream_port, std::string upstream_host = "127.0.0.1");
    ~FaultProxy();  // releases stalls, closes every connection, joins its threads
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    int port() const { return port_; }
    // The gateway's URL with the proxy's port instead, plus "?<options>" if given.
    std::string url(const Gateway& gw, const std::string& database, const std::string& options = "") const;

    // Fires `fault` at the `occurrence`-th Execute request (from now on) whose query `match` accepts;
    // replaces an earlier armed fault that has not fired.
    void arm(Fault fault, Matcher match, int occurrence = 1);
    void disarm();
    // Ends every stall so far (later ones stall again): the held connections are closed unanswered.
    void release();

    std::vector<Injection> injections() const;
    std::size_t executes() const;              // Execute requests seen so far
    std::vector<std::string> queries() const;  // their queries, in order

    static Matcher sql_equals(std::string sql);
    static Matcher sql_starts_with(std::string prefix);  // case-insensitive
    static Matcher sql_contains(std::string text);

  private:
    void accept_loop();
    void serve(int fd);
    void close_client(int fd);

    int listen_fd_ = -1;
    int wake_[2] = {-1, -1};
    int port_ = 0;
    int upstream_port_;
    std::string upstream_host_;

    mutable std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    unsigned release_generation_ = 0;  // bumped by release(): every stall started before it ends
    std::optional<Fault> armed_;
    Matcher match_;
    int remaining_ = 0;
    std::vector<Injection> injections_;
    std::vector<std::string> queries_;
    std::vector<int> clients_;
    std::vector<std::thread> threads_;
    std::thread acceptor_;
};

}  // namespace testing
