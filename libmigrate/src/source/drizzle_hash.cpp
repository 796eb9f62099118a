#include "utf8.hpp"

#include <migrate/error.hpp>
#include <migrate/source.hpp>

#include <openssl/evp.h>

namespace migrate {
namespace {

// Fetched once: EVP_sha256() makes EVP_Digest look the algorithm up on every call, which cost as much as
// hashing a typical migration file (bench/scaling, callgrind).
const EVP_MD* sha256() {
    static EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched ? fetched : EVP_sha256();
}

std::string sha256_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &length, sha256(), nullptr) != 1)
        throw error(errc::internal, "OpenSSL EVP_Digest(sha256) failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(length * 2, '0');
    for (unsigned int i = 0; i < length; ++i) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 0xF];
    }
    return out;
}

}  // namespace

// drizzle: createHash("sha256").update(readFileSync(f).toString()) — decode, then re-encode as UTF-8.
std::string drizzle_hash(std::string_view file_bytes) {
    if (!source::check_utf8(file_bytes).first_invalid) return sha256_hex(file_bytes);
    return sha256_hex(source::replace_invalid_utf8(file_bytes));
}

}  // namespace migrate
