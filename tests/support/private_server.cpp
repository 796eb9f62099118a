#include "private_server.hpp"

#include "process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <chrono>
#include <csignal>
#include <stdexcept>
#include <thread>

namespace testing {

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0)
        throw std::runtime_error("private server: cannot find a free port");
    ::close(fd);
    return ntohs(a.sin_port);
}

PrivateServer::PrivateServer() : dir_("lmdb"), port_(free_port()) { start(); }

PrivateServer::~PrivateServer() {
    try {
        if (running_) stop();
    } catch (...) {}
}

std::string PrivateServer::url(const std::string& database) const {
    return "mysql://migrate:migrate-local-pw@127.0.0.1:" + std::to_string(port_) +
           (database.empty() ? "" : "/" + database);
}

void PrivateServer::db(const std::string& command) {
    auto r = run_process(
        {std::string(MIGRATE_SOURCE_DIR) + "/scripts/db", command},
        {{"MIGRATE_DB_DIR", (dir_.path() / "mariadb").string()}, {"MIGRATE_DB_PORT", std::to_string(port_)}});
    if (r.exit_code != 0)
        throw std::runtime_error("private server: scripts/db " + command + " failed (exit " +
                                 std::to_string(r.exit_code) + "):\n" + r.out + r.err);
}

void PrivateServer::start() {
    db("up");
    running_ = true;
}

void PrivateServer::crash() {
    const auto pid = std::stoi(read_file(dir_.path() / "mariadb" / "mysqld.pid"));
    if (::kill(pid, SIGKILL) != 0)
        throw std::runtime_error("private server: cannot kill mariadbd " + std::to_string(pid));
    // Not our child, so no waitpid: poll until the kernel has removed it (bounded).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (::kill(pid, 0) == 0) {
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("private server: mariadbd " + std::to_string(pid) + " survived SIGKILL");
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    running_ = false;
}

void PrivateServer::stop() {
    db("down");
    running_ = false;
}

}  // namespace testing
