// A terminal program under tmux, for TUI tests: its own tmux server (socket), a fixed window size, keys
// sent with send-keys, the screen read with capture-pane.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace testing {

class Tmux {
  public:
    // Starts `argv` (with `env` set) in a detached session of `width` x `height`.
    Tmux(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env, int width = 80,
         int height = 24);
    ~Tmux();  // kills the server
    Tmux(const Tmux&) = delete;
    Tmux& operator=(const Tmux&) = delete;

    void keys(const std::vector<std::string>& keys);   // tmux key names (Enter, Down, Escape) or literal text
    std::string screen(bool with_attributes = false);  // the visible pane, one line per row
    // Polls the screen until it contains `text` (true) or `timeout` passes (false): the program redraws
    // when its background work finishes, and the test waits for exactly that.
    bool wait_for(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(20));
    bool wait_for_exit(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    void resize(int width, int height);

  private:
    int run(const std::vector<std::string>& args, std::string* out = nullptr);
    std::string socket_;
};

}  // namespace testing
