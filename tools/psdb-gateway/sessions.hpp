// The session table: one pinned backend connection per session, for as long as the client echoes the
// session and it is used at least every --idle-timeout seconds.
//
// A session on the wire is {"signature", "vitessSession"}. The gateway keeps the real state here, keyed
// by vitessSession.SessionUUID; the signature is HMAC-SHA256(per-process random key, SessionUUID), so a
// client can neither forge a session nor reach another one by editing the UUID, and sessions of an
// earlier gateway process are refused (their signatures no longer verify).
#pragma once

#include "backend.hpp"
#include "config.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <variant>

namespace gateway {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Session {
    std::string uuid;
    std::string branch, database;  // where it runs: its credential's branch (targetString = database)
    std::unique_ptr<Backend> backend;
    bool busy = false;
    Clock::time_point last_used;
    // What the client sees in vitessSession.
    bool in_transaction = false;
    std::uint64_t last_insert_id = 0, row_count = 0, found_rows = 0;
};

class SessionTable;

// Exclusive use of one session for one request. Released (not busy, idle clock restarted) on destruction.
class Lease {
  public:
    Lease(SessionTable* table, std::shared_ptr<Session> s) : table_(table), session_(std::move(s)) {}
    Lease(Lease&& o) noexcept : table_(o.table_), session_(std::move(o.session_)), drop_(std::move(o.drop_)) {
        o.table_ = nullptr;
    }
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Session& operator*() const { return *session_; }
    Session* operator->() const { return session_.get(); }
    // End the session when released (its backend connection died): later use gives not_found.
    void drop(std::string reason) { drop_ = std::move(reason); }

  private:
    SessionTable* table_;
    std::shared_ptr<Session> session_;
    std::string drop_;
};

// SessionTable::create found --max-sessions sessions open or being opened (nothing was connected).
struct SessionCapReached {
    int cap;
};

// Why a request's session cannot be used; maps to a Connect error.
struct SessionRefusal {
    std::string code;  // Connect code: invalid_argument, permission_denied, not_found
    std::string message;
};

class SessionTable {
  public:
    explicit SessionTable(const Config& config);
    ~SessionTable();  // stops the reaper, closes every backend connection
    SessionTable(const SessionTable&) = delete;
    SessionTable& operator=(const SessionTable&) = delete;

    // A new session on `branch` with its own backend connection using `database`, already leased.
    // Throws SessionCapReached, BackendCapReached or BackendConnectError.
    Lease create(const std::string& branch, const std::string& database);
    // Ends every session of a deleted branch (busy ones close when their request finishes).
    void end_branch(const std::string& branch);
    // The session a request carries (its "session" member, not null).
    std::variant<Lease, SessionRefusal> acquire(const json& wire_session);
    // CloseSession: ends the session if it exists (idempotent). Refuses forged or busy sessions.
    std::optional<SessionRefusal> close(const json& wire_session);

    json to_wire(const Session& s) const;
    std::size_t size() const;

  private:
    friend class Lease;
    void release(const std::shared_ptr<Session>& s, const std::string& drop_reason);
    std::variant<std::string, SessionRefusal> verified_uuid(const json& wire_session) const;
    std::string signature(const std::string& uuid) const;
    void remember_end(const std::string& uuid, const std::string& reason);  // caller holds mutex_
    void reap_loop();

    const Config& config_;
    unsigned char key_[32];
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<Session>> sessions_;
    std::size_t connecting_ = 0;  // sessions being created (connecting outside the lock): they count for the cap
    // Recently ended sessions and why (bounded), for the not_found message.
    std::map<std::string, std::string> ended_;
    std::deque<std::string> ended_order_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread reaper_;
};

}  // namespace gateway
