// The management API's HTTP routes (/v1/organizations/{org}/databases/{db}/…) and the test-only
// /_gateway/faults, on the SQL API's server. Registered before the SQL API's catch-all.
#pragma once

#include "../config.hpp"
#include "management.hpp"

namespace httplib {
class Server;
}

namespace gateway::management {

void register_routes(httplib::Server& http, Management& m, const Config& config);

}  // namespace gateway::management
