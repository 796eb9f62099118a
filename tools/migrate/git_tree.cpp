#include "git_tree.hpp"

#include "target_selection.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

extern char** environ;

namespace cli {
namespace {

namespace fs = std::filesystem;

struct Run {
    int status = -1;
    std::string out, err;
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

// Runs `program args…` in `cwd` with stdout and stderr captured through files in `scratch`.
Run run(const fs::path& scratch, const fs::path& cwd, const std::string& program,
        const std::vector<std::string>& args) {
    const fs::path out = scratch / "stdout", err = scratch / "stderr";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    std::vector<std::string> all{program};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    Run r;
    const int rc = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw UsageError(fmt::format("cannot run {}: {}", program, std::strerror(rc)));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(out);
    r.err = trim(slurp(err));
    return r;
}

// Extracts `rel` (a path inside the repository) as it is at `commit` under `dest`; false when it does
// not exist there.
bool extract(const fs::path& scratch, const fs::path& top, const std::string& commit, const fs::path& rel,
             const fs::path& dest) {
    const fs::path tar = scratch / "tree.tar";
    const auto a =
        run(scratch, top, "git", {"archive", "--format=tar", "-o", tar.string(), commit, "--", rel.string()});
    if (a.status != 0) return false;  // "pathspec did not match": the folder is absent at that commit
    fs::create_directories(dest);
    const auto x = run(scratch, top, "tar", {"-xf", tar.string(), "-C", dest.string()});
    if (x.status != 0) throw UsageError(fmt::format("cannot extract {} at {}: {}", rel.string(), commit, x.err));
    return fs::is_directory(dest / rel);
}

}  // namespace

GitFolders::GitFolders(const fs::path& dir, const std::string& rev) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw UsageError(fmt::format("migrations folder {} does not exist", dir.string()));
    char tmpl[] = "/tmp/migrate-git-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) throw UsageError("cannot create a temporary folder");
    tmp_ = tmpl;
    try {
        locate(dir, rev);
    } catch (...) {
        fs::remove_all(tmp_, ec);
        throw;
    }
}

void GitFolders::locate(const fs::path& dir, const std::string& rev) {
    const fs::path here = fs::canonical(dir);
    const auto top = run(tmp_, here, "git", {"rev-parse", "--show-toplevel"});
    if (top.status != 0) throw UsageError(fmt::format("{} is not in a git work tree (git: {})", dir.string(), top.err));
    const fs::path root = fs::canonical(trim(top.out));
    const fs::path rel = fs::relative(here, root);
    const auto commit = run(tmp_, root, "git", {"rev-parse", "--verify", "--quiet", rev + "^{commit}"});
    if (commit.status != 0) throw UsageError(fmt::format("{} is not a revision of this git repository", rev));
    base_commit_ = trim(commit.out);
    if (!extract(tmp_, root, base_commit_, rel, tmp_ / "base"))
        throw UsageError(fmt::format("{} does not exist at {}", rel.string(), rev));
    base_ = tmp_ / "base" / rel;
    const auto mb = run(tmp_, root, "git", {"merge-base", "HEAD", base_commit_});
    if (mb.status == 0) {
        merge_base_commit_ = trim(mb.out);
        if (extract(tmp_, root, merge_base_commit_, rel, tmp_ / "merge-base")) merge_base_ = tmp_ / "merge-base" / rel;
    }
}

GitFolders::~GitFolders() {
    std::error_code ec;
    if (!tmp_.empty()) fs::remove_all(tmp_, ec);
}

}  // namespace cli
