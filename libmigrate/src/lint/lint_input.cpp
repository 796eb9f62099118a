// Cutting files into drizzle's chunks and statements, suppression comments, and the findings sink.
#include "lint_input.hpp"

#include "../sql/tokens.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace migrate::lint {
namespace {

constexpr std::string_view breakpoint = "--> statement-breakpoint";

std::string_view trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// Where a token of a chunk starting at `start` is in the file (token lines and columns count from the
// chunk's first byte).
source::TextPosition in_file(source::TextPosition start, const sql::Token& t) {
    return {start.line + t.line - 1, t.line == 1 ? start.column + t.column - 1 : t.column};
}

// The comment's text without its markers, or nullopt when it is no suppression.
std::optional<Suppression> parse_suppression(const sql::Token& comment, std::size_t base, source::TextPosition start) {
    std::string_view s = comment.text;
    if (s.starts_with("--"))
        s.remove_prefix(2);
    else if (s.starts_with("#"))
        s.remove_prefix(1);
    else if (s.starts_with("/*"))
        s = s.substr(2, s.size() >= 4 ? s.size() - 4 : 0);
    s = trim(s);
    constexpr std::string_view tag = "migrate:lint-ignore";
    if (!s.starts_with(tag)) return std::nullopt;
    s.remove_prefix(tag.size());
    if (!s.empty() && s.front() != ' ' && s.front() != '\t') return std::nullopt;
    s = trim(s);
    Suppression sup;
    sup.offset = base + comment.offset;
    sup.position = in_file(start, comment);
    const auto end = std::min(s.find_first_of(" \t"), s.size());
    std::string_view list = s.substr(0, end);
    sup.reason = std::string(trim(s.substr(end)));
    while (!list.empty()) {
        const auto comma = std::min(list.find(','), list.size());
        if (comma > 0) sup.rules.emplace_back(list.substr(0, comma));
        list.remove_prefix(std::min(comma + 1, list.size()));
    }
    return sup;
}

bool is_word(const sql::Token& t, std::initializer_list<std::string_view> upper) { return sql::is_word_in(t, upper); }

// Splits a chunk's tokens into statements at ';', keeping a stored routine's BEGIN … END body whole.
void cut_chunk(const File& file, Chunk& chunk) {
    const auto tokens = sql::tokenize(chunk.text);
    std::vector<sql::Token> comments;
    Statement cur;
    int depth = 0;
    bool routine = false;
    auto flush = [&] {
        if (!cur.tokens.empty()) chunk.statements.push_back(std::move(cur));
        cur = Statement{};
        depth = 0;
        routine = false;
    };
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto& t = tokens[i];
        if (t.kind == sql::TokenKind::comment) {
            comments.push_back(t);
            chunk.has_comment = true;
            continue;
        }
        if (depth == 0 && sql::is_punct(t, ";")) {
            flush();
            continue;
        }
        if (cur.tokens.empty()) {
            cur.file = &file;
            cur.migration = file.migration;
            cur.chunk = chunk.index;
            cur.base = chunk.base;
            cur.chunk_start = chunk.start;
        }
        cur.tokens.push_back(t);
        if (cur.tokens.size() <= 8 && sql::keyword_is(cur.tokens.front(), "CREATE") &&
            is_word(t, {"TRIGGER", "PROCEDURE", "FUNCTION", "EVENT"}))
            routine = true;
        if (!routine) continue;
        if (is_word(t, {"BEGIN", "CASE"})) {
            ++depth;
        } else if (sql::keyword_is(t, "END")) {
            const sql::Token* next = i + 1 < tokens.size() ? &tokens[i + 1] : nullptr;
            if (next && is_word(*next, {"IF", "LOOP", "WHILE", "REPEAT"})) continue;
            depth = std::max(0, depth - 1);
            if (next && sql::keyword_is(*next, "CASE")) cur.tokens.push_back(tokens[++i]);
        }
    }
    flush();
    // A comment belongs to the first statement ending after it, or to the one it trails on the same line.
    for (const auto& c : comments) {
        auto sup = parse_suppression(c, chunk.base, chunk.start);
        if (!sup) continue;
        for (auto& s : chunk.statements) {
            const auto& last = s.tokens.back();
            const bool before_end = c.offset < last.offset + last.text.size();
            if (before_end || c.line == last.line) {
                s.suppressions.push_back(std::move(*sup));
                break;
            }
        }
    }
}

}  // namespace

