#include "folder_reading.hpp"
#include "utf8.hpp"

#include <migrate/error.hpp>
#include <migrate/source.hpp>

// The low-level SHA-256 (deprecated since OpenSSL 3.0, still shipped by every 3.x): EVP needs the default
// provider, and the first EVP_MD_fetch initialises it -- 3 million instructions, 8 % of a no-op `up` on the
// monolith, more than the client library's own OpenSSL setup (bench/noop-floor, callgrind). SHA256_Update
// runs the same assembly (SHA-NI, AVX2) as the provider's implementation, without any of that.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

namespace migrate {
namespace source {

std::string sha256_hex(std::string_view data) {
    SHA256_CTX context;
    unsigned char digest[SHA256_DIGEST_LENGTH];
    if (SHA256_Init(&context) != 1 || SHA256_Update(&context, data.data(), data.size()) != 1 ||
        SHA256_Final(digest, &context) != 1)
        throw error(errc::internal, "OpenSSL SHA-256 failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(std::size_t{SHA256_DIGEST_LENGTH} * 2, '0');
    for (std::size_t i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 0xF];
    }
    return out;
}

}  // namespace source

// drizzle: createHash("sha256").update(readFileSync(f).toString()) — decode, then re-encode as UTF-8.
std::string drizzle_hash(std::string_view file_bytes) {
    if (!source::check_utf8(file_bytes).first_invalid) return source::sha256_hex(file_bytes);
    return source::sha256_hex(source::replace_invalid_utf8(file_bytes));
}

}  // namespace migrate
