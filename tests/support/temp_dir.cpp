#include "temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace testing {

namespace fs = std::filesystem;

TempDir::TempDir(std::string_view prefix) {
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto candidate = fs::temp_directory_path() / (std::string(prefix) + "-" + std::to_string(::getpid()) + "-" +
                                                      std::to_string(rd() % 1000000));
        if (fs::create_directory(candidate)) {
            path_ = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

void write_file(const fs::path& path, std::string_view bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void copy_folder_prefix(const fs::path& from, const fs::path& to, std::size_t count) {
    auto journal = nlohmann::json::parse(read_file(from / "meta" / "_journal.json"));
    auto& entries = journal["entries"];
    if (count > entries.size()) throw std::runtime_error("copy_folder_prefix: count beyond the journal");
    nlohmann::json kept = nlohmann::json::array();
    for (std::size_t i = 0; i < count; ++i) {
        kept.push_back(entries[i]);
        auto tag = entries[i]["tag"].get<std::string>();
        fs::create_directories(to);
        fs::copy_file(from / (tag + ".sql"), to / (tag + ".sql"), fs::copy_options::overwrite_existing);
    }
    journal["entries"] = kept;
    write_file(to / "meta" / "_journal.json", journal.dump(2));
}

std::size_t journal_size(const fs::path& folder) {
    return nlohmann::json::parse(read_file(folder / "meta" / "_journal.json"))["entries"].size();
}

fs::path corpus_folder(std::string_view name) {
    return fs::path(MIGRATE_SOURCE_DIR) / "examples" / "openinsure" / name;
}

}  // namespace testing

namespace testing {

std::vector<std::string> read_query_dump(const std::filesystem::path& path) {
    const std::string dump = read_file(path);
    std::vector<std::string> sent;
    for (std::size_t start = 0; start <= dump.size();) {
        auto end = dump.find("\n-- ;;\n", start);
        if (end == std::string::npos) end = dump.size();
        sent.push_back(dump.substr(start, end - start));
        start = end + 7;
    }
    return sent;
}

}  // namespace testing
