#include "lock.hpp"

#include "server_sessions.hpp"

#include <migrate/error.hpp>
#include <migrate/source.hpp>

#include <fmt/format.h>

#include <unistd.h>
#include <random>

namespace migrate::run {
namespace {

using clock = std::chrono::steady_clock;
using tracking::sql_string_literal;

// GET_LOCK names are limited to 64 characters (MySQL 5.7+); long ones are hashed.
std::string session_lock_name(const std::string& database, const tracking::TrackingTable& table) {
    std::string name = "libmigrate:" + database + "." + table.name();
    if (name.size() <= 64) return name;
    return "libmigrate:" + drizzle_hash(database + "." + table.name()).substr(0, 52);
}

std::string lease_table(const tracking::TrackingTable& table) { return "`" + table.side_table("lock") + "`"; }

std::string first_value(connect::Connection& conn, const std::string& sql) {
    auto rows = conn.query(sql);
    return rows.empty() || rows[0].empty() || !rows[0][0] ? "" : *rows[0][0];
}

std::string this_host() {
    char host[256] = {0};
    ::gethostname(host, sizeof host - 1);
    return fmt::format("{} pid {}", host, ::getpid());
}

void check_cancel(const std::atomic<bool>* cancel) {
    if (cancel && cancel->load()) throw error(errc::interrupted, "interrupted while waiting for the migration lock");
}

// Waits for the lock by calling try_once until it succeeds, reporting the holder between attempts.
template <class TryOnce, class Holder>
void wait_for(const TargetOptions& options, const EventCallback& on_event, const std::atomic<bool>* cancel,
              TryOnce&& try_once, Holder&& holder) {
    const auto start = clock::now();
    for (;;) {
        check_cancel(cancel);
        auto waited = clock::now() - start;
        auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(options.lock_timeout - waited);
        if (try_once(std::max(std::chrono::milliseconds(0), std::min(remaining, std::chrono::milliseconds(2000)))))
            break;
        std::string who = holder();
        if (clock::now() - start >= options.lock_timeout)
            throw error(errc::lock_timeout,
                        fmt::format("gave up waiting for the migration lock after {} s; held by {}. Another run is "
                                    "still migrating this database: wait for it, or raise the lock timeout",
                                    options.lock_timeout.count(), who.empty() ? "(released meanwhile)" : who));
        if (on_event)
            on_event({.kind = Event::Kind::lock_waiting,
                      .duration = clock::now() - start,
                      .detail = who.empty() ? "the holder just released it" : who,
                      .holder = who});
    }
    if (on_event) on_event({.kind = Event::Kind::lock_acquired, .duration = clock::now() - start});
}

std::string session_holder(connect::Connection& conn, const std::string& name) {
    std::string id = first_value(conn, "select is_used_lock(" + sql_string_literal(name) + ")");
    if (id.empty()) return "";
    std::string who = "connection " + id;
    try {  // processlist is not available everywhere (e.g. Vitess); the connection id is enough then
        if (auto s = find_session(conn, std::stoull(id))) who += fmt::format(" ({}@{})", s->user, s->host);
    } catch (const error&) {}
    return who;
}

std::string lease_holder(connect::Connection& conn, const tracking::TrackingTable& table) {
    auto rows = conn.query("select holder, timestampdiff(microsecond, now(6), expires_at) from " + lease_table(table) +
                           " where name = 'migrate' and expires_at > now(6)");
    if (rows.empty() || !rows[0][0]) return "";
    double left = rows[0][1] ? std::stod(*rows[0][1]) / 1e6 : 0;
    return fmt::format("{} (lease expires in {:.0f} s unless renewed)", *rows[0][0], left);
}

class SessionLock final : public MigrationLock {
  public:
    SessionLock(std::unique_ptr<connect::Connection> conn, std::string name)
        : MigrationLock(std::move(conn), std::chrono::seconds(5)), name_(std::move(name)) {}
    ~SessionLock() override {
        stop_keep_alive();
        try {
            conn().query("select release_lock(" + sql_string_literal(name_) + ")");
        } catch (const error&) {
            // The server releases a session lock when its connection closes, which happens next.
        }
    }
    bool try_once(std::chrono::milliseconds wait) {
        // Exactly `SELECT GET_LOCK(…)`: Vitess accepts lock functions only in a bare SELECT.
        std::string r = first_value(conn(), fmt::format("select get_lock({}, {:.3f})", sql_string_literal(name_),
                                                        static_cast<double>(wait.count()) / 1000.0));
        if (r.empty()) throw error(errc::internal, "GET_LOCK returned NULL (an error on the server)");
        return r == "1";
    }
    std::string holder() { return session_holder(conn(), name_); }

