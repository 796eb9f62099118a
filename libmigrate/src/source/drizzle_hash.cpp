#include "folder_reading.hpp"
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

}  // namespace

namespace source {

// One context per thread, reused: EVP_Digest allocates and frees one per call, as costly as hashing a
// small migration file.
std::string sha256_hex(std::string_view data) {
    struct Context {
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        ~Context() { EVP_MD_CTX_free(ctx); }
    };
    thread_local Context context;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!context.ctx || EVP_DigestInit_ex2(context.ctx, sha256(), nullptr) != 1 ||
        EVP_DigestUpdate(context.ctx, data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(context.ctx, digest, &length) != 1)
        throw error(errc::internal, "OpenSSL SHA-256 failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(std::size_t{length} * 2, '0');
    for (std::size_t i = 0; i < length; ++i) {
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
