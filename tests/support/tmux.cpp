#include "tmux.hpp"

#include "process.hpp"

#include <fmt/format.h>

#include <unistd.h>
#include <atomic>
#include <stdexcept>
#include <thread>

namespace testing {
namespace {

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

Tmux::Tmux(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env, int width, int height) {
    static std::atomic<int> n{0};
    socket_ = fmt::format("libmigrate-test-{}-{}", ::getpid(), n++);
    std::string command = "exec env";
    for (const auto& [k, v] : env) command += " " + shell_quote(k + "=" + v);
    for (const auto& a : argv) command += " " + shell_quote(a);
    if (run({"new-session", "-d", "-s", "t", "-x", std::to_string(width), "-y", std::to_string(height), command}) != 0)
        throw std::runtime_error("tmux new-session failed (is tmux installed?)");
    run({"set-option", "-t", "t", "remain-on-exit", "on"});
}

Tmux::~Tmux() { run({"kill-server"}); }

int Tmux::run(const std::vector<std::string>& args, std::string* out) {
    std::vector<std::string> argv{"tmux", "-L", socket_, "-f", "/dev/null"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_process(argv);
    if (out) *out = r.out;
    return r.exit_code;
}

void Tmux::keys(const std::vector<std::string>& keys) {
    std::vector<std::string> args{"send-keys", "-t", "t"};
    args.insert(args.end(), keys.begin(), keys.end());
    run(args);
}

std::string Tmux::screen(bool with_attributes) {
    std::string out;
    std::vector<std::string> args{"capture-pane", "-p", "-t", "t"};
    if (with_attributes) args.push_back("-e");
    run(args, &out);
    return out;
}

bool Tmux::wait_for(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (screen().find(text) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling the screen, not waiting for time
    }
    return false;
}

bool Tmux::wait_for_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        std::string dead;
        run({"display-message", "-p", "-t", "t", "#{pane_dead}"}, &dead);
        if (dead.rfind("1", 0) == 0) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

void Tmux::resize(int width, int height) {
    run({"resize-window", "-t", "t", "-x", std::to_string(width), "-y", std::to_string(height)});
}

}  // namespace testing
