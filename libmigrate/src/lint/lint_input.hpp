// What the rules look at: a migration file cut into drizzle's chunks, each chunk into statements with
// their significant tokens and suppression comments, and where findings go. Internal.
#pragma once

#include <migrate/lint.hpp>

#include "../source/text_position.hpp"
#include "../sql/tokenizer.hpp"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace migrate::lint {

// `-- migrate:lint-ignore RULE[,RULE…] reason` on a statement.
struct Suppression {
    std::vector<std::string> rules;
    std::string reason;
    std::size_t offset = 0;         // of the comment, in the file
    source::TextPosition position;  // of the comment, in the file
};

struct File;

struct Statement {
    const File* file = nullptr;
    std::size_t migration = 0;         // position of its file in apply order
    std::size_t chunk = 0;             // 0-based chunk of the file
    std::size_t base = 0;              // file offset of the chunk (token offsets are relative to it)
    source::TextPosition chunk_start;  // line and column of the chunk's first byte in the file
    std::vector<sql::Token> tokens;    // significant tokens, the trailing ';' dropped
    std::vector<Suppression> suppressions;

    source::TextPosition position(const sql::Token& t) const;
    source::TextPosition start() const { return position(tokens.front()); }
};

// drizzle's chunk: the text between `--> statement-breakpoint` markers, whitespace-only ones included.
struct Chunk {
    std::size_t index = 0;
    std::size_t base = 0;        // file offset
    source::TextPosition start;  // line and column of its first byte in the file
    std::string_view text;
    std::vector<Statement> statements;
    bool has_comment = false;
};

struct File {
    std::filesystem::path path;
    std::size_t migration = 0;
    std::string_view text;                       // the file's bytes: a Source's buffer, or `owner`
    std::shared_ptr<const std::string> owner{};  // holds `text` when the File read the file itself
};

// Cuts `file.text` into chunks and hands each, cut into statements, to `on_chunk`, in file order. A chunk's
// statements and tokens live only during its call: tokens take several times the bytes of the text, so
// a file of hundreds of MB (bulk INSERTs) is never tokenized whole (docs/benchmarks.md, big-file).
void for_each_chunk(const File& file, const std::function<void(const Chunk&)>& on_chunk);

// Where findings go: drops rules that do not apply to the flavour, applies suppressions.
class Sink {
  public:
    Sink(const LintOptions& options, std::vector<LintFinding>& out) : options_(options), out_(out) {}
    const LintOptions& options() const { return options_; }

    // A finding at token `at` of `s` (suppressible on that statement).
    void add(std::string_view rule, const Statement& s, const sql::Token& at, std::string message);
    // A finding at a position of a file (not suppressible).
    void add(std::string_view rule, const std::filesystem::path& file, std::size_t line, std::size_t column,
             std::string message);

  private:
    LintFinding* make(std::string_view rule, const std::filesystem::path& file, std::size_t line, std::size_t column,
                      std::string message);
    const LintOptions& options_;
    std::vector<LintFinding>& out_;
};

// The suppression comments of a chunk's statements themselves: reasons missing, rules unknown.
void check_suppressions(const File& file, const Chunk& chunk, Sink& sink);

// Rule families (one file each).
void check_chunk(const File& file, const Chunk& chunk, Sink& sink);  // multi-statement-chunk, empty-chunk

// All statement and chunk rules over files in apply order (File::migration set), sorted.
std::vector<LintFinding> lint_files(const std::vector<File>& files, const LintOptions& options);

// Findings in file order, then line and column.
void sort_findings(std::vector<LintFinding>& findings, const std::vector<std::filesystem::path>& file_order);

}  // namespace migrate::lint
