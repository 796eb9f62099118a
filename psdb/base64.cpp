// base64 through OpenSSL's EVP_EncodeBlock/EVP_DecodeBlock. Input is normalised first the way protojson
// decodes `bytes`: URL-safe when it contains '-' or '_', unpadded when its length is not a multiple of 4.
#include "psdb_wire.hpp"

#include <openssl/evp.h>

namespace psdb {

std::string base64_encode(std::string_view bytes) {
    if (bytes.empty()) return {};
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    // Go's decoders skip CR and LF; nothing else is ignored.
    std::string s;
    s.reserve(text.size() + 3);
    for (char c : text)
        if (c != '\r' && c != '\n') s.push_back(c);

    const bool url_safe = s.find_first_of("-_") != std::string::npos;
    const bool padded = s.size() % 4 == 0;
    std::size_t pad = 0;
    if (padded) {
        while (pad < 2 && pad < s.size() && s[s.size() - 1 - pad] == '=') ++pad;
    }
    const std::size_t data_len = s.size() - pad;
    if (data_len % 4 == 1) return std::nullopt;  // 6 bits cannot end a byte
    for (std::size_t i = 0; i < data_len; ++i) {
        char& c = s[i];
        const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (alnum) continue;
        if (url_safe) {
            if (c == '-')
                c = '+';
            else if (c == '_')
                c = '/';
            else
                return std::nullopt;  // '+', '/', '=' inside, or anything else
        } else if (c != '+' && c != '/') {
            return std::nullopt;
        }
    }
    // Unpadded input: complete the last quantum so EVP_DecodeBlock accepts it.
    s.resize(data_len);
    std::size_t missing = (4 - data_len % 4) % 4;
    s.append(missing, '=');
    if (s.empty()) return std::string();

    std::string out(s.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
    if (n < 0) return std::nullopt;
    // EVP_DecodeBlock counts the padding as zero bytes.
    out.resize(static_cast<std::size_t>(n) - missing);
    return out;
}

}  // namespace psdb
