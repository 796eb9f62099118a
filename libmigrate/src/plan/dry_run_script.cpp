// The dry run's script (dry_run_script.hpp).
#include "dry_run_script.hpp"

#include "../sql/tokenizer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace migrate::plan {
namespace {

// "direct, in place on `claims` (~1,000,000 rows, 48.5 MiB): ADD INDEX: built in place"
std::string how(const PlannedStatement& st) {
    std::string out = st.deploy_request ? fmt::format("through deploy request {}", st.deploy_request) : "direct";
    const StatementCost& c = st.cost;
    if (c.algorithm == DdlAlgorithm::not_applicable) return out;
    out += fmt::format(", {}", to_string(c.algorithm));
    if (!c.table.empty()) out += fmt::format(" on `{}`", c.table);
    if (c.size) out += fmt::format(" (~{} rows, {})", c.size->rows, format_bytes(c.size->bytes));
    if (!c.reason.empty()) out += ": " + c.reason;
    return out;
}

// A comment line: its text may come from names and reasons, never from a line break.
std::string comment(std::string_view text) {
    std::string out = "-- ";
    for (char ch : text) out += ch == '\n' || ch == '\r' ? ' ' : ch;
    return out + "\n";
}

bool is_semicolon(const sql::Token& t) { return t.kind == sql::TokenKind::punct && t.text == ";"; }

// client_delimiter, given the statement's significant tokens.
std::string delimiter_for(std::string_view sql, const std::vector<sql::Token>& t) {
    if (t.empty() || std::none_of(t.begin(), t.end() - 1, is_semicolon)) return ";";
    for (std::string_view d : std::array<std::string_view, 5>{"$$", "//", ";;", "$$$", "#~#"})
        if (sql.find(d) == std::string_view::npos) return std::string(d);
    return "@@libmigrate@@";
}

class Script {
  public:
    explicit Script(const std::function<void(std::string_view)>& write) : write_(write) {}

    void line(std::string_view text) { write_(comment(text)); }
    void blank() { write_("\n"); }

    // One statement as the client must see it to send exactly `sql`: the text whole, then its delimiter.
    void statement(std::string_view sql) {
        while (!sql.empty() && (sql.back() == '\n' || sql.back() == '\r' || sql.back() == ' ' || sql.back() == '\t'))
            sql.remove_suffix(1);
        // Comments only (drizzle-kit's custom-migration placeholder): the server takes it as an empty query and
        // the client has nothing to send, so no delimiter follows it.
        const auto tokens = sql::significant(sql);  // once: a statement can be large
        if (tokens.empty()) return write_(std::string(sql) + "\n");
        const std::string delimiter = delimiter_for(sql, tokens);
        if (delimiter != ";") write_(fmt::format("DELIMITER {}\n", delimiter));
        write_(sql);
        if (is_semicolon(tokens.back()) && delimiter == ";") return write_("\n");
        // After a comment on the text's last line it would be part of the comment: then on a line of its own.
        const std::string_view last_line = sql.substr(sql.rfind('\n') == std::string_view::npos ? 0 : sql.rfind('\n'));
        const bool comment_at_end = last_line.find("--") != std::string_view::npos ||
                                    last_line.find('#') != std::string_view::npos ||
                                    last_line.find("/*") != std::string_view::npos;
        write_((comment_at_end || delimiter != ";" ? "\n" : "") + delimiter + "\n");
        if (delimiter != ";") write_("DELIMITER ;\n");
    }

  private:
    const std::function<void(std::string_view)>& write_;
};

}  // namespace

std::string client_delimiter(std::string_view sql) { return delimiter_for(sql, sql::significant(sql)); }

void write_dry_run_script(const DryRunInput& in, const std::function<void(std::string_view)>& write) {
    Script out(write);
    const UpPreview& p = in.preview;
    std::size_t statements = 0;
    for (const auto& m : p.migrations) statements += m.statements.size();
    out.line(fmt::format("libmigrate dry run: the SQL `up` would send to {} ({}), in order.", p.status.url,
                         p.status.server_version));
    out.line(fmt::format("Made {} from {}; {} migration{}, {} statement{} to run.", in.made_at, in.source.dir.string(),
                         p.migrations.size(), p.migrations.size() == 1 ? "" : "s", statements,
                         statements == 1 ? "" : "s"));
    out.line("Feed it to the mysql or mariadb client connected to that database. `up` also takes libmigrate's lock,");
    out.line("waits out lock holders with bounded retries, and records progress per statement so that a failed run");
    out.line("resumes where it stopped; this script does none of that, and a client stops at the first error.");
    out.blank();
    out.statement("SET NAMES utf8mb4");  // the connection character set `up` uses
    if (!in.shape.exists) {
        out.blank();
        out.line(fmt::format("libmigrate's tracking table, as drizzle creates it: `{}`", in.table.name()));
        out.statement(in.table.create_statement(in.source.layout));
    }
    if (!in.table_upgrade.empty()) {
        out.blank();
        out.line(fmt::format("drizzle 1.0's upgrade of the tracking table: {}", p.status.table_upgrade));
        for (const auto& s : in.table_upgrade) out.statement(s);
    }
    const tracking::TableShape shape =
        in.shape.exists ? tracking::TableShape{.exists = true,
                                               .has_name = in.shape.has_name || !in.table_upgrade.empty(),
                                               .has_applied_at = in.shape.has_applied_at || !in.table_upgrade.empty()}
                        : tracking::TrackingTable::created_shape(in.source.layout);
    std::size_t number = 0;
    for (const auto& pm : p.migrations) {
        const Migration& m = *pm.migration;
        const bool baseline = p.baseline && &m == &p.baseline->snapshot;
        out.blank();
        if (baseline)
            out.line(fmt::format("[{}/{}] the baseline through {}: {} ({} statement{})", ++number, p.migrations.size(),
                                 p.baseline->through, m.file.string(), m.statements.size(),
                                 m.statements.size() == 1 ? "" : "s"));
        else
            out.line(fmt::format("[{}/{}] {}: {} ({} statement{})", ++number, p.migrations.size(), m.tag,
                                 m.file.string(), m.statements.size(), m.statements.size() == 1 ? "" : "s"));
        if (pm.first_statement)
            out.line(fmt::format("a stopped run did statements 1-{}: `up` resumes at statement {}", pm.first_statement,
                                 pm.first_statement + 1));
        for (const auto& st : pm.statements) {
            out.line(fmt::format("{}:{}  statement {} of {}, {}, {}", m.file.filename().string(), st.line, st.index + 1,
                                 m.statements.size(), to_string(st.kind), how(st)));
            out.statement(m.statements[st.index].sql);
        }
        // The rows `up` records with it, and the end of its progress, as one step.
        std::vector<const Migration*> records;
        if (baseline) {
            for (const auto& e : p.status.plan.entries)
                if (e.by_baseline) records.push_back(e.migration);
            out.line(
                fmt::format("record the {} migrations the baseline covers, as drizzle records them", records.size()));
        } else {
            records.push_back(&m);
            out.line(fmt::format("record {} as applied, as drizzle records it", m.tag));
        }
        if (!records.empty()) out.statement(in.table.insert_statement(records, shape));
        if (std::find(in.with_progress.begin(), in.with_progress.end(), &m) != in.with_progress.end())
            out.statement(in.progress.remove(m));
    }
    if (p.migrations.empty()) {
        out.blank();
        out.line("nothing to apply");
    }
}

}  // namespace migrate::plan
