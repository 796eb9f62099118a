#include "plan_cli.hpp"

#include "cli_common.hpp"
#include "json_output.hpp"

#include <migrate/migrate.hpp>
#include <migrate/result_json.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <climits>
#include <cstdint>
#include <map>

namespace cli {
namespace {

using json = nlohmann::ordered_json;

// The statement's first line that is neither blank nor a comment, shortened: enough to recognise it in a list.
std::string headline(std::string_view sql) {
    std::size_t start = 0;
    while (start < sql.size()) {
        auto end = sql.find('\n', start);
        if (end == std::string_view::npos) end = sql.size();
        auto line = sql.substr(start, end - start);
        const auto first = line.find_first_not_of(" \t\r");
        if (first != std::string_view::npos && line.substr(first, 2) != "--" && line[first] != '#') {
            std::string s(line.substr(line.find_first_not_of(" \t\r")));
            return s.size() > 100 ? s.substr(0, 97) + "..." : s;
        }
        start = end + 1;
    }
    return "";
}

// Lint findings (not suppressed) by file and line, for the statements a plan lists.
using LintIndex = std::map<std::pair<std::string, std::size_t>, std::vector<migrate::LintFinding>>;

LintIndex lint_index(const std::vector<migrate::LintFinding>& findings) {
    LintIndex out;
    for (const auto& f : findings)
        if (!f.suppressed) out[{f.file.string(), f.line}].push_back(f);
    return out;
}

// The findings inside statement `statement` of m: from its first line up to the next statement's.
std::vector<migrate::LintFinding> findings_at(const LintIndex& index, const migrate::Migration& m,
                                              std::size_t statement) {
    std::vector<migrate::LintFinding> out;
    const std::string file = m.file.string();
    const std::size_t from = m.statements[statement].line;
    const std::size_t to = statement + 1 < m.statements.size() ? m.statements[statement + 1].line : SIZE_MAX;
    for (auto it = index.lower_bound({file, from});
         it != index.end() && it->first.first == file && it->first.second < to; ++it)
        out.insert(out.end(), it->second.begin(), it->second.end());
    return out;
}

// 1234567 → "1,234,567".
std::string grouped(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// "copy `claims` (~1,000,000 rows, 48.5 MiB): MODIFY `amount`: int → bigint", for a statement that changes
// an existing table; "" for the others.
std::string cost_line(const migrate::StatementCost& c) {
    if (c.algorithm == migrate::DdlAlgorithm::not_applicable) return "";
    std::string table = c.table.empty() ? "" : fmt::format(" `{}`", c.table);
    if (c.size) table += fmt::format(" (~{} rows, {})", grouped(c.size->rows), migrate::format_bytes(c.size->bytes));
    return fmt::format("{}{}: {}", migrate::to_string(c.algorithm), table, c.reason);
}

struct TargetPlan {
    std::string name;
    LintIndex lint;
    std::size_t lint_errors = 0, lint_warnings = 0;
    std::optional<migrate::Target> target;  // owns what the preview points into
    std::optional<migrate::UpPreview> preview;
    std::optional<migrate::error> failed;  // could not be planned (folder, connection, ...)
    std::string human;
    int code = exit_ok;
};

std::string human_text(const migrate::TargetConfig& t, const migrate::UpPreview& p, const TargetPlan& tp) {
    const auto& s = p.status;
    std::string out =
        fmt::format("== {}  {} ({}, {})\n", t.name, s.url, migrate::to_string(s.transport), s.server_version);
    out += fmt::format("lock: {}\n",
                       s.lock_holder.empty() ? "free" : "held by " + s.lock_holder + " (up would wait for it)");
    if (!s.table_upgrade.empty()) out += fmt::format("tracking table: {}\n", s.table_upgrade);
    if (!p.refusal.empty())
        out += fmt::format("up would refuse, running nothing: error[{}]: {}\n", migrate::to_string(*p.refusal_code),
                           error_text(migrate::error(*p.refusal_code, p.refusal, {.fix = p.refusal_fix})));
    if (p.migrations.empty()) return out + "nothing to apply\n";
    std::size_t ddl = 0, total = 0, rewrites = 0;
    std::uint64_t biggest = 0;
    for (const auto& m : p.migrations)
        for (const auto& st : m.statements) {
            ++total;
            ddl += st.kind == migrate::StatementKind::ddl || st.kind == migrate::StatementKind::unknown;
        }
    out += fmt::format("{} {} step{}, {} statements ({} DDL):\n", p.refusal.empty() ? "would run" : "pending",
                       p.migrations.size(), p.migrations.size() == 1 ? "" : "s", total, ddl);
    for (const auto& m : p.migrations) {
        const auto& mig = *m.migration;
        std::string what = mig.tag;
        if (p.baseline && &mig == &p.baseline->snapshot)
            what = fmt::format("baseline through {} (records {} migrations)", p.baseline->through,
                               p.baseline->covered.size());
        out += fmt::format("  {}  {}{}\n", what, mig.file.string(),
                           m.first_statement ? fmt::format("  (resumes at statement {})", m.first_statement + 1) : "");
        for (const auto& st : m.statements) {
            if (p.through_deploy_requests)
                out += fmt::format("    :{:<5} {:<8} {:<7} {}\n", st.line, migrate::to_string(st.kind),
                                   st.deploy_request ? fmt::format("DR {}", st.deploy_request) : std::string("direct"),
                                   headline(mig.statements[st.index].sql));
            else
                out += fmt::format("    :{:<5} {:<8} {}\n", st.line, migrate::to_string(st.kind),
                                   headline(mig.statements[st.index].sql));
            if (auto cost = cost_line(st.cost); !cost.empty()) {
                out += fmt::format("             {}\n", cost);
                if (migrate::rewrites_table(st.cost.algorithm) && st.cost.size) {
                    ++rewrites;
                    biggest = std::max(biggest, st.cost.size->bytes);
                }
            }
            for (const auto& f : findings_at(tp.lint, mig, st.index))
                if (f.rule != "table-copy")  // the cost line above says it, with the live table and its size
                    out +=
                        fmt::format("             lint {} {}: {}\n", migrate::to_string(f.severity), f.rule, f.message);
        }
    }
    if (rewrites)
        out += fmt::format(
            "{} statement{} an existing table (largest {}): time, disk space and replica "
            "lag grow with it. Sizes are the server's estimates (information_schema.tables); "
            "docs/online-ddl.md\n",
            rewrites, rewrites == 1 ? " rebuilds or copies" : "s rebuild or copy", migrate::format_bytes(biggest));
    if (tp.lint_errors + tp.lint_warnings)
        out += fmt::format("lint: {} error{}, {} warning{} in the folder (`migrate lint`)\n", tp.lint_errors,
                           tp.lint_errors == 1 ? "" : "s", tp.lint_warnings, tp.lint_warnings == 1 ? "" : "s");
    if (p.through_deploy_requests) {
        out += fmt::format(
            "safe migrations on: {} deploy request{} (DR n above), the rest runs directly on the "
            "production branch in this order:\n",
            p.deploy_requests.size(), p.deploy_requests.size() == 1 ? "" : "s");
        for (std::size_t i = 0; i < p.deploy_requests.size(); ++i) {
            const auto& d = p.deploy_requests[i];
            out += fmt::format("  DR {}: branch {}, {} statement{}{}\n", i + 1, d.branch, d.statements,
                               d.statements == 1 ? "" : "s", d.with_setup ? " (and libmigrate's tables)" : "");
        }
    } else if (p.has_ddl)
        out +=
            "DDL included: a PlanetScale branch with safe migrations refuses it (exit 7); apply it to a development "
            "branch and deploy it with a deploy request.\n";
    return out;
}

// The statements' text goes into the --json document as it is printed, not into the document: a migration
// of hundreds of MB would otherwise be held three times more (document, its dump, the library's text).
// Each "sql" holds a placeholder "\x01<n>\x01" naming sql_texts[n]; print_document writes the text there.
constexpr std::string_view sql_mark = "\"sql\": \"\\u0001";

json sql_placeholder(std::vector<std::string_view>& sql_texts, std::string_view sql) {
    sql_texts.push_back(sql);
    return "\x01" + std::to_string(sql_texts.size() - 1) + "\x01";
}

void print_document(const json& doc, const std::vector<std::string_view>& sql_texts) {
    const std::string text = doc.dump(2);
    std::size_t done = 0;
    for (auto at = text.find(sql_mark); at != std::string::npos; at = text.find(sql_mark, done)) {
        const std::size_t digits = at + sql_mark.size();
        const std::size_t end = text.find("\\u0001\"", digits);     // the placeholder's closing mark
        std::fwrite(text.data() + done, 1, at + 7 - done, stdout);  // up to and with `"sql": `
        const std::string escaped =
            json(std::string(sql_texts.at(std::stoull(text.substr(digits, end - digits))))).dump();
        std::fwrite(escaped.data(), 1, escaped.size(), stdout);
        done = end + 7;  // past \u0001"
    }
    std::fwrite(text.data() + done, 1, text.size() - done, stdout);
    std::fputc('\n', stdout);
}

json json_of(const migrate::TargetConfig& t, const TargetPlan& tp, std::vector<std::string_view>& sql_texts) {
    json j;
    j["name"] = t.name;
    if (tp.failed) {
        j["error"] = {{"code", migrate::to_string(tp.failed->code())},
                      {"message", migrate::redact_url_text(tp.failed->what())},
                      {"remedy", tp.failed->context().fix == migrate::remedy::none
                                     ? json()
                                     : json(migrate::to_string(tp.failed->context().fix))}};
        return j;
    }
    const auto& p = *tp.preview;
    j.update(json::parse(migrate::preview_json(p, false)));  // the library's shape, shared with the C API
    j["lint"] = {{"errors", tp.lint_errors}, {"warnings", tp.lint_warnings}};
    for (std::size_t k = 0; k < p.migrations.size(); ++k) {
        const auto& m = p.migrations[k];
        for (std::size_t i = 0; i < m.statements.size(); ++i) {
            j["migrations"][k]["statements"][i]["sql"] =
                sql_placeholder(sql_texts, m.migration->statements[m.statements[i].index].sql);
            json lint = json::array();
            for (const auto& f : findings_at(tp.lint, *m.migration, m.statements[i].index))
                lint.push_back({{"rule", f.rule},
                                {"severity", migrate::to_string(f.severity)},
                                {"line", f.line},
                                {"message", f.message}});
            j["migrations"][k]["statements"][i]["lint"] = std::move(lint);
        }
    }
    return j;
}

}  // namespace

int run_plan(const std::vector<migrate::TargetConfig>& targets, const migrate::UpOptions& up, bool as_json, int jobs) {
    std::vector<TargetPlan> plans(targets.size());
    parallel_for(targets.size(), jobs, [&](std::size_t i) {
        TargetPlan& tp = plans[i];
        tp.name = targets[i].name;
        try {
            tp.target.emplace(migrate::Target::open(targets[i].options()));
            auto options = up;  // the target's "maxTableCopy" unless the command line set a limit
            if (!options.max_table_copy_bytes) options.max_table_copy_bytes = targets[i].max_table_copy_bytes;
            tp.preview = tp.target->preview(options);
            if (tp.preview->refusal_code) tp.code = exit_code_for(*tp.preview->refusal_code);
            const auto findings = migrate::lint_source(tp.target->source(), targets[i].lint_options());
            for (const auto& f : findings)
                if (!f.suppressed) ++(f.severity == migrate::LintSeverity::error ? tp.lint_errors : tp.lint_warnings);
            tp.lint = lint_index(findings);
            tp.human = human_text(targets[i], *tp.preview, tp);
        } catch (const migrate::error& e) {
            tp.failed = e;
            tp.code = exit_code_for(e.code());
            tp.human = fmt::format("== {}\nmigrate: error[{}]: {}\n", targets[i].name, migrate::to_string(e.code()),
                                   error_text(e));
        }
    });
    int code = exit_ok;
    for (const auto& p : plans) code = std::max(code, p.code);
    if (as_json) {
        json out = document("plan", json::array(), code);
        std::vector<std::string_view> sql_texts;
        for (std::size_t i = 0; i < targets.size(); ++i)
            out["targets"].push_back(json_of(targets[i], plans[i], sql_texts));
        print_document(out, sql_texts);
    } else {
        for (std::size_t i = 0; i < plans.size(); ++i) fmt::print("{}{}", i ? "\n" : "", plans[i].human);
    }
    return code;
}

}  // namespace cli
