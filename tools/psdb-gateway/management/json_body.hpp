// Members of a request's JSON body, checked: a wrong type is the client's error (422 invalid).
#pragma once

#include "api_error.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace gateway::management {

inline std::string string_member(const nlohmann::json& body, const char* key, const std::string& fallback = "") {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return fallback;
    if (!it->is_string()) throw invalid(std::string(key) + ": expected a string");
    return it->get<std::string>();
}

inline bool bool_member(const nlohmann::json& body, const char* key, bool fallback) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) throw invalid(std::string(key) + ": expected true or false");
    return it->get<bool>();
}

}  // namespace gateway::management
