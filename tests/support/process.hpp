// Runs a program and captures its exit code, stdout and stderr (for CLI and interop tests).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace testing {

struct ProcessResult {
    int exit_code = -1;   // 128+N when killed by signal N
    std::string out;
    std::string err;
};

// argv[0] is the program (searched in PATH). `env` entries are set (or, with an empty value, unset)
// on top of the current environment.
ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {});

// The libmigrate CLI built alongside the tests.
ProcessResult run_cli(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {});

// node <tests/interop/script> args...
ProcessResult run_node(const std::string& script, const std::vector<std::string>& args);

}  // namespace testing