source::TextPosition Statement::position(const sql::Token& t) const { return in_file(chunk_start, t); }

void for_each_chunk(const File& file, const std::function<void(const Chunk&)>& on_chunk) {
    const std::string_view text = file.text;
    // Lines counted once, onward from the previous chunk (from the file's start each time, a file of
    // thousands of chunks was quadratic).
    std::size_t counted = 0;
    source::TextPosition at;
    std::size_t start = 0;
    for (std::size_t index = 0;; ++index) {
        const auto end = text.find(breakpoint, start);
        const auto part = text.substr(counted, start - counted);
        if (const auto lines = static_cast<std::size_t>(std::count(part.begin(), part.end(), '\n'))) {
            at.line += lines;
            at.column = part.size() - part.rfind('\n');
        } else {
            at.column += part.size();
        }
        counted = start;
        Chunk c;
        c.index = index;
        c.base = start;
        c.start = at;
        c.text = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        cut_chunk(file, c);
        on_chunk(c);
        if (end == std::string_view::npos) break;
        start = end + breakpoint.size();
    }
}

LintFinding* Sink::make(std::string_view rule, const std::filesystem::path& file, std::size_t line, std::size_t column,
                        std::string message) {
    const LintRule* r = find_lint_rule(rule);
    if (!r) return nullptr;
    const auto severity = r->severity(options_.flavor);
    if (!severity) return nullptr;
    LintFinding& f = out_.emplace_back();
    f.rule = std::string(rule);
    f.severity = *severity;
    f.file = file;
    f.line = line;
    f.column = column;
    f.message = std::move(message);
    f.fix = std::string(r->fix);
    return &f;
}

void Sink::add(std::string_view rule, const Statement& s, const sql::Token& at, std::string message) {
    const auto pos = s.position(at);
    LintFinding* f = make(rule, s.file->path, pos.line, pos.column, std::move(message));
    if (!f) return;
    for (const auto& sup : s.suppressions)
        if (!sup.reason.empty() && std::find(sup.rules.begin(), sup.rules.end(), rule) != sup.rules.end()) {
            f->suppressed = true;
            f->suppression_reason = sup.reason;
        }
}

void Sink::add(std::string_view rule, const std::filesystem::path& file, std::size_t line, std::size_t column,
               std::string message) {
    make(rule, file, line, column, std::move(message));
}

void check_suppressions(const File& file, const Chunk& chunk, Sink& sink) {
    for (const auto& s : chunk.statements)
        for (const auto& sup : s.suppressions) {
            const auto& pos = sup.position;
            if (sup.rules.empty() || sup.reason.empty())
                sink.add("suppression-without-reason", file.path, pos.line, pos.column,
                         "migrate:lint-ignore needs a rule and a reason; this one suppresses nothing");
            for (const auto& r : sup.rules)
                if (!find_lint_rule(r))
                    sink.add("suppression-unknown-rule", file.path, pos.line, pos.column,
                             fmt::format("migrate:lint-ignore names \"{}\", which is no rule", r));
        }
}

void sort_findings(std::vector<LintFinding>& findings, const std::vector<std::filesystem::path>& file_order) {
    auto rank = [&](const std::filesystem::path& p) {
        auto it = std::find(file_order.begin(), file_order.end(), p);
        return it == file_order.end() ? file_order.size() : static_cast<std::size_t>(it - file_order.begin());
    };
    std::stable_sort(findings.begin(), findings.end(), [&](const LintFinding& a, const LintFinding& b) {
        auto ra = rank(a.file), rb = rank(b.file);
        if (ra != rb) return ra < rb;
        if (a.file != b.file) return a.file < b.file;
        if (a.line != b.line) return a.line < b.line;
        return a.column < b.column;
    });
}

}  // namespace migrate::lint
