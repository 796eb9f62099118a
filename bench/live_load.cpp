// A bounded application load for bench/live-traffic: THREADS connections, each running short queries on a
// table of ROWS rows as fast as it can for SECONDS seconds — 70 % point reads by primary key, 30 % point
// updates — and recording when each query started and how long it took. Prints one line per query,
// "<start ms since the epoch> <latency µs> <1 ok | 0 failed>", to stdout; the bench script computes the
// percentiles over the migration's window. Talks to loopback servers only (the bench's own).
//
//   bench-live-load --host H --port P --user U --database D --table T --rows N --threads K --seconds S
//   (the password from MYSQL_PWD, never on the command line)
#include <mysql.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Sample {
    long long start_ms;
    long long latency_us;
    bool ok;
};

struct Settings {
    std::string host = "127.0.0.1", user, database, table = "big";
    unsigned port = 3306;
    long long rows = 1000000;
    int threads = 8, seconds = 30;
};

long long epoch_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void worker(const Settings& s, const char* password, unsigned seed, std::vector<Sample>& out,
            std::atomic<int>& failed_connects) {
    MYSQL* m = mysql_init(nullptr);
    unsigned protocol = MYSQL_PROTOCOL_TCP;
    mysql_options(m, MYSQL_OPT_PROTOCOL, &protocol);
    if (!mysql_real_connect(m, s.host.c_str(), s.user.c_str(), password, s.database.c_str(), s.port, nullptr, 0)) {
        std::fprintf(stderr, "live-load: cannot connect: %s\n", mysql_error(m));
        ++failed_connects;
        mysql_close(m);
        return;
    }
    std::mt19937_64 random(seed);
    std::uniform_int_distribution<long long> id(1, s.rows);
    std::uniform_int_distribution<int> pct(0, 99);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(s.seconds);
    char sql[256];
    while (std::chrono::steady_clock::now() < deadline) {
        const bool read = pct(random) < 70;
        std::snprintf(sql, sizeof sql,
                      read ? "select s, w from `%s` where id = %lld" : "update `%s` set v = v + 1 where id = %lld",
                      s.table.c_str(), id(random));
        const long long start_ms = epoch_ms();
        const auto start = std::chrono::steady_clock::now();
        bool ok = mysql_real_query(m, sql, std::strlen(sql)) == 0;
        if (ok && read) {
            MYSQL_RES* res = mysql_store_result(m);
            ok = res != nullptr;
            if (res) mysql_free_result(res);
        }
        out.push_back(
            {start_ms,
             std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count(),
             ok});
        if (!ok && mysql_errno(m) >= 2000) break;  // the connection is gone: stop this thread, the rest go on
    }
    mysql_close(m);
}

}  // namespace

int main(int argc, char** argv) {
    Settings s;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i], v = argv[i + 1];
        if (k == "--host")
            s.host = v;
        else if (k == "--port")
            s.port = static_cast<unsigned>(std::stoul(v));
        else if (k == "--user")
            s.user = v;
        else if (k == "--database")
            s.database = v;
        else if (k == "--table")
            s.table = v;
        else if (k == "--rows")
            s.rows = std::stoll(v);
        else if (k == "--threads")
            s.threads = std::stoi(v);
        else if (k == "--seconds")
            s.seconds = std::stoi(v);
        else {
            std::fprintf(stderr, "bench-live-load: unknown option %s\n", k.c_str());
            return 2;
        }
    }
    if (s.user.empty() || s.database.empty() || s.threads < 1 || s.seconds < 1 || s.seconds > 600) {
        std::fprintf(stderr,
                     "usage: bench-live-load --user U --database D [--host H --port P --table T --rows N "
                     "--threads K --seconds S (1..600)]; password in MYSQL_PWD\n");
        return 2;
    }
    const char* password = std::getenv("MYSQL_PWD");
    mysql_library_init(0, nullptr, nullptr);
    std::vector<std::vector<Sample>> samples(static_cast<std::size_t>(s.threads));
    std::atomic<int> failed_connects{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < s.threads; ++t)
        threads.emplace_back(worker, std::cref(s), password, 1000u + static_cast<unsigned>(t), std::ref(samples[t]),
                             std::ref(failed_connects));
    for (auto& t : threads) t.join();
    for (const auto& thread : samples)
        for (const auto& x : thread) std::printf("%lld %lld %d\n", x.start_ms, x.latency_us, x.ok ? 1 : 0);
    mysql_library_end();
    return failed_connects == 0 ? 0 : 1;
}
