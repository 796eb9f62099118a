// /branches/{b}/passwords: credentials for the SQL API on one branch.
#include "management.hpp"

#include "api_error.hpp"
#include "json_body.hpp"

namespace gateway::management {

json Management::create_password(const std::string& branch, const json& body) {
    const std::string name = string_member(body, "name", "password");
    const std::string role_text = string_member(body, "role", "admin");
    const auto role = role_from(role_text);
    if (!role) throw invalid("role \"" + role_text + "\" is invalid: use reader, writer, readwriter or admin");
    std::optional<long long> ttl;
    if (auto it = body.find("ttl"); it != body.end() && !it->is_null()) {
        if (!it->is_number_integer() || it->get<long long>() < 0)
            throw invalid("ttl: expected seconds (a non-negative integer)");
        ttl = it->get<long long>();
    }
    std::lock_guard lock(mutex_);
    const Branch& b = branch_or_404(branch);
    auto [p, plain] = new_password(branch, name, *role, ttl);
    json out = {{"id", p.id},
                {"name", p.name},
                {"username", p.username},
                {"plain_text", plain},
                {"access_host_url", address_},
                {"role", role_name(p.role)},
                {"ttl_seconds", p.ttl_seconds ? json(*p.ttl_seconds) : json(nullptr)},
                {"expires_at", time_or_null(p.expires_at)},
                {"database_branch", {{"name", b.name}, {"id", b.id}, {"production", b.production}}},
                {"created_at", rfc3339(p.created_at)}};
    passwords_.emplace(p.id, std::move(p));
    return out;
}

void Management::delete_password(const std::string& branch, const std::string& id) {
    std::lock_guard lock(mutex_);
    branch_or_404(branch);
    auto p = passwords_.find(id);
    if (p == passwords_.end() || p->second.branch != branch) throw not_found();
    passwords_.erase(p);
}

}  // namespace gateway::management
