// The management API's errors: always {"code","message"} with one HTTP status per code.
#pragma once

#include <stdexcept>
#include <string>

namespace gateway::management {

enum class ErrorCode { not_found, invalid, permission, unauthorized, retry };

inline const char* code_name(ErrorCode c) {
    switch (c) {
        case ErrorCode::not_found: return "not_found";
        case ErrorCode::invalid: return "invalid";
        case ErrorCode::permission: return "permission";
        case ErrorCode::unauthorized: return "unauthorized";
        case ErrorCode::retry: return "retry";
    }
    return "invalid";
}

inline int http_status(ErrorCode c) {
    switch (c) {
        case ErrorCode::not_found: return 404;
        case ErrorCode::invalid: return 422;
        case ErrorCode::permission: return 403;
        case ErrorCode::unauthorized: return 401;
        case ErrorCode::retry: return 503;
    }
    return 500;
}

// Thrown by the stores; api_routes turns it into the answer.
struct ApiError : std::runtime_error {
    ApiError(ErrorCode c, const std::string& message) : std::runtime_error(message), code(c) {}
    ErrorCode code;
};

inline ApiError not_found() { return ApiError(ErrorCode::not_found, "Not Found"); }
inline ApiError invalid(const std::string& message) { return ApiError(ErrorCode::invalid, message); }

}  // namespace gateway::management
