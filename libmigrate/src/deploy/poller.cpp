#include "poller.hpp"

#include <migrate/error.hpp>

#include <algorithm>
#include <thread>

namespace migrate::deploy {

void Poller::pause(const std::string& interrupted_message) {
    using clock = std::chrono::steady_clock;
    if (keep_alive_ && clock::now() - kept_alive_ > std::chrono::seconds(5)) {
        keep_alive_();
        kept_alive_ = clock::now();
    }
    const auto until = clock::now() + every_;
    while (clock::now() < until) {
        if (cancel_ && cancel_->load()) throw error(errc::interrupted, interrupted_message);
        std::this_thread::sleep_for(std::min<clock::duration>(until - clock::now(), std::chrono::milliseconds(100)));
    }
}

void report_progress(const EventCallback& on_event, DeployRequestProgress& progress, const std::string& phase,
                     const std::string& detail) {
    progress.phase = phase;
    if (!on_event) return;
    Event e{.kind = Event::Kind::deploy_request, .detail = detail, .deploy_request = &progress};
    on_event(e);
}

}  // namespace migrate::deploy
