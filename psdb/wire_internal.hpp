// Helpers shared by the psdb_wire sources; not part of the library's interface.
#pragma once

#include <optional>
#include <string>

namespace psdb::detail {

std::optional<std::string> type_name_from_number(long long n);  // vitess.query.Type
std::optional<std::string> code_name_from_number(long long n);  // vtrpc.Code

}  // namespace psdb::detail
