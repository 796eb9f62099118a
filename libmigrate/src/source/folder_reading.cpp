#include "folder_reading.hpp"

#include "text_position.hpp"
#include "utf8.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace migrate::source {

std::optional<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return std::move(buffer).str();
}

void Problems::add(errc code, std::string line, error_context context) {
    if (!first_code) {
        first_code = code;
        first_context = std::move(context);
    }
    lines.push_back(std::move(line));
}

void Problems::throw_if_any(const std::filesystem::path& dir) {
    if (!first_code) return;
    std::string message = lines.size() == 1
        ? lines.front()
        : fmt::format("{} problems in migrations folder {}:", lines.size(), dir.string());
    if (lines.size() > 1)
        for (const auto& l : lines) message += "\n  - " + l;
    throw error(*first_code, message, first_context);
}

bool load_migration_text(Migration& m, std::string_view bytes, Problems& problems) {
    m.hash = drizzle_hash(bytes);
    if (auto bad = check_utf8(bytes).first_invalid) {
        auto pos = position_of(bytes, *bad);
        problems.add(errc::not_utf8,
                     fmt::format("{}:{}:{}: byte 0x{:02X} is not valid UTF-8; drizzle would silently "
                                 "replace it with U+FFFD (and record hash {}); save the file as UTF-8",
                                 m.file.string(), pos.line, pos.column, static_cast<unsigned char>(bytes[*bad]),
                                 m.hash),
                     {.file = m.file.string(), .line = pos.line, .tag = m.tag});
        return false;
    }
    m.statements = split_statements(bytes);
    return true;
}

}  // namespace migrate::source
