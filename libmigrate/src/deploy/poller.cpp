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

}  // namespace migrate::deploy
