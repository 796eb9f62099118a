// The migrations folder as another git revision has it, and as the merge base of HEAD and that revision
// has it, extracted into a temporary folder for the library to compare (docs/merging.md). git runs as a
// child process with an argument vector, never through a shell.
#pragma once

#include <filesystem>
#include <string>

namespace cli {

class GitFolders {
  public:
    // `dir`: the migrations folder in the working tree; `rev`: any revision git accepts (main, origin/main,
    // a commit). Throws UsageError when `dir` is not in a git work tree, `rev` is unknown, or the folder
    // does not exist at `rev`.
    GitFolders(const std::filesystem::path& dir, const std::string& rev);
    ~GitFolders();
    GitFolders(const GitFolders&) = delete;
    GitFolders& operator=(const GitFolders&) = delete;

    const std::filesystem::path& base() const { return base_; }
    // Empty when HEAD and the revision share no history, or the folder did not exist at the merge base.
    const std::filesystem::path& merge_base() const { return merge_base_; }
    const std::string& base_commit() const { return base_commit_; }
    const std::string& merge_base_commit() const { return merge_base_commit_; }

  private:
    void locate(const std::filesystem::path& dir, const std::string& rev);
    std::filesystem::path tmp_, base_, merge_base_;
    std::string base_commit_, merge_base_commit_;
};

}  // namespace cli
