// The migration lock: one writer per database + tracking table, whatever the number of replicas.
// Held on its own connection (so a statement failing or a transaction rolling back on the work
// connection never touches it) and kept alive by a background thread; released on destruction.
#pragma once

#include "../connect/connection.hpp"
#include "../tracking/tracking_table.hpp"

#include <migrate/target.hpp>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace migrate::run {

class MigrationLock {
  public:
    // Waits up to options.lock_timeout, reporting the holder through lock_waiting events.
    // Throws lock_timeout, interrupted, or a connection error.
    static std::unique_ptr<MigrationLock> acquire(const ConnectionUrl& url, const tracking::TrackingTable& table,
                                                  const TargetOptions& options, const EventCallback& on_event,
                                                  const std::atomic<bool>* cancel);
    virtual ~MigrationLock();
    MigrationLock(const MigrationLock&) = delete;
    MigrationLock& operator=(const MigrationLock&) = delete;

    // Throws lock_lost when the keep-alive found the lock gone; the run must stop before its next write.
    void check() const;

  protected:
    MigrationLock(std::unique_ptr<connect::Connection> conn, std::chrono::milliseconds keep_alive_every);
    void start_keep_alive();
    void stop_keep_alive();
    virtual void keep_alive() = 0;  // on the lock connection; throws if the lock is gone
    connect::Connection& conn() { return *conn_; }

  private:
    std::unique_ptr<connect::Connection> conn_;
    std::chrono::milliseconds every_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::atomic<bool> lost_{false};
    std::string lost_reason_;
};

// Who holds the lock right now ("" when free), without waiting; for `status`.
std::string describe_lock_holder(connect::Connection& conn, const tracking::TrackingTable& table, LockMode mode,
                                 const std::string& database);

}  // namespace migrate::run
