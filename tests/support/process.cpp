#include "process.hpp"

#include "temp_dir.hpp"

#include <cstdlib>
#include <fcntl.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace testing {

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
        for (const auto& [k, v] : env) {
            if (v.empty()) ::unsetenv(k.c_str());
            else ::setenv(k.c_str(), v.c_str(), 1);
        }
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
    }
    ProcessResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    return r;
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
