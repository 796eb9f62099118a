// Following a deploy request: the pause between two reads of its state: the poll interval, cut short by a cancel, and a
// keep-alive for the run's idle work session (servers reap idle sessions while a deploy runs for minutes).
// Internal.
#pragma once

#include <migrate/deploy_requests.hpp>
#include <migrate/target.hpp>

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

// Where a followed deploy request is now (a deploy or a revert): records `phase` in `progress` and, when
// the run has a callback, sends it a deploy_request event with `detail`. One place, so the deployer and
// the revert report alike.
void report_progress(const EventCallback& on_event, DeployRequestProgress& progress, const std::string& phase,
                     const std::string& detail);

}  // namespace migrate::deploy