  private:
    // vtgate keeps a lock's reserved connection only while the session is used: ping it.
    void keep_alive() override { conn().query("select 1"); }
    std::string name_;
};

class LeaseLock final : public MigrationLock {
  public:
    LeaseLock(std::unique_ptr<connect::Connection> conn, const tracking::TrackingTable& table, std::chrono::seconds ttl)
        : MigrationLock(std::move(conn), std::chrono::duration_cast<std::chrono::milliseconds>(ttl) / 3),
          table_(table),
          ttl_(ttl),
          holder_(this_host()) {
        std::random_device rd;
        owner_ = fmt::format("{:08x}{:08x}{:08x}{:08x}", rd(), rd(), rd(), rd());
    }
    ~LeaseLock() override {
        stop_keep_alive();
        try {
            conn().execute(fmt::format("delete from {} where name = 'migrate' and owner = {}", lease_table(table_),
                                       sql_string_literal(owner_)));
        } catch (const error&) {
            // The lease expires by itself after its ttl.
        }
    }
    void create_table() {
        conn().execute(
            "create table if not exists " + lease_table(table_) +
            " (`name` varchar(64) not null primary key, `owner` char(32) not null, "
            "`holder` varchar(255) not null, `acquired_at` timestamp(6) not null default current_timestamp(6), "
            "`expires_at` timestamp(6) not null) "
            "comment 'libmigrate: migration lock lease; drizzle does not read this'");
    }
    bool try_once(std::chrono::milliseconds wait) {
        const auto deadline = clock::now() + wait;
        for (;;) {
            // Expiry is judged by the server's clock, so replicas' clocks do not matter.
            if (conn().execute(fmt::format("insert ignore into {} (name, owner, holder, expires_at) values ('migrate', "
                                           "{}, {}, now(6) + interval {} second)",
                                           lease_table(table_), sql_string_literal(owner_), sql_string_literal(holder_),
                                           ttl_.count())) == 1)
                return true;
            if (conn().execute(fmt::format("update {} set owner = {}, holder = {}, acquired_at = now(6), expires_at = "
                                           "now(6) + interval {} second where name = 'migrate' and expires_at < now(6)",
                                           lease_table(table_), sql_string_literal(owner_), sql_string_literal(holder_),
                                           ttl_.count())) == 1)
                return true;
            if (clock::now() >= deadline) return false;
            // A lease cannot be waited on server-side; poll it a few times within this attempt.
            std::this_thread::sleep_until(std::min(deadline, clock::now() + std::chrono::milliseconds(250)));
        }
    }
    std::string holder() { return lease_holder(conn(), table_); }

  private:
    void keep_alive() override {
        if (conn().execute(fmt::format("update {} set expires_at = now(6) + interval {} second where name = 'migrate' "
                                       "and owner = {}",
                                       lease_table(table_), ttl_.count(), sql_string_literal(owner_))) != 1)
            throw error(errc::lock_lost, "the lease was taken over by another run (it had expired)");
    }
    const tracking::TrackingTable& table_;
    std::chrono::seconds ttl_;
    std::string owner_, holder_;
};

}  // namespace

MigrationLock::MigrationLock(std::unique_ptr<connect::Connection> conn, std::chrono::milliseconds every)
    : conn_(std::move(conn)), every_(every) {}

MigrationLock::~MigrationLock() { stop_keep_alive(); }

void MigrationLock::start_keep_alive() {
    thread_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, every_, [this] { return stopping_; })) {
            try {
                keep_alive();
            } catch (const std::exception& e) {
                lost_reason_ = e.what();
                lost_ = true;
                return;
            }
        }
    });
}

void MigrationLock::stop_keep_alive() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void MigrationLock::check() const {
    if (lost_)
        throw error(errc::lock_lost, "the migration lock was lost (" + lost_reason_ +
                                         "); stopped before the next statement so that two runs never interleave. "
                                         "Run again: it resumes where this one stopped");
}

std::unique_ptr<MigrationLock> MigrationLock::acquire(const ConnectionUrl& url, const tracking::TrackingTable& table,
                                                      const TargetOptions& options, const EventCallback& on_event,
                                                      const std::atomic<bool>* cancel) {
    auto conn = connect::Connection::open(url);
    if (options.lock_mode == LockMode::lease) {
        auto lock = std::unique_ptr<LeaseLock>(new LeaseLock(std::move(conn), table, options.lease_ttl));
        lock->create_table();
        wait_for(
            options, on_event, cancel, [&](auto wait) { return lock->try_once(wait); }, [&] { return lock->holder(); });
        lock->start_keep_alive();
        return lock;
    }
    auto lock = std::unique_ptr<SessionLock>(new SessionLock(std::move(conn), session_lock_name(url.database, table)));
    wait_for(
        options, on_event, cancel, [&](auto wait) { return lock->try_once(wait); }, [&] { return lock->holder(); });
    lock->start_keep_alive();
    return lock;
}

std::string describe_lock_holder(connect::Connection& conn, const tracking::TrackingTable& table, LockMode mode,
                                 const std::string& database) {
    if (mode == LockMode::session) return session_holder(conn, session_lock_name(database, table));
    auto exists =
        conn.query("select 1 from information_schema.tables where table_schema = database() and table_name = " +
                   sql_string_literal(table.side_table("lock")));
    return exists.empty() ? "" : lease_holder(conn, table);
}

}  // namespace migrate::run
