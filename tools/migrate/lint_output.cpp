// Human, JSON and SARIF renderings of lint findings (lint_output.hpp).
#include "lint_output.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#ifndef MIGRATE_CLI_VERSION
#define MIGRATE_CLI_VERSION "0"
#endif

namespace cli {
namespace {

using json = nlohmann::ordered_json;

struct Counts {
    std::size_t errors = 0, warnings = 0, suppressed = 0;
    void add(const migrate::LintFinding& f) {
        if (f.suppressed)
            ++suppressed;
        else if (f.severity == migrate::LintSeverity::error)
            ++errors;
        else
            ++warnings;
    }
};

std::string plural(std::size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

// RFC 3986: everything but unreserved characters and '/' percent-encoded.
std::string uri_of(const std::filesystem::path& p) {
    std::string out;
    for (const char ch : display_path(p)) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
            out += static_cast<char>(c);
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

// A rule's SARIF level across the linted folders: the strictest any of their flavours gives it.
std::string_view sarif_level(const migrate::LintRule& r, const std::vector<LintedFolder>& folders) {
    std::string_view level = "none";
    for (const auto& f : folders)
        if (auto s = r.severity(f.options.flavor)) {
            if (*s == migrate::LintSeverity::error) return "error";
            level = "warning";
        }
    return level;
}

}  // namespace

std::string render_human(const std::vector<LintedFolder>& folders) {
    std::string out;
    Counts total;
    for (const auto& folder : folders)
        for (const auto& f : folder.findings) {
            total.add(f);
            std::string where = display_path(f.file);
            if (f.line) where += fmt::format(":{}:{}", f.line, f.column);
            const auto severity = migrate::to_string(f.severity);
            if (f.suppressed) {
                out += fmt::format("{}: suppressed {}[{}]: {}\n  reason: {}\n", where, severity, f.rule, f.message,
                                   f.suppression_reason);
            } else {
                out += fmt::format("{}: {}[{}]: {}\n  fix: {}\n", where, severity, f.rule, f.message, f.fix);
            }
        }
    std::string flavors;
    for (const auto& folder : folders) {
        auto name = std::string(migrate::to_string(folder.options.flavor));
        if (flavors.find(name) == std::string::npos) flavors += (flavors.empty() ? "" : ", ") + name;
    }
    out += fmt::format("lint: {} ({}): {}, {}, {} suppressed\n", plural(folders.size(), "folder"), flavors,
                       plural(total.errors, "error"), plural(total.warnings, "warning"), total.suppressed);
    return out;
}

// The library's document (shared with the C API's migrate_lint_json), indented for people.
std::string render_json(const std::vector<LintedFolder>& folders) {
    return json::parse(migrate::lint_json(folders)).dump(2) + "\n";
}

std::string render_sarif(const std::vector<LintedFolder>& folders) {
    const auto& rules = migrate::lint_rules();
    json jrules = json::array();
    for (const auto& r : rules)
        jrules.push_back({{"id", r.id},
                          {"name", r.id},
                          {"shortDescription", {{"text", r.summary}}},
                          {"fullDescription", {{"text", r.description}}},
                          {"help", {{"text", r.fix}}},
                          {"defaultConfiguration", {{"level", sarif_level(r, folders)}}}});
    json results = json::array();
    for (const auto& folder : folders)
        for (const auto& f : folder.findings) {
            const auto index =
                std::find_if(rules.begin(), rules.end(), [&](const auto& r) { return r.id == f.rule; }) - rules.begin();
            json location = {{"physicalLocation", {{"artifactLocation", {{"uri", uri_of(f.file)}}}}}};
            if (f.line)
                location["physicalLocation"]["region"] = {{"startLine", f.line},
                                                          {"startColumn", std::max<std::size_t>(f.column, 1)}};
            json result = {{"ruleId", f.rule},
                           {"ruleIndex", index},
                           {"level", migrate::to_string(f.severity)},
                           {"message", {{"text", f.message + " Fix: " + f.fix}}},
                           {"locations", json::array({location})}};
            if (f.suppressed)
                result["suppressions"] = json::array({{{"kind", "inSource"}, {"justification", f.suppression_reason}}});
            results.push_back(std::move(result));
        }
    json doc = {
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs",
         json::array({{{"tool",
                        {{"driver",
                          {{"name", "migrate lint"}, {"version", MIGRATE_CLI_VERSION}, {"rules", std::move(jrules)}}}}},
                       {"results", std::move(results)}}})}};
    return doc.dump(2) + "\n";
}

}  // namespace cli
