#include "process.hpp"

#include "temp_dir.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <cstdlib>
#include <stdexcept>

namespace testing {

namespace {
void exec_child(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
    for (const auto& [k, v] : env) {
        if (v.empty())
            ::unsetenv(k.c_str());
        else
            ::setenv(k.c_str(), v.c_str(), 1);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
}
// Under the sanitizers (make test-sanitize) ASan writes its reports to files the make target checks, but
// gcc's UBSan runtime ignores log_path next to ASan and prints to the child's stderr: a child that printed
// one fails the test here, even when its exit code is the one the test expected.
void fail_on_sanitizer_report([[maybe_unused]] const std::string& program, [[maybe_unused]] const std::string& err) {
#ifdef MIGRATE_TEST_SANITIZE
    if (err.find(": runtime error: ") != std::string::npos)
        throw std::runtime_error("UndefinedBehaviorSanitizer report from " + program + ":\n" + err);
#endif
}
}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
    // Output goes to files, not pipes: nothing can block on a full pipe, and order of reads is irrelevant.
    TempDir dir("libmigrate-proc");
    auto out_path = dir.path() / "stdout", err_path = dir.path() / "stderr";
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int in = ::open("/dev/null", O_RDONLY);
        if (out < 0 || err < 0 || in < 0) ::_exit(127);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        exec_child(argv, env);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {}
    ProcessResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    fail_on_sanitizer_report(argv[0], r.err);
    return r;
}

RunningProcess::RunningProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    char tmpl[] = "/tmp/libmigrate-stderr-XXXXXX";
    int err = ::mkstemp(tmpl);
    if (err < 0) throw std::runtime_error("mkstemp failed");
    err_path_ = tmpl;
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        int in = ::open("/dev/null", O_RDONLY);
        ::dup2(in, 0);
        ::dup2(fds[1], 1);
        ::dup2(err, 2);
        ::close(fds[0]);
        exec_child(argv, env);
    }
    ::close(fds[1]);
    ::close(err);
    out_fd_ = fds[0];
}

RunningProcess::~RunningProcess() {
    if (!reaped_) {
        ::kill(pid_, SIGKILL);
        wait();
    }
    if (out_fd_ >= 0) ::close(out_fd_);
    ::unlink(err_path_.c_str());
}

bool RunningProcess::wait_for_output(const std::string& text) {
    char buf[4096];
    for (;;) {
        if (out_.find(text) != std::string::npos) return true;
        ssize_t n = ::read(out_fd_, buf, sizeof buf);
        if (n <= 0) return out_.find(text) != std::string::npos;
        out_.append(buf, static_cast<std::size_t>(n));
    }
}

void RunningProcess::kill(int signal) { ::kill(pid_, signal); }

ProcessResult RunningProcess::wait() {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(out_fd_, buf, sizeof buf)) > 0) out_.append(buf, static_cast<std::size_t>(n));
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0) {}
    reaped_ = true;
    ProcessResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = out_;
    r.err = read_file(err_path_);
    fail_on_sanitizer_report("process " + std::to_string(pid_), r.err);
    return r;
}

std::vector<std::string> cli_argv(const std::vector<std::string>& args) {
    std::vector<std::string> argv{MIGRATE_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

ProcessResult run_cli(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
    std::vector<std::string> argv{MIGRATE_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    auto e = env;
    e.try_emplace("DATABASE_URL", "");  // never inherit one by accident
    return run_process(argv, e);
}

ProcessResult run_node(const std::string& script, const std::vector<std::string>& args) {
    std::vector<std::string> argv{"node", std::string(MIGRATE_INTEROP_DIR) + "/" + script};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv);
}

}  // namespace testing
