#include "random_ids.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace gateway::management {

std::string random_id(std::size_t n) {
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::vector<unsigned char> bytes(n);
    if (RAND_bytes(bytes.data(), static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
    std::string out;
    out.reserve(n);
    // 252 = 7 * 36: bytes at or above it would bias the choice; redraw them.
    for (unsigned char b : bytes) {
        while (b >= 252)
            if (RAND_bytes(&b, 1) != 1) throw std::runtime_error("RAND_bytes failed");
        out.push_back(alphabet[b % 36]);
    }
    return out;
}

std::string sha256(const std::string& s) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(s.data(), s.size(), md, &len, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    return std::string(reinterpret_cast<char*>(md), len);
}

bool secret_equal(const std::string& a, const std::string& b) {
    const std::string da = sha256(a), db = sha256(b);
    return CRYPTO_memcmp(da.data(), db.data(), da.size()) == 0;
}

}  // namespace gateway::management
