#include "batches.hpp"

#include "../run/statement_probe.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

#include <cctype>

namespace migrate::deploy {
namespace {

std::string branch_part(const std::string& s) {
    std::string out;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        out += std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '-';
    }
    return out;
}

// 0.x tags start with the journal index ("0007_…"), 1.0 folders with a timestamp: that number, else the position.
std::string migration_number(const Migration& m) {
    std::string digits;
    for (char c : m.tag) {
        if (!std::isdigit(static_cast<unsigned char>(c))) break;
        digits += c;
    }
    return digits.empty() ? fmt::format("{:04}", m.position) : digits;
}

}  // namespace

bool carried_by_deploy_request(std::string_view sql) {
    const auto c = run::classify_statement(sql);
    return c == run::StatementClass::ddl || c == run::StatementClass::unknown;
}

std::vector<Batch> split_into_batches(const std::vector<plan::StatementRef>& refs, bool setup,
                                      const std::string& prefix, const std::string& keyspace) {
    std::vector<Batch> out;
    std::vector<plan::StatementRef> pending_harmless;  // harmless statements that may open or continue a batch
    bool open = false;
    auto close = [&] {
        if (!open) return;
        const auto& last = out.back().statements.back();
        // The file's hash: an edited last migration (not yet applied, so editable) gets a new branch.
        out.back().branch =
            fmt::format("{}{}-{}-{}", branch_prefix_of(prefix, keyspace), migration_number(*last.migration),
                        last.index + 1, last.migration->hash.substr(0, 6));
        open = false;
    };
    for (const auto& r : refs) {
        const auto sql = r.migration->statements[r.index].sql;
        if (carried_by_deploy_request(sql)) {
            if (!open) out.push_back({});
            open = true;
            for (const auto& h : pending_harmless) out.back().statements.push_back(h);
            pending_harmless.clear();
            out.back().statements.push_back(r);
        } else if (run::classify_statement(sql) == run::StatementClass::harmless) {
            pending_harmless.push_back(r);
        } else {  // DML ends the batch; harmless statements before it stay out of it
            close();
            pending_harmless.clear();
        }
    }
    close();
    if (setup) {
        const bool starts_with_ddl = !out.empty() &&
                                     out.front().statements.front().migration == refs.front().migration &&
                                     out.front().statements.front().index == refs.front().index;
        if (starts_with_ddl)
            out.front().with_setup = true;
        else
            out.insert(out.begin(), Batch{{}, branch_prefix_of(prefix, keyspace) + "setup", true});
    }
    return out;
}

std::string where(const plan::StatementRef& r) {
    return fmt::format("{}:{}", r.migration->file.string(), r.migration->statements[r.index].line);
}

void refuse_several_batches(const std::vector<Batch>& batches, const std::string& existing_branch) {
    if (batches.size() <= 1) return;
    std::string between;
    for (std::size_t k = 1; k < batches.size(); ++k)
        if (!batches[k - 1].statements.empty())
            between += fmt::format("\n  after {} comes DML, then {}", where(batches[k - 1].statements.back()),
                                   where(batches[k].statements.front()));
    throw error(
        errc::deploy_request_failed,
        fmt::format("the pending statements need {} deploy requests (DML runs on production between schema "
                    "changes{}), and the existing branch {} can carry only one; nothing was run. Let each batch "
                    "have a branch of its own (name no existing branch), or apply the migrations before the "
                    "first DML first",
                    batches.size(), between.empty() ? ", or libmigrate's own tables go first" : ":" + between,
                    existing_branch));
}

std::string keyspace_name(const DeployRequestOptions& options, const ConnectionUrl& url) {
    return options.keyspace.empty() ? url.database : options.keyspace;
}

std::string branch_prefix_of(const std::string& prefix, const std::string& keyspace) {
    return fmt::format("{}-{}-", prefix, branch_part(keyspace));
}

}  // namespace migrate::deploy
