// An error as the JSON object every JSON output shares (the CLI's "error", the log records' "error").
#pragma once

#include <migrate/error.hpp>

#include <nlohmann/json.hpp>

#include <string_view>

namespace migrate::json {

// code, message (URLs redacted), file, line, statement, tag, errno, sqlstate, completion_unknown,
// http_status, api_code, remedy; null where the error has nothing to say. (command_json.cpp)
nlohmann::ordered_json error_object(errc code, std::string_view message, const error_context& context);

}  // namespace migrate::json
