// `cmake --install --strip` (the documented install for deployment, docs/embedding.md) gives a complete,
// relocatable tree of stripped binaries: installed into a temporary prefix and moved to another directory, it
// still runs (the CLI finds libmigrate.so and the drivers relative to itself) and serves consumers that find
// it with find_package and with pkg-config.
#include "installed_tree.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "test_server.hpp"

#include <catch2/catch.hpp>

#include <elf.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

using namespace testing;
namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> with(std::map<std::string, std::string> extra) {
    auto env = clean_env;
    for (auto& [k, v] : extra) env[k] = v;
    return env;
}

void run_ok(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = clean_env) {
    auto r = run_process(argv, env);
    INFO(argv[0] << " " << (argv.size() > 1 ? argv[1] : "") << "\n" << r.out << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
}

// Configures and builds a consumer project; returns its build directory.
fs::path build_consumer(const fs::path& source, const fs::path& build, const std::map<std::string, std::string>& env,
                        const std::vector<std::string>& extra_args = {}) {
    std::vector<std::string> configure{MIGRATE_CMAKE_COMMAND,
                                       "-S",
                                       source.string(),
                                       "-B",
                                       build.string(),
                                       "-DCMAKE_CXX_COMPILER=" MIGRATE_CXX_COMPILER,
                                       "-DCMAKE_BUILD_TYPE=Release"};
#ifdef MIGRATE_SANITIZE_FLAGS
    // A sanitized libmigrate.so needs its runtime loaded first: the consumer is built the way the library was.
    configure.push_back("-DCMAKE_CXX_FLAGS=" MIGRATE_SANITIZE_FLAGS);
    configure.push_back("-DCMAKE_EXE_LINKER_FLAGS=" MIGRATE_SANITIZE_FLAGS);
#endif
    configure.insert(configure.end(), extra_args.begin(), extra_args.end());
    run_ok(configure, env);
    run_ok({MIGRATE_CMAKE_COMMAND, "--build", build.string(), "-j2"}, env);
    return build;
}

// The names of an ELF64 file's sections ("" for a file that is not one): a stripped binary has no .debug_*.
std::vector<std::string> elf_section_names(const fs::path& file) {
    const std::string bytes = read_file(file);
    Elf64_Ehdr eh;
    if (bytes.size() < sizeof eh || bytes.compare(0, SELFMAG, ELFMAG) != 0 || bytes[EI_CLASS] != ELFCLASS64) return {};
    std::memcpy(&eh, bytes.data(), sizeof eh);
    auto section = [&](std::size_t i) {
        Elf64_Shdr sh{};
        const std::size_t at = eh.e_shoff + i * eh.e_shentsize;
        if (at + sizeof sh <= bytes.size()) std::memcpy(&sh, bytes.data() + at, sizeof sh);
        return sh;
    };
    if (eh.e_shstrndx >= eh.e_shnum) return {};
    const Elf64_Shdr names = section(eh.e_shstrndx);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < eh.e_shnum; ++i) {
        const std::size_t at = names.sh_offset + section(i).sh_name;
        if (at < bytes.size()) out.emplace_back(bytes.c_str() + at);
    }
    return out;
}

}  // namespace

