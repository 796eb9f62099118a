// The management state, the SQL API's questions to it, and the fault table.
#include "management.hpp"

#include "api_error.hpp"
#include "random_ids.hpp"

#include <openssl/crypto.h>

namespace gateway::management {

namespace {
using SteadyClock = std::chrono::steady_clock;
}  // namespace

Management::Management(const Config& config, std::function<void(const std::string&)> end_sessions)
    : config_(config),
      end_sessions_(std::move(end_sessions)),
      organization_(config.organization),
      database_(config.database.empty() ? config.mysql_database : config.database),
      production_(config.production_branch),
      service_token_(config.service_token) {
    Branch prod;
    prod.id = random_id(12);
    prod.name = production_;
    prod.database = config.mysql_database;
    prod.production = true;
    prod.safe_migrations = config.safe_migrations;
    prod.created_at = prod.updated_at = WallClock::now();
    prod.ready_at = SteadyClock::now();
    branches_.emplace(prod.name, std::move(prod));
    worker_ = std::thread([this] { worker_loop(); });
}

Management::~Management() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    worker_.join();
}

void Management::set_address(const std::string& host, int port) {
    std::lock_guard lock(mutex_);
    address_ = host + ":" + std::to_string(port);
}

bool Management::service_token_matches(const std::string& header) const {
    return !service_token_.empty() && secret_equal(header, service_token_);
}

// ---- the SQL API's side

std::optional<SessionTarget> Management::authenticate(const std::string& username, const std::string& password) {
    const std::string digest = sha256(password);
    std::lock_guard lock(mutex_);
    for (const auto& [id, p] : passwords_) {
        if (p.username != username) continue;
        if (CRYPTO_memcmp(p.secret_digest.data(), digest.data(), digest.size()) != 0 || p.expired(WallClock::now()))
            return std::nullopt;
        auto b = branches_.find(p.branch);
        if (b == branches_.end()) return std::nullopt;
        return SessionTarget{b->second.name, b->second.database, p.username};
    }
    return std::nullopt;
}

SessionTarget Management::production_target() const { return {production_, config_.mysql_database, config_.user}; }

bool Management::safe_migrations(const std::string& branch) {
    std::lock_guard lock(mutex_);
    auto b = branches_.find(branch);
    return b == branches_.end() || b->second.safe_migrations;
}

bool Management::branch_exists(const std::string& branch) {
    std::lock_guard lock(mutex_);
    return branches_.count(branch) != 0;
}

void Management::record_ddl(const std::string& branch, const std::string& sql) {
    std::lock_guard lock(mutex_);
    auto b = branches_.find(branch);
    if (b != branches_.end() && !b->second.production) b->second.ddl_log.push_back(sql);
}

// ---- faults

void Management::add_fault(const json& body) {
    std::lock_guard lock(mutex_);
    faults_.add(body);
}

void Management::clear_faults() {
    std::lock_guard lock(mutex_);
    faults_ = Faults{};
}

std::optional<HttpFault> Management::take_http_fault(const std::string& method, const std::string& path) {
    std::lock_guard lock(mutex_);
    return faults_.take_http(method, path);
}

}  // namespace gateway::management
