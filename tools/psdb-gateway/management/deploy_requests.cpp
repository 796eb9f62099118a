#include "deploy_requests.hpp"

#include "random_ids.hpp"

namespace gateway::management {

const char* state_name(DeployState s) {
    switch (s) {
        case DeployState::pending: return "pending";
        case DeployState::ready: return "ready";
        case DeployState::no_changes: return "no_changes";
        case DeployState::queued: return "queued";
        case DeployState::in_progress: return "in_progress";
        case DeployState::pending_cutover: return "pending_cutover";
        case DeployState::in_progress_cutover: return "in_progress_cutover";
        case DeployState::complete_pending_revert: return "complete_pending_revert";
        case DeployState::complete: return "complete";
        case DeployState::in_progress_revert: return "in_progress_revert";
        case DeployState::complete_revert: return "complete_revert";
        case DeployState::in_progress_cancel: return "in_progress_cancel";
        case DeployState::complete_cancel: return "complete_cancel";
        case DeployState::error: return "error";
        case DeployState::complete_error: return "complete_error";
    }
    return "error";
}

bool is_deploying(DeployState s) {
    return s == DeployState::queued || s == DeployState::in_progress || s == DeployState::pending_cutover ||
           s == DeployState::in_progress_cutover || s == DeployState::in_progress_cancel;
}

std::vector<Operation> operations_of(const std::vector<std::string>& statements) {
    std::vector<Operation> ops;
    auto op_for = [&](const std::string& table, const char* name) -> Operation& {
        for (auto& o : ops)
            if (o.table == table) return o;
        Operation o;
        o.id = random_id(12);
        o.table = table;
        o.name = name;
        o.created_at = o.updated_at = WallClock::now();
        ops.push_back(std::move(o));
        return ops.back();
    };
    for (const auto& sql : statements) {
        const DdlStatement d = parse_ddl(sql);
        if (d.tables.empty()) continue;
        const char* name = d.kind == DdlKind::create_table ? "CREATE"
                           : d.kind == DdlKind::drop_table ? "DROP"
                                                           : "ALTER";
        const std::size_t n = d.kind == DdlKind::rename_table ? 1 : d.tables.size();
        for (std::size_t i = 0; i < n; ++i) {
            Operation& o = op_for(d.tables[i], name);
            // CREATE then ALTER is still a CREATE; DROP after anything is a DROP.
            if (std::string_view(name) == "DROP") o.name = name;
            if (!o.ddl.empty()) o.ddl += ";\n";
            o.ddl += sql;
        }
    }
    return ops;
}

}  // namespace gateway::management
