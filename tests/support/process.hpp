// Runs a program and captures its exit code, stdout and stderr (for CLI and interop tests).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace testing {

struct ProcessResult {
    int exit_code = -1;  // 128+N when killed by signal N
    std::string out;
    std::string err;
};

// A process started in the background; wait() collects it like run_process would.
class RunningProcess {
  public:
    RunningProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});
    ~RunningProcess();
    RunningProcess(const RunningProcess&) = delete;
    RunningProcess& operator=(const RunningProcess&) = delete;
    int pid() const { return pid_; }
    // Blocks until the child writes a line containing `text` to stdout (true), or exits first (false).
    bool wait_for_output(const std::string& text);
    void kill(int signal);
    ProcessResult wait();

  private:
    int pid_ = -1;
    int out_fd_ = -1;  // read end of the child's stdout pipe
    std::string out_;  // stdout read so far
    std::string err_path_;
    bool reaped_ = false;
};

// The CLI started in the background.
std::vector<std::string> cli_argv(const std::vector<std::string>& args);

// argv[0] is the program (searched in PATH). `env` entries are set (or, with an empty value, unset)
// on top of the current environment.
ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});

// The libmigrate CLI built alongside the tests.
ProcessResult run_cli(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {});

// node <tests/interop/script> args...
ProcessResult run_node(const std::string& script, const std::vector<std::string>& args);

}  // namespace testing
