// /branches: create (a copied database), list, get, delete, safe migrations.
#include "management.hpp"

#include "api_error.hpp"
#include "json_body.hpp"
#include "random_ids.hpp"

namespace gateway::management {

namespace {
using SteadyClock = std::chrono::steady_clock;
}  // namespace

Branch& Management::branch_or_404(const std::string& name) {
    auto b = branches_.find(name);
    if (b == branches_.end()) throw not_found();
    return b->second;
}

json Management::branch_json(const Branch& b) const {
    return {{"id", b.id},
            {"name", b.name},
            {"parent_branch", b.parent.empty() ? json(nullptr) : json(b.parent)},
            {"ready", SteadyClock::now() >= b.ready_at},
            {"production", b.production},
            {"safe_migrations", b.safe_migrations},
            {"html_url", "http://" + address_ + "/" + organization_ + "/" + database_ + "/" + b.name},
            {"created_at", rfc3339(b.created_at)},
            {"updated_at", rfc3339(b.updated_at)}};
}

json Management::list_branches() {
    std::lock_guard lock(mutex_);
    json data = json::array();
    for (const auto& [name, b] : branches_) data.push_back(branch_json(b));
    return {{"data", data}};
}

json Management::get_branch(const std::string& name) {
    std::lock_guard lock(mutex_);
    return branch_json(branch_or_404(name));
}

json Management::create_branch(const json& body) {
    const std::string name = string_member(body, "name"), parent = string_member(body, "parent_branch", production_);
    if (!valid_branch_name(name))
        throw invalid("branch name \"" + name +
                      "\" is invalid: use 1-64 lowercase letters, digits and '-', not starting with '-'");
    std::lock_guard lock(mutex_);
    if (branches_.count(name)) throw invalid("branch " + name + " already exists");
    auto p = branches_.find(parent);
    if (p == branches_.end()) throw invalid("parent branch " + parent + " does not exist");
    Branch b;
    b.id = random_id(12);
    b.name = name;
    b.parent = parent;
    b.database = branch_database(config_.mysql_database, name);
    b.created_at = b.updated_at = WallClock::now();
    try {
        create_branch_database(admin(), p->second.database, b.database, config_.copy_migration_data);
    } catch (const SqlFailure& e) {
        admin_.reset();
        throw invalid("cannot create branch " + name + ": " + e.what());
    }
    // Counted from the end of the copy, so the answer to the POST is never already ready.
    b.ready_at = SteadyClock::now() + std::chrono::milliseconds(config_.branch_ready_ms);
    json out = branch_json(b);
    branches_.emplace(name, std::move(b));
    return out;
}

void Management::drop_branch(const std::string& name) {
    auto b = branches_.find(name);
    if (b == branches_.end() || b->second.production) return;
    const std::string database = b->second.database;
    branches_.erase(b);
    for (auto it = passwords_.begin(); it != passwords_.end();)
        it = it->second.branch == name ? passwords_.erase(it) : std::next(it);
    end_sessions_(name);
    try {
        admin().exec("DROP DATABASE IF EXISTS " + ident(database));
    } catch (const SqlFailure&) {
        admin_.reset();  // the branch is gone from the API; its database is left behind
    }
}

void Management::delete_branch(const std::string& name) {
    std::lock_guard lock(mutex_);
    if (branch_or_404(name).production)
        throw invalid("branch " + name + " is the production branch and cannot be deleted");
    drop_branch(name);
}

json Management::set_safe_migrations(const std::string& name, bool on) {
    std::lock_guard lock(mutex_);
    Branch& b = branch_or_404(name);
    b.safe_migrations = on;
    b.updated_at = WallClock::now();
    return branch_json(b);
}

}  // namespace gateway::management
