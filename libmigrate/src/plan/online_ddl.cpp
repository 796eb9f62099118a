// Names and sizes for the cost of pending statements (online_ddl.hpp).
#include <migrate/online_ddl.hpp>

#include <fmt/format.h>

#include <cctype>
#include <cmath>

namespace migrate {

std::string_view to_string(DdlAlgorithm a) noexcept {
    switch (a) {
        case DdlAlgorithm::not_applicable: return "not_applicable";
        case DdlAlgorithm::instant: return "instant";
        case DdlAlgorithm::in_place: return "in_place";
        case DdlAlgorithm::rebuild: return "rebuild";
        case DdlAlgorithm::copy: return "copy";
        case DdlAlgorithm::depends: return "depends";
    }
    return "depends";
}

std::optional<std::uint64_t> parse_byte_size(std::string_view text) noexcept {
    auto trim = [](std::string_view s) {
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
        while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
        return s;
    };
    text = trim(text);
    std::size_t i = 0;
    double whole = 0, scale = 1;
    bool digits = false, point = false;
    for (; i < text.size(); ++i) {
        const char ch = text[i];
        if (ch >= '0' && ch <= '9') {
            digits = true;
            if (point) scale /= 10;
            whole = whole * 10 + (ch - '0');
        } else if (ch == '.' && !point) {
            point = true;
        } else {
            break;
        }
    }
    if (!digits) return std::nullopt;
    std::string unit;
    for (char ch : trim(text.substr(i))) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    double factor = 0;
    const std::string_view prefixes = "kmgt";
    if (unit.empty() || unit == "b") {
        factor = 1;
    } else if (auto p = prefixes.find(unit[0]); p != std::string_view::npos) {
        const std::string rest = unit.substr(1);
        const double binary = std::pow(1024.0, static_cast<double>(p + 1)),
                     decimal = std::pow(1000.0, static_cast<double>(p + 1));
        if (rest.empty() || rest == "i" || rest == "ib")
            factor = binary;
        else if (rest == "b")
            factor = decimal;
    }
    if (factor == 0) return std::nullopt;
    const double bytes = std::round(whole * scale * factor);
    if (!(bytes >= 1) || bytes > 9.2e18) return std::nullopt;
    return static_cast<std::uint64_t>(bytes);
}

std::string format_bytes(std::uint64_t bytes) {
    static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = static_cast<double>(bytes);
    std::size_t u = 0;
    while (v >= 1024 && u + 1 < std::size(units)) {
        v /= 1024;
        ++u;
    }
    if (u == 0) return fmt::format("{} B", bytes);
    return fmt::format("{:.{}f} {}", v, v < 10 ? 2 : v < 100 ? 1 : 0, units[u]);
}

}  // namespace migrate
