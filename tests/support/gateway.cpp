#include "gateway.hpp"

#include "temp_dir.hpp"
#include "test_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <stdexcept>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <unistd.h>

namespace testing {

namespace {

bool has(const std::vector<std::string>& args, const std::string& flag) {
    return std::find(args.begin(), args.end(), flag) != args.end();
}

std::string value_of(const std::vector<std::string>& args, const std::string& flag) {
    auto it = std::find(args.begin(), args.end(), flag);
    return it != args.end() && it + 1 != args.end() ? *(it + 1) : std::string();
}

// Reads the child's first stdout line, waiting at most `timeout`; "" if it exits or stays silent.
std::string first_line(int fd, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string line;
    char c;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return "";
        pollfd p{fd, POLLIN, 0};
        const int r = ::poll(&p, 1, static_cast<int>(left.count()));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return "";
        const ssize_t n = ::read(fd, &c, 1);
        if (n <= 0) return "";
        if (c == '\n') return line;
        line.push_back(c);
    }
}

int wait_exit(int pid, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        const int r = ::waitpid(pid, &status, timeout.count() < 0 ? 0 : WNOHANG);
        if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (r < 0 && errno != EINTR) return -1;
        if (std::chrono::steady_clock::now() >= deadline) return -2;  // still running
        ::usleep(10'000);  // polling a child's exit: there is no fd to wait on
    }
}

}  // namespace

std::string gateway_path() {
    if (const char* env = std::getenv("MIGRATE_GATEWAY_PATH"); env && *env) return env;
    // Built into the same runtime output directory as the CLI.
    return (std::filesystem::path(MIGRATE_CLI_PATH).parent_path() / "psdb-gateway").string();
}

Gateway::Gateway(const std::vector<std::string>& args) {
    static const std::regex re(R"(mysql://([^:@]+):([^@]*)@([^:/]+):(\d+)/?)");
    std::smatch m;
    const std::string server = server_url();
    if (!std::regex_match(server, m, re))
        throw std::runtime_error("MIGRATE_TEST_URL must look like mysql://user:password@host:port");

    std::vector<std::string> argv{gateway_path(), "--port", "0"};
    user_ = has(args, "--user") ? value_of(args, "--user") : m[1].str();
    password_ = has(args, "--password") ? value_of(args, "--password") : m[2].str();
    if (!has(args, "--user")) argv.insert(argv.end(), {"--user", user_});
    if (!has(args, "--password")) argv.insert(argv.end(), {"--password", password_});
    if (!has(args, "--mysql-socket")) {
        if (!has(args, "--mysql-host")) argv.insert(argv.end(), {"--mysql-host", m[3].str()});
        if (!has(args, "--mysql-port")) argv.insert(argv.end(), {"--mysql-port", m[4].str()});
    }
    if (has(args, "--user") && !has(args, "--mysql-user")) {
        // Clients use other credentials than the server's: the backend keeps the test server's.
        argv.insert(argv.end(), {"--mysql-user", m[1].str(), "--mysql-password", m[2].str()});
    }
    argv.insert(argv.end(), args.begin(), args.end());
    organization_ = has(args, "--organization") ? value_of(args, "--organization") : "local";
    database_ = has(args, "--database") ? value_of(args, "--database") : value_of(args, "--mysql-database");
    service_token_ = value_of(args, "--service-token");

    std::string tmpl = (std::filesystem::temp_directory_path() / "libmigrate-gateway-XXXXXX").string();
    const int err = ::mkstemp(tmpl.data());
    if (err < 0) throw std::runtime_error("mkstemp failed");
    err_path_ = tmpl;
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
#ifdef __linux__
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive a crashed test
#endif
        const int in = ::open("/dev/null", O_RDONLY);
        ::dup2(in, 0);
        ::dup2(fds[1], 1);
        ::dup2(err, 2);
        ::close(fds[0]);
        std::vector<char*> a;
        for (auto& s : argv) a.push_back(s.data());
        a.push_back(nullptr);
        ::execv(a[0], a.data());
        ::_exit(127);
    }
    ::close(fds[1]);
    ::close(err);
    // The first line is "listening on HOST:PORT"; nothing else is written to stdout, so the pipe is
    // closed afterwards (a later write would only fail with EPIPE, which the gateway ignores).
    const std::string line = first_line(fds[0], std::chrono::seconds(30));
    ::close(fds[0]);
    static const std::regex listening(R"(listening on (.*):(\d+))");
    std::smatch lm;
    if (!std::regex_match(line, lm, listening)) {
        stop();
        const std::string why =
            "psdb-gateway did not start (" + gateway_path() + "): first line \"" + line + "\", stderr: " + log();
        ::unlink(err_path_.c_str());  // the destructor does not run after a throwing constructor
        throw std::runtime_error(why);
    }
    host_ = lm[1].str();
    port_ = std::stoi(lm[2].str());
}

Gateway::~Gateway() {
    stop();
    if (!err_path_.empty()) ::unlink(err_path_.c_str());
}

int Gateway::stop() {
    if (pid_ < 0 || exit_code_ != -1) return exit_code_;
    ::kill(pid_, SIGTERM);
    int rc = wait_exit(pid_, std::chrono::seconds(10));
    if (rc == -2) {
        ::kill(pid_, SIGKILL);
        rc = wait_exit(pid_, std::chrono::milliseconds(-1));
    }
    exit_code_ = rc;
    return rc;
}

std::string Gateway::base_url() const { return "http://" + host_ + ":" + std::to_string(port_); }

std::string Gateway::url(const std::string& database) const {
    std::string u = "http://" + user_ + ":" + password_ + "@" + host_ + ":" + std::to_string(port_);
    if (!database.empty()) u += "/" + database;
    return u;
}

std::string Gateway::api_base() const {
    return base_url() + "/v1/organizations/" + organization_ + "/databases/" + database_;
}

std::string Gateway::log() const { return err_path_.empty() ? std::string() : read_file(err_path_); }

}  // namespace testing
