// The CLI writing into a pipe whose reader goes away early (`migrate plan | head -1`, a pager quit):
// read-only commands end at once, silently, with exit 0; `up` runs to the end and only stops writing.
#include "fixtures.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace testing;

namespace {

// How much of the CLI's stdout the reader takes before closing its end of the pipe.
enum class Reader { closes_at_once, closes_after_first_line };

struct PipeResult {
    int exit_code = -1;      // 128+N when killed by signal N
    std::string first_line;  // closes_after_first_line: what was read
    std::string err;
};

// Runs the CLI with stdout a pipe that `reader` closes early, stderr to a file; waits for it to end.
PipeResult run_into_closing_pipe(const std::vector<std::string>& args, Reader reader) {
    TempDir tmp("cli-pipe");
    const auto err_path = tmp.path() / "stderr";
    int out[2];
    REQUIRE(::pipe(out) == 0);
    const auto argv_strings = cli_argv(args);
    std::vector<char*> argv;
    for (const auto& a : argv_strings) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        const int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(err_fd, STDERR_FILENO);
        ::close(out[0]);
        ::close(out[1]);
        ::unsetenv("DATABASE_URL");
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out[1]);
    PipeResult r;
    if (reader == Reader::closes_after_first_line) {
        char c;
        while (::read(out[0], &c, 1) == 1 && c != '\n') r.first_line += c;
    }
    ::close(out[0]);  // the reader goes away: the CLI's next write fails with EPIPE
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.err = read_file(err_path);
    return r;
}

}  // namespace

TEST_CASE("cli pipe: read-only commands end quietly with exit 0 when the reader closes") {
    ScratchDatabase db("pipe_ro");
    const auto dir = corpus_folder("oi_policies").string();
    for (std::vector<std::string> args :
         std::vector<std::vector<std::string>>{{"plan", "--url", db.url(), "--dir", dir},
                                               {"plan", "--json", "--url", db.url(), "--dir", dir},
                                               {"status", "-v", "--url", db.url(), "--dir", dir},
                                               {"lint", dir},
                                               {"lint", "--format", "sarif", dir}}) {
        INFO(args[0] << " " << args[1]);
        auto r = run_into_closing_pipe(args, Reader::closes_at_once);
        CHECK(r.exit_code == 0);  // not 141 (SIGPIPE), not 70 ("cannot write to file: Broken pipe")
        CHECK(r.err == "");
    }
}

TEST_CASE("cli pipe: up runs to the end when its reader closes after the first line") {
    ScratchDatabase db("pipe_up");
    const auto dir = corpus_folder("oi_policies").string();
    auto r = run_into_closing_pipe({"up", "--no-baseline", "--url", db.url(), "--dir", dir},
                                   Reader::closes_after_first_line);
    INFO("stderr: " << r.err);
    CHECK_THAT(r.first_line, Catch::StartsWith("applying 34 migrations"));
    CHECK(r.exit_code == 0);
    CHECK(r.err == "");
    auto status = run_cli({"status", "--json", "--url", db.url(), "--dir", dir});
    REQUIRE(status.exit_code == 0);
    auto target = nlohmann::json::parse(status.out)["targets"][0];
    CHECK(target["applied"] == 34);
    CHECK(target["pending"] == 0);
}
