// Lint entry points: a folder (journal + statements, never failing on the folder), a read Source, a plan.
#include "journal.hpp"
#include "lint_input.hpp"
#include "rules.hpp"

#include "../source/folder_reading.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace migrate {
namespace lint {

// One chunk at a time, every rule on it: its tokens are dropped before the next chunk is cut. The schema
// model carries what the statements before it built.
std::vector<LintFinding> lint_files(const std::vector<File>& files, const LintOptions& options) {
    std::vector<LintFinding> out;
    Sink sink(options, out);
    SchemaModel model;
    for (const auto& f : files)
        for_each_chunk(f, [&](const Chunk& c) {
            check_suppressions(f, c, sink);
            check_chunk(f, c, sink);
            for (const auto& s : c.statements) {
                const Ddl d = lower_case_names(sql::parse_statement(s.tokens));
                check_compat(s, d, sink);
                check_destructive(s, d, model, sink);
                check_data_dependent(s, d, model, sink);
                check_table_copy(s, d, model, sink);
                model.apply(d, s.migration);
            }
        });
    std::vector<std::filesystem::path> order;
    for (const auto& f : files) order.push_back(f.path);
    sort_findings(out, order);
    return out;
}

namespace {

// Re-rates findings made for MySQL to the flavour (rules off there are dropped).
void rerate(std::vector<LintFinding>& findings, const LintOptions& options) {
    std::erase_if(findings, [&](LintFinding& f) {
        const auto* r = find_lint_rule(f.rule);
        const auto s = r ? r->severity(options.flavor) : std::nullopt;
        if (s) f.severity = *s;
        return !s;
    });
}

// The journal rule that already reports what a reader error says, if any.
std::string_view journal_rule_for(errc code) {
    switch (code) {
        case errc::journal_invalid:
        case errc::tag_invalid: return "journal-invalid";
        case errc::tag_duplicate: return "journal-duplicate-tag";
        case errc::migration_missing: return "journal-missing-file";
        default: return {};
    }
}

}  // namespace
}  // namespace lint

std::vector<LintFinding> lint_journal(const std::filesystem::path& dir) { return lint::check_journal(dir).findings; }

std::vector<LintFinding> lint_source(const Source& source, const LintOptions& options) {
    // The text the Source holds (its statements view it), not a second copy read from disk.
    std::vector<lint::File> files;
    for (const auto& m : source.migrations) {
        auto owner = m.text ? m.text : std::make_shared<const std::string>(source::read_file(m.file).value_or(""));
        lint::File f{.path = m.file, .migration = m.position, .text = *owner, .owner = owner};
        files.push_back(std::move(f));
    }
    return lint::lint_files(files, options);
}

std::vector<LintFinding> lint_folder(const std::filesystem::path& dir, const LintOptions& options) {
    auto journal = lint::check_journal(dir);
    std::vector<LintFinding> out = std::move(journal.findings);
    lint::rerate(out, options);
    std::vector<LintFinding> statements;
    try {
        statements = lint_source(read_migrations_folder(dir), options);
    } catch (const error& e) {
        const auto rule = lint::journal_rule_for(e.code());
        const bool reported =
            !rule.empty() && std::any_of(out.begin(), out.end(), [&](const LintFinding& f) { return f.rule == rule; });
        if (!reported) {
            lint::Sink sink(options, out);
            const auto& ctx = e.context();
            sink.add("folder-unreadable", ctx.file.empty() ? dir : std::filesystem::path(ctx.file),
                     ctx.line.value_or(0), ctx.line ? 1 : 0, e.what());
        }
        // What can still be read: the journal's entries that name a file, in journal order.
        std::vector<lint::File> files;
        for (std::size_t i = 0; i < journal.tags.size(); ++i) {
            auto path = dir / (journal.tags[i] + ".sql");
            auto owner = std::make_shared<const std::string>(source::read_file(path).value_or(""));
            lint::File f{.path = path, .migration = i, .text = *owner, .owner = owner};
            files.push_back(std::move(f));
        }
        statements = lint::lint_files(files, options);
    }
    std::vector<std::filesystem::path> order{dir / "meta" / "_journal.json"};
    for (const auto& f : statements)
        if (std::find(order.begin(), order.end(), f.file) == order.end()) order.push_back(f.file);
    out.insert(out.end(), statements.begin(), statements.end());
    lint::sort_findings(out, order);
    return out;
}

std::vector<LintFinding> lint_applied(const Plan& plan, const LintOptions& options) {
    std::vector<LintFinding> out;
    lint::Sink sink(options, out);
    for (const auto& e : plan.entries)
        if (e.hash_differs && e.row)
            sink.add("applied-migration-edited", e.migration->file, 0, 0,
                     fmt::format("{} was applied with hash {}, the file now hashes to {}", e.migration->tag,
                                 e.row->hash.substr(0, 12), e.migration->hash.substr(0, 12)));
    return out;
}

}  // namespace migrate
