// migrate-driver-check <driver-file> <url>: the driver conformance checks (checks.hpp) against one driver file
// and a real server. The driver is loaded and checked as the core loads it (plugins/loader) and is then called
// through migrate/driver.h alone; the URL is turned into driver options by libmigrate's public URL API, so the
// driver gets exactly the options the core would give it. Exit 0: every check passed or was skipped; 1: a
// check failed; 2: bad arguments, a URL or a file the loader refuses.
#include "checks.hpp"
#include "driver_loader.hpp"

#include <migrate/connection_url.hpp>
#include <migrate/error.hpp>

#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

namespace {

constexpr const char* usage =
    "usage: migrate-driver-check <driver-file> <url>\n"
    "  Loads <driver-file> (libmigrate-driver-<name>.so) and checks it against the server <url> names: the\n"
    "  declaration, options, rows, errors, one statement per call, session state, a lost connection. The\n"
    "  URL's scheme must be one the driver declares; its database gets a scratch table, dropped at the end.\n";

const char* verdict_name(migrate::driver_check::Verdict v) {
    switch (v) {
        case migrate::driver_check::Verdict::pass: return "ok  ";
        case migrate::driver_check::Verdict::fail: return "FAIL";
        case migrate::driver_check::Verdict::skip: return "skip";
    }
    return "?";
}

}  // namespace

int main(int argc, char** argv) {
    namespace check = migrate::driver_check;
    if (argc == 2 && (std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h")) {
        std::fputs(usage, stdout);
        return 0;
    }
    if (argc != 3) {
        std::fputs(usage, stderr);
        return 2;
    }
    try {
        check::CheckInput in;
        in.file = argv[1];
        // No expected name: the declaration check reports a name that does not match the file's.
        auto driver = migrate::plugins::load_driver_file(in.file, "");
        in.api = driver->api;

        auto url = migrate::parse_connection_url(argv[2]);
        in.scheme = url.scheme;
        if (url.transport_settled) {
            in.transport = std::string(migrate::to_string(url.transport));
        } else {
            const std::string_view declared = in.api->transport;
            if (declared != "tcp" && declared != "http") {
                std::fprintf(stderr, "migrate-driver-check: the driver declares transport '%s', not tcp or http\n",
                             in.api->transport);
                return 1;
            }
            migrate::settle_transport(url, declared == "http" ? migrate::Transport::http : migrate::Transport::tcp);
        }
        for (auto& [k, v] : url.driver_options()) in.options.emplace_back(k, v);
        in.password = url.password;

        std::printf("driver %s %s (%s; transport %s) from %s\n", in.api->name, in.api->version ? in.api->version : "",
                    url.scheme.c_str(), in.api->transport, in.file.string().c_str());
        std::printf("server %s\n", url.redacted().c_str());
        int failed = 0;
        for (const auto& r : check::run_checks(in)) {
            std::printf("%s %s%s%s\n", verdict_name(r.verdict), r.name.c_str(), r.detail.empty() ? "" : ": ",
                        r.detail.c_str());
            if (r.verdict == check::Verdict::fail) ++failed;
        }
        if (failed)
            std::printf("%d check(s) failed\n", failed);
        else
            std::printf("all checks passed\n");
        return failed ? 1 : 0;
    } catch (const migrate::plugins::DriverLoadError& e) {
        std::fprintf(stderr, "migrate-driver-check: %s\n", e.what());
        return 2;
    } catch (const migrate::error& e) {
        std::fprintf(stderr, "migrate-driver-check: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "migrate-driver-check: %s\n", e.what());
        return 2;
    }
}
