#include "auth.hpp"

#include <psdb_wire.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace gateway {

namespace {

// SHA-256 first, so the comparison takes the same time whatever the lengths.
std::string digest(std::string_view s) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(s.data(), s.size(), md, &len, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    return std::string(reinterpret_cast<char*>(md), len);
}

}  // namespace

namespace {

std::optional<std::string> decoded_basic(std::string_view header) {
    const auto space = header.find(' ');
    if (space == std::string_view::npos || header.substr(0, space) != "Basic") return std::nullopt;
    const std::string_view value = header.substr(space + 1);
    // Go's base64.StdEncoding: standard alphabet, padded (psdb::base64_decode is more lenient).
    if (value.empty() || value.size() % 4 != 0 || value.find_first_of("-_\r\n") != std::string_view::npos)
        return std::nullopt;
    auto decoded = psdb::base64_decode(value);
    if (!decoded) return std::nullopt;
    const auto colon = decoded->find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == decoded->size()) return std::nullopt;
    return decoded;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> basic_credentials(std::string_view header) {
    auto d = decoded_basic(header);
    if (!d) return std::nullopt;
    const auto colon = d->find(':');
    return std::pair{d->substr(0, colon), d->substr(colon + 1)};
}

AuthCheck check_basic_auth(std::string_view header, const std::string& user, const std::string& password) {
    if (header.empty()) return AuthCheck::missing;
    const auto decoded = decoded_basic(header);
    if (!decoded) return AuthCheck::malformed;

    const std::string given = digest(*decoded), expected = digest(user + ":" + password);
    // Split at the first ':' on both sides: "a:b:c" is user "a", password "b:c" either way.
    return CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0 ? AuthCheck::ok : AuthCheck::denied;
}

}  // namespace gateway
