#include "driver_error.hpp"

#include <migrate/driver_kit.hpp>

#include <algorithm>

namespace migrate::drivers::http_planetscale {
namespace {

namespace kit = migrate::driver_kit;

// Length of the valid UTF-8 sequence starting at s[i], or 0 if there is none.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    return n;
}

}  // namespace

Redactor::Redactor(std::vector<std::string> secrets) : secrets_(std::move(secrets)) {
    secrets_.erase(std::remove_if(secrets_.begin(), secrets_.end(), [](const std::string& s) { return s.empty(); }),
                   secrets_.end());
    std::sort(secrets_.begin(), secrets_.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string Redactor::apply(std::string text) const {
    const auto alnum = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    for (const auto& secret : secrets_) {
        // A secret of 6 bytes or more is replaced wherever it occurs. A shorter one only where it stands
        // alone (no letter or digit right before or after it): a 1-byte password must not turn "https"
        // into "htt***s", while "password: ab1" still loses "ab1".
        const bool anywhere = secret.size() >= anywhere_length;
        for (std::size_t pos = text.find(secret); pos != std::string::npos;) {
            const std::size_t end = pos + secret.size();
            const bool alone = (pos == 0 || !alnum(text[pos - 1])) && (end >= text.size() || !alnum(text[end]));
            if (anywhere || alone) {
                text.replace(pos, secret.size(), "***");
                pos = text.find(secret, pos + 3);
            } else {
                pos = text.find(secret, pos + 1);
            }
        }
    }
    return text;
}

std::string printable_excerpt(std::string_view text, std::size_t max_bytes) {
    std::string out;
    out.reserve(std::min(text.size(), max_bytes));
    bool last_space = false;
    for (std::size_t i = 0; i < text.size() && out.size() < max_bytes;) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7F || c == ' ') {
            if (!last_space && !out.empty()) out.push_back(' ');
            last_space = true;
            ++i;
            continue;
        }
        last_space = false;
        const std::size_t n = utf8_sequence_length(text, i);
        if (n == 0) {
            out.push_back('?');
            ++i;
        } else {
            if (out.size() + n > max_bytes) break;
            out.append(text.substr(i, n));
            i += n;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

bool is_valid_utf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8_sequence_length(text, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

int report(migrate_driver_error* err, const DriverError& e, const Redactor* redactor) noexcept {
    if (!kit::error_writable(err)) return e.status;
    try {
        const std::string text = redactor != nullptr ? redactor->apply(e.message) : e.message;
        return kit::report_error(err, e.status, text, e.server_errno, e.sqlstate, e.completion_unknown);
    } catch (...) {
        // Out of memory while redacting: say so rather than risk printing a secret.
        return kit::report_error(err, e.status, "error (message unavailable: out of memory)", e.server_errno,
                                 e.sqlstate, e.completion_unknown);
    }
}

int report(migrate_driver_error* err, int status, std::string_view message, bool completion_unknown) noexcept {
    return kit::report_error(err, status, message, 0, {}, completion_unknown);
}

}  // namespace migrate::drivers::http_planetscale
