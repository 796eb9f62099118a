#include "fault_proxy.hpp"

#include "gateway.hpp"

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <stdexcept>

namespace testing {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool write_all(int fd, const char* p, std::size_t n) {
    while (n > 0) {
        const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}
bool write_all(int fd, const std::string& s) { return write_all(fd, s.data(), s.size()); }

struct Message {
    std::string start;  // request or status line
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

// Reads one HTTP/1.1 message with a Content-Length body (or, if `to_eof`, the body up to the end of the
// stream) from `fd`; `buffer` keeps bytes read beyond it. False at a clean or unclean end of stream.
bool read_message(int fd, std::string& buffer, Message& m, bool to_eof) {
    char chunk[16384];
    auto fill = [&] {
        for (;;) {
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            buffer.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
    };
    std::size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos)
        if (!fill()) return false;
    const std::string head = buffer.substr(0, end);
    buffer.erase(0, end + 4);
    m = {};
    std::size_t pos = head.find("\r\n");
    m.start = head.substr(0, pos);
    std::size_t length = 0;
    while (pos != std::string::npos) {
        const std::size_t next = head.find("\r\n", pos + 2);
        const std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
        pos = next;
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon), value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        if (lower(name) == "content-length") length = std::stoul(value);
        m.headers.emplace_back(std::move(name), std::move(value));
    }
    if (to_eof) {
        while (fill()) {}
        m.body = std::move(buffer);
        buffer.clear();
        return true;
    }
    while (buffer.size() < length)
        if (!fill()) return false;
    m.body = buffer.substr(0, length);
    buffer.erase(0, length);
    return true;
}

// The message with our own Connection and Content-Length headers.
std::string serialise(const Message& m, const std::string& connection) {
    std::string out = m.start + "\r\n";
    for (const auto& [name, value] : m.headers) {
        const std::string n = lower(name);
        if (n == "connection" || n == "content-length" || n == "transfer-encoding" || n == "keep-alive") continue;
        out += name + ": " + value + "\r\n";
    }
    out += "Connection: " + connection + "\r\nContent-Length: " + std::to_string(m.body.size()) + "\r\n\r\n";
    return out;
}

int connect_to(const std::string& host, int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, host.c_str(), &a.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

std::string plain_response(int status, const std::string& reason, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) + " " + reason +
           "\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
}

}  // namespace

const char* fault_name(Fault f) {
    switch (f) {
        case Fault::drop_after_forward: return "drop after forward";
        case Fault::status_503_before_forward: return "503 before forward";
        case Fault::status_500_after_forward: return "500 after forward";
        case Fault::stall_after_forward: return "stall after forward";
        case Fault::truncate_after_forward: return "truncated body";
    }
    return "?";
}

FaultProxy::FaultProxy(int upstream_port, std::string upstream_host)
    : upstream_port_(upstream_port), upstream_host_(std::move(upstream_host)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error("fault proxy: socket failed");
    const int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;  // a free port
    socklen_t len = sizeof a;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listen_fd_, 64) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        ::close(listen_fd_);
        throw std::runtime_error("fault proxy: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(a.sin_port);
    if (::pipe(wake_) != 0) {
        ::close(listen_fd_);
        throw std::runtime_error("fault proxy: pipe failed");
    }
    acceptor_ = std::thread([this] { accept_loop(); });
}

FaultProxy::~FaultProxy() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
        // Wake every connection thread blocked in recv().
        for (int fd : clients_) ::shutdown(fd, SHUT_RDWR);
    }
    cv_.notify_all();
    (void)!::write(wake_[1], "x", 1);
    acceptor_.join();
    std::vector<std::thread> threads;
    {
        std::lock_guard<std::mutex> lock(mu_);
        threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
    ::close(listen_fd_);
    ::close(wake_[0]);
    ::close(wake_[1]);
}

std::string FaultProxy::url(const Gateway& gw, const std::string& database, const std::string& options) const {
    std::string u = "http://" + gw.user() + ":" + gw.password() + "@127.0.0.1:" + std::to_string(port_);
    if (!database.empty()) u += "/" + database;
    if (!options.empty()) u += "?" + options;
    return u;
}

void FaultProxy::arm(Fault fault, Matcher match, int occurrence) {
    std::lock_guard<std::mutex> lock(mu_);
    armed_ = fault;
    match_ = std::move(match);
    remaining_ = occurrence;
}

