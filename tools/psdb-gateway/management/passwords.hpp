// Branch passwords: credentials for the SQL API that put a session on one branch.
#pragma once

#include "times.hpp"

#include <optional>
#include <string>

namespace gateway::management {

enum class Role { reader, writer, readwriter, admin };

std::optional<Role> role_from(const std::string& name);
const char* role_name(Role r);

struct Password {
    std::string id, name, username, branch;
    std::string secret_digest;  // SHA-256 of the plain text, which is shown once and never kept
    Role role = Role::admin;
    std::optional<long long> ttl_seconds;
    std::optional<WallTime> expires_at;
    WallTime created_at;

    bool expired(WallTime now) const { return expires_at && now >= *expires_at; }
};

// A new password for `branch`: random username ("pscale_" + 20) and plain text ("pscale_pw_" + 43).
// Returns the password and its plain text.
std::pair<Password, std::string> new_password(const std::string& branch, const std::string& name, Role role,
                                              std::optional<long long> ttl_seconds);

}  // namespace gateway::management
