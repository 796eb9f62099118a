#include "fault_injection.hpp"

#include <csignal>
#include <cstdlib>
#include <string>

namespace migrate::run {
namespace {

struct KillAt {
    std::string point;
    long n = 0;
    long seen = 0;
};

KillAt* configured() {
    static KillAt* k = []() -> KillAt* {
        const char* env = std::getenv("MIGRATE_TEST_KILL_AT");
        if (!env || !*env) return nullptr;
        std::string s(env);
        auto colon = s.rfind(':');
        if (colon == std::string::npos) return nullptr;
        static KillAt at{s.substr(0, colon), std::atol(s.c_str() + colon + 1)};
        return &at;
    }();
    return k;
}

}  // namespace

void kill_point(std::string_view point) {
    KillAt* k = configured();
    if (!k || point != k->point) return;
    if (++k->seen == k->n) std::raise(SIGKILL);
}

}  // namespace migrate::run