void FaultProxy::disarm() {
    std::lock_guard<std::mutex> lock(mu_);
    armed_.reset();
}

void FaultProxy::release() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        ++release_generation_;
    }
    cv_.notify_all();
}

std::vector<Injection> FaultProxy::injections() const {
    std::lock_guard<std::mutex> lock(mu_);
    return injections_;
}

std::size_t FaultProxy::executes() const {
    std::lock_guard<std::mutex> lock(mu_);
    return queries_.size();
}

std::vector<std::string> FaultProxy::queries() const {
    std::lock_guard<std::mutex> lock(mu_);
    return queries_;
}

FaultProxy::Matcher FaultProxy::sql_equals(std::string sql) {
    return [sql = std::move(sql)](const std::string& q) { return q == sql; };
}

FaultProxy::Matcher FaultProxy::sql_starts_with(std::string prefix) {
    return [p = lower(std::move(prefix))](const std::string& q) { return lower(q.substr(0, p.size())) == p; };
}

FaultProxy::Matcher FaultProxy::sql_contains(std::string text) {
    return [t = std::move(text)](const std::string& q) { return q.find(t) != std::string::npos; };
}

void FaultProxy::accept_loop() {
    for (;;) {
        pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0 && errno != EINTR) return;
        if (fds[1].revents) return;
        if (!(fds[0].revents & POLLIN)) continue;
        const int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        std::lock_guard<std::mutex> lock(mu_);
        if (stopping_) {
            ::close(fd);
            return;
        }
        clients_.push_back(fd);
        threads_.emplace_back([this, fd] { serve(fd); });
    }
}

void FaultProxy::close_client(int fd) {
    std::lock_guard<std::mutex> lock(mu_);
    clients_.erase(std::remove(clients_.begin(), clients_.end(), fd), clients_.end());
    ::close(fd);
}

void FaultProxy::serve(int fd) {
    std::string buffer;
    Message request;
    while (read_message(fd, buffer, request, /*to_eof=*/false)) {
        std::optional<Fault> fault;
        if (request.start.find("/Execute ") != std::string::npos) {
            std::string sql;
            const auto j = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
            if (j.is_object() && j.contains("query") && j["query"].is_string()) sql = j["query"].get<std::string>();
            std::lock_guard<std::mutex> lock(mu_);
            queries_.push_back(sql);
            if (armed_ && match_(sql) && --remaining_ == 0) {
                fault = armed_;
                armed_.reset();
                injections_.push_back({*fault, queries_.size(), sql, *fault != Fault::status_503_before_forward});
            }
        }
        if (fault == Fault::status_503_before_forward) {
            write_all(fd, plain_response(503, "Service Unavailable",
                                         "upstream connect error or disconnect/reset before headers"));
            break;
        }

        // Forward on a fresh connection, read the whole answer.
        Message response;
        const int up = connect_to(upstream_host_, upstream_port_);
        bool ok = up >= 0 && write_all(up, serialise(request, "close") + request.body);
        std::string upstream_buffer;
        ok = ok && read_message(up, upstream_buffer, response, /*to_eof=*/true);
        if (up >= 0) ::close(up);
        if (!ok) break;  // the gateway is gone: the client sees its connection closed

        if (!fault) {
            if (!write_all(fd, serialise(response, "keep-alive") + response.body)) break;
            continue;
        }
        switch (*fault) {
            case Fault::drop_after_forward: break;
            case Fault::status_500_after_forward:
                write_all(fd, plain_response(500, "Internal Server Error", "internal error"));
                break;
            case Fault::stall_after_forward: {
                // Hold the socket, unanswered, until the test releases it or ends.
                std::unique_lock<std::mutex> lock(mu_);
                const unsigned generation = release_generation_;
                cv_.wait(lock, [&] { return release_generation_ != generation || stopping_; });
                break;
            }
            case Fault::truncate_after_forward: {
                const std::string head = serialise(response, "keep-alive");
                write_all(fd, head + response.body.substr(0, response.body.size() / 2));
                break;
            }
            case Fault::status_503_before_forward: break;
        }
        break;  // after a fault the client connection is closed
    }
    close_client(fd);
}

}  // namespace testing
