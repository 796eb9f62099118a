// What every fuzz target shares: checking an invariant (abort, so libFuzzer saves the input), reporting an
// exception a function must not throw, and the "files in one input" convention of the folder targets.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

// Not assert(): it must hold in the release builds the replay tests use too.
#define FUZZ_CHECK(cond, what)                                                                         \
    do {                                                                                               \
        if (!(cond)) {                                                                                 \
            std::fprintf(stderr, "fuzz invariant violated at %s:%d: %s\n  (%s)\n", __FILE__, __LINE__, \
                         std::string(what).c_str(), #cond);                                            \
            std::abort();                                                                              \
        }                                                                                              \
    } while (0)

namespace fuzz {

// An exception the function under test documents it never throws: print it, abort.
[[noreturn]] inline void unexpected(const std::exception& e, const char* call) {
    std::fprintf(stderr, "fuzz: %s threw %s: %s\n", call, typeid(e).name(), e.what());
    std::abort();
}

// One input holding several files: a head (the journal for `journal`; ignored by `v1_folder`), then each
// file introduced by a line "%%%% NAME" (marker at the start of the input or after a '\n'); its bytes run
// to the next marker's '\n' or the end. fuzz/seed-corpus writes real folders in this form.
struct Section {
    std::string name;
    std::string_view body;
};

struct Sections {
    std::string_view head;
    std::vector<Section> files;
};

inline Sections split_sections(std::string_view in) {
    constexpr std::string_view marker = "%%%% ";
    Sections out;
    auto next = [&](std::size_t from) -> std::size_t {  // offset of the next marker line at or after `from`
        if (from == 0 && in.substr(0, marker.size()) == marker) return 0;
        auto p = in.find(std::string("\n").append(marker), from == 0 ? 0 : from - 1);
        return p == std::string_view::npos ? p : p + 1;
    };
    std::size_t m = next(0);
    out.head = in.substr(0, m == std::string_view::npos ? in.size() : (m == 0 ? 0 : m - 1));
    while (m != std::string_view::npos) {
        const std::size_t name_begin = m + marker.size();
        std::size_t name_end = in.find('\n', name_begin);
        if (name_end == std::string_view::npos) name_end = in.size();
        const std::size_t body_begin = std::min(name_end + 1, in.size());
        const std::size_t n = next(body_begin);
        const std::size_t body_end = n == std::string_view::npos ? in.size() : n - 1;
        out.files.push_back({std::string(in.substr(name_begin, name_end - name_begin)),
                             in.substr(body_begin, body_end >= body_begin ? body_end - body_begin : 0)});
        m = n;
    }
    return out;
}

}  // namespace fuzz
