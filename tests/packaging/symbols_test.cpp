// libmigrate.so exports its public API and nothing else: every defined dynamic symbol is in namespace
// migrate:: (functions, typeinfo/vtables of public classes) and named in the public headers, or a C API
// symbol migrate_*. No fmt, nlohmann, simdjson, Boost, OpenSSL, std:: template instantiation or internal namespace.
#include "process.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

using namespace testing;
namespace fs = std::filesystem;

namespace {

struct Symbol {
    char type = '?';
    std::string name;  // demangled
};

std::vector<Symbol> exported_symbols(const std::string& library) {
    auto r = run_process({"nm", "-D", "--defined-only", "-C", library});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::vector<Symbol> symbols;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        // "<address> <type> <name>"; the name may contain spaces.
        auto first = line.find(' ');
        if (first == std::string::npos || first + 3 > line.size()) continue;
        symbols.push_back({line[first + 1], line.substr(first + 3)});
    }
    return symbols;
}

std::string public_headers_text() {
    std::string text;
    for (const auto& entry : fs::directory_iterator(fs::path(MIGRATE_SOURCE_DIR) / "libmigrate/include/migrate"))
        if (entry.path().extension() == ".hpp" || entry.path().extension() == ".h") text += read_file(entry.path());
    return text;
}

// "migrate::Target::open(...)" → "Target"; "typeinfo for migrate::error" → "error".
std::string first_component(const std::string& name) {
    auto at = name.find("migrate::");
    auto rest = name.substr(at + 9);
    auto end = rest.find_first_of(":(<[ ");
    return rest.substr(0, end);
}

}  // namespace

TEST_CASE("libmigrate.so exports only the public API") {
    const auto symbols = exported_symbols(MIGRATE_LIBRARY_FILE);
    REQUIRE(symbols.size() > 10);
    const auto headers = public_headers_text();
    const std::regex cxx_public(R"(^((typeinfo|typeinfo name|vtable|VTT) for )?migrate::)");
    const std::regex c_api(R"(^migrate_[A-Za-z0-9_]*$)");
    const std::regex internal(
        R"(migrate::(run|tracking|baseline|plugins|connect|source|plan|lint|verify|sql|startup|project|detail|cli)::)");
    const std::regex foreign(
        R"((^|[^A-Za-z_])(fmt|nlohmann|simdjson|boost|std|httplib|Catch)::|^(EVP_|SHA|OPENSSL|CRYPTO_|mysql_))");

    bool saw_target = false;
    for (const auto& s : symbols) {
        INFO(s.type << " " << s.name);
        const bool is_cxx = std::regex_search(s.name, cxx_public);
        CHECK((is_cxx || std::regex_match(s.name, c_api)));
        CHECK_FALSE(std::regex_search(s.name, internal));
        // Foreign names may appear only as parameter types of a migrate:: function (e.g. std::string).
        if (!is_cxx) CHECK_FALSE(std::regex_search(s.name, foreign));
        if (is_cxx) {
            const auto name = first_component(s.name);
            INFO("declared in a public header: " << name);
            CHECK(headers.find(name) != std::string::npos);
        }
        if (s.name.rfind("migrate::Target::open(", 0) == 0) saw_target = true;
    }
    CHECK(saw_target);
}
