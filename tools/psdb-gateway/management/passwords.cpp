#include "passwords.hpp"

#include "random_ids.hpp"

namespace gateway::management {

std::optional<Role> role_from(const std::string& name) {
    if (name == "reader") return Role::reader;
    if (name == "writer") return Role::writer;
    if (name == "readwriter") return Role::readwriter;
    if (name == "admin") return Role::admin;
    return std::nullopt;
}

const char* role_name(Role r) {
    switch (r) {
        case Role::reader: return "reader";
        case Role::writer: return "writer";
        case Role::readwriter: return "readwriter";
        case Role::admin: return "admin";
    }
    return "admin";
}

std::pair<Password, std::string> new_password(const std::string& branch, const std::string& name, Role role,
                                              std::optional<long long> ttl_seconds) {
    Password p;
    p.id = random_id(12);
    p.name = name;
    p.username = "pscale_" + random_id(20);
    p.branch = branch;
    p.role = role;
    p.ttl_seconds = ttl_seconds;
    p.created_at = WallClock::now();
    if (ttl_seconds && *ttl_seconds > 0) p.expires_at = p.created_at + std::chrono::seconds(*ttl_seconds);
    std::string plain = "pscale_pw_" + random_id(43);  // 43 of 36 symbols: > 220 bits
    p.secret_digest = sha256(plain);
    return {std::move(p), std::move(plain)};
}

}  // namespace gateway::management
