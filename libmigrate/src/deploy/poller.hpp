// The pause between two reads of a deploy request's state: the poll interval, cut short by a cancel, and a
// keep-alive for the run's idle work session (servers reap idle sessions while a deploy runs for minutes).
// Internal.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

namespace migrate::deploy {

class Poller {
  public:
    Poller(std::chrono::milliseconds every, const std::atomic<bool>* cancel, std::function<void()> keep_alive = {})
        : every_(every), cancel_(cancel), keep_alive_(std::move(keep_alive)) {}

    // Waits one interval. Throws interrupted, with `interrupted_message`, once the cancel flag is set.
    void pause(const std::string& interrupted_message);

  private:
    std::chrono::milliseconds every_;
    const std::atomic<bool>* cancel_;
    std::function<void()> keep_alive_;
    std::chrono::steady_clock::time_point kept_alive_{};
};

}  // namespace migrate::deploy