TEST_CASE("an installed prefix moved elsewhere serves the CLI, find_package and pkg-config consumers") {
    TempDir tmp("libmigrate-install");
    const fs::path staged = tmp.path() / "staged";
    const fs::path prefix = tmp.path() / "moved" / "elsewhere";
    const fs::path lib = prefix / MIGRATE_INSTALL_LIBDIR;
    run_ok({MIGRATE_CMAKE_COMMAND, "--install", MIGRATE_BUILD_DIR, "--prefix", staged.string(), "--strip"});
    fs::create_directories(prefix.parent_path());
    fs::rename(staged, prefix);

    // Stripped: no debug sections in any installed binary, and the library a fraction of the build tree's
    // (about 60 MB with RelWithDebInfo's debug info, about 2 MB without).
    int binaries = 0;
    for (const auto& entry : fs::recursive_directory_iterator(prefix)) {
        if (!entry.is_regular_file() || entry.is_symlink()) continue;
        const auto sections = elf_section_names(entry.path());
        if (sections.empty()) continue;
        ++binaries;
        INFO(entry.path() << ": " << fs::file_size(entry.path()) << " bytes");
        CHECK(std::none_of(sections.begin(), sections.end(),
                           [](const std::string& s) { return s.rfind(".debug_", 0) == 0; }));
    }
    CHECK(binaries >= 4);  // libmigrate.so.0.x, two drivers, the CLI (and psdb-gateway)
    const auto library = fs::canonical(lib / "libmigrate.so");
#ifndef MIGRATE_SANITIZE_FLAGS  // instrumented code is several times larger; the debug sections are checked above
    INFO(library << ": " << fs::file_size(library) << " bytes");
    CHECK(fs::file_size(library) < 10u * 1024 * 1024);
#endif

    // The pieces of the package.
    for (const auto& file :
         {prefix / "include/migrate/migrate.hpp", prefix / "include/migrate/startup.hpp",
          prefix / "include/migrate/driver.h", prefix / "bin/migrate", lib / "libmigrate.so", lib / "libmigrate.so.0",
          lib / "libmigrate/libmigrate-driver-mysql2-like.so", lib / "libmigrate/libmigrate-driver-http-planetscale.so",
          lib / "cmake/libmigrate/libmigrateConfig.cmake", lib / "cmake/libmigrate/libmigrateConfigVersion.cmake",
          lib / "cmake/libmigrate/libmigrateTargets.cmake", lib / "pkgconfig/libmigrate.pc",
          prefix / "share/doc/libmigrate/cli.md", prefix / "share/doc/libmigrate/embedding.md"}) {
        INFO(file);
        CHECK(fs::exists(file));
    }
    CHECK(fs::is_symlink(lib / "libmigrate.so"));
    CHECK(fs::is_symlink(lib / "libmigrate.so.0"));
    // Nothing refers to the build tree or the place it was installed to.
    for (const auto& entry : fs::recursive_directory_iterator(lib / "cmake")) {
        if (!entry.is_regular_file()) continue;
        const auto text = read_file(entry.path());
        INFO(entry.path());
        CHECK(text.find(MIGRATE_BUILD_DIR) == std::string::npos);
        CHECK(text.find(staged.string()) == std::string::npos);
    }
    const auto pc = read_file(lib / "pkgconfig/libmigrate.pc");
    CHECK(pc.find(staged.string()) == std::string::npos);
    CHECK(pc.find(MIGRATE_BUILD_DIR) == std::string::npos);

    // The moved CLI finds its libmigrate.so ($ORIGIN/../lib) and the drivers next to it.
    const auto version = run_process({(prefix / "bin/migrate").string(), "version"}, clean_env);
    INFO(version.out << version.err);
    REQUIRE(version.exit_code == 0);
    CHECK_THAT(version.out,
               Catch::Contains(prefix.string()) && Catch::Contains("/libmigrate/libmigrate-driver-mysql2-like.so"));
    // --help names where the documentation it refers to is: the moved tree's share/doc/libmigrate.
    const auto help = run_process({(prefix / "bin/migrate").string(), "--help"}, clean_env);
    CHECK_THAT(help.out, Catch::Contains("Documentation (docs/*.md): " + (prefix / "share/doc/libmigrate").string()));

    const auto folder = corpus_folder("oi_billing");
    const auto entries = journal_size(folder);
    ScratchDatabase db("pkg");

    SECTION("find_package: six service replicas start at once, one migrates, all serve") {
        const auto build =
            build_consumer(fs::path(MIGRATE_SOURCE_DIR) / "examples/service-startup", tmp.path() / "service-build",
                           clean_env, {"-DCMAKE_PREFIX_PATH=" + prefix.string()});
        const auto service = (build / "service-startup").string();
        // Without the folder's baseline, so the replica that wins the lock runs every migration.
        const auto env =
            with({{"DATABASE_URL", db.url()}, {"MIGRATIONS_DIR", folder.string()}, {"MIGRATE_USE_BASELINE", "0"}});
        std::vector<std::unique_ptr<RunningProcess>> running;
        for (int i = 0; i < 6; ++i)
            running.push_back(std::make_unique<RunningProcess>(std::vector<std::string>{service}, env));
        int applied_all = 0, applied_none = 0;
        for (auto& p : running) {
            auto r = p->wait();
            INFO(r.out << r.err);
            CHECK(r.exit_code == 0);
            CHECK_THAT(r.out, Catch::Contains("ready ") &&
                                  Catch::Contains(" recorded=" + std::to_string(entries) + " pending=0"));
            if (r.out.find("ready applied=" + std::to_string(entries) + " baseline=0 ") != std::string::npos)
                ++applied_all;
            if (r.out.find("ready applied=0 baseline=0 ") != std::string::npos) ++applied_none;
        }
        CHECK(applied_all == 1);
        CHECK(applied_none == 5);
        CHECK(db.connect().scalar("select count(*) from __drizzle_migrations") == std::to_string(entries));
        // The moved CLI agrees.
        run_ok({(prefix / "bin/migrate").string(), "status", "--no-baseline", "--url", db.url(), "--dir",
                folder.string()});
    }
    SECTION("pkg-config: a consumer reads status") {
        const auto build =
            build_consumer(fs::path(MIGRATE_PACKAGING_DIR) / "pkgconfig-consumer", tmp.path() / "pc-build",
                           with({{"PKG_CONFIG_PATH", (lib / "pkgconfig").string()}}));
        const auto r = run_process({(build / "pkgconfig-consumer").string()},
                                   with({{"DATABASE_URL", db.url()}, {"MIGRATIONS_DIR", folder.string()}}));
        INFO(r.out << r.err);
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("recorded=0 pending=" + std::to_string(entries)));
    }
}
