// A project config (migrate.json) over scratch databases, one per target, for CLI and TUI tests.
#pragma once

#include "temp_dir.hpp"
#include "test_server.hpp"

#include <migrate/connection_url.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace testing {

inline std::string json_str(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

struct Project {
    TempDir tmp;
    std::vector<std::unique_ptr<ScratchDatabase>> dbs;
    std::filesystem::path file;
    std::map<std::string, const ScratchDatabase*> db;

    // One target per name; folders[name] overrides the corpus folder. Targets use Hyperdrive-style fields
    // with the password in $PROJECT_TEST_PW (see env()).
    Project(const std::vector<std::string>& names, const std::map<std::string, std::filesystem::path>& folders = {}) {
        auto server = migrate::parse_connection_url(server_url());
        std::string targets;
        for (const auto& name : names) {
            dbs.push_back(std::make_unique<ScratchDatabase>("proj"));
            db[name] = dbs.back().get();
            auto folder = folders.count(name) ? folders.at(name) : corpus_folder(name);
            if (!targets.empty()) targets += ",\n";
            targets += "    " + json_str(name) + ": {\"host\": " + json_str(server.host) +
                       ", \"port\": " + std::to_string(server.port ? server.port : 3306) +
                       ", \"user\": " + json_str(server.user) +
                       ", \"password\": \"env:PROJECT_TEST_PW\", \"database\": " + json_str(dbs.back()->name()) +
                       ", \"migrations\": " + json_str(folder.string()) + "}";
        }
        file = tmp.path() / "migrate.json";
        write_file(file, "{\"targets\": {\n" + targets + "\n}}\n");
    }
    std::map<std::string, std::string> env() const {
        return {{"PROJECT_TEST_PW", migrate::parse_connection_url(server_url()).password}, {"DATABASE_URL", ""}};
    }
};

}  // namespace testing
