// In-process no-op: one process opens a Target once and calls up() on an already migrated database,
// as a service that migrates at startup (or on every request to a fresh worker) would. Prints one line
// per call, "<seconds>", then "peak_kib <n>" (the process's peak RSS).
//
//   bench-noop-inprocess --url URL --dir DIR [--runs N]
#include <migrate/migrate.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
    std::string url, dir;
    int runs = 100;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i];
        if (flag == "--url")
            url = argv[i + 1];
        else if (flag == "--dir")
            dir = argv[i + 1];
        else if (flag == "--runs")
            runs = std::atoi(argv[i + 1]);
    }
    if (url.empty() || dir.empty() || runs < 1) {
        std::cerr << "usage: bench-noop-inprocess --url URL --dir DIR [--runs N]\n";
        return 2;
    }
    try {
        migrate::TargetOptions options;
        options.url = url;
        options.migrations_dir = dir;
        auto target = migrate::Target::open(options);
        for (int i = 0; i < runs; ++i) {
            auto start = std::chrono::steady_clock::now();
            auto report = target.up();
            std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
            if (report.migrations_applied != 0 || report.statements_run != 0) {
                std::cerr << "bench-noop-inprocess: up() applied something; the database was not migrated\n";
                return 1;
            }
            std::printf("%.6f\n", took.count());
        }
    } catch (const migrate::error& e) {
        std::cerr << "bench-noop-inprocess: " << e.what() << "\n";
        return 1;
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("peak_kib %ld\n", usage.ru_maxrss);
    return 0;
}
