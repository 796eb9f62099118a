#include "sessions.hpp"

#include <psdb_wire.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace gateway {

namespace {

constexpr std::size_t ended_remembered = 10000;

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("RAND_bytes failed");
    return out;
}

// 16 random bytes as unpadded URL-safe base64: 22 characters, like PlanetScale's SessionUUID.
std::string new_uuid() {
    std::string s = psdb::base64_encode(random_bytes(16));
    while (!s.empty() && s.back() == '=') s.pop_back();
    for (char& c : s) c = c == '+' ? '-' : c == '/' ? '_' : c;
    return s;
}

const json* member(const json& obj, const char* camel, const char* proto) {
    for (const char* k : {camel, proto}) {
        auto it = obj.find(k);
        if (it != obj.end() && !it->is_null()) return &*it;
    }
    return nullptr;
}

}  // namespace

Lease::~Lease() {
    if (table_) table_->release(session_, drop_);
}

SessionTable::SessionTable(const Config& config) : config_(config) {
    if (RAND_bytes(key_, sizeof key_) != 1) throw std::runtime_error("RAND_bytes failed");
    reaper_ = std::thread([this] { reap_loop(); });
}

SessionTable::~SessionTable() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    reaper_.join();
    OPENSSL_cleanse(key_, sizeof key_);
}

std::string SessionTable::signature(const std::string& uuid) const {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), key_, sizeof key_, reinterpret_cast<const unsigned char*>(uuid.data()), uuid.size(), mac,
              &len))
        throw std::runtime_error("HMAC-SHA256 failed");
    return std::string(reinterpret_cast<char*>(mac), len);
}

json SessionTable::to_wire(const Session& s) const {
    json vs = json::object();
    if (s.in_transaction) vs["inTransaction"] = true;
    vs["autocommit"] = true;
    if (!s.database.empty()) vs["targetString"] = s.database;
    vs["options"] = {{"includedFields", "ALL"}, {"clientFoundRows", true}};
    if (s.last_insert_id) vs["lastInsertId"] = std::to_string(s.last_insert_id);
    if (s.found_rows) vs["foundRows"] = std::to_string(s.found_rows);
    if (s.row_count) vs["rowCount"] = std::to_string(s.row_count);
    vs["DDLStrategy"] = "direct";
    vs["SessionUUID"] = s.uuid;
    vs["enableSystemSettings"] = true;
    return {{"signature", psdb::base64_encode(signature(s.uuid))}, {"vitessSession", std::move(vs)}};
}

std::variant<std::string, SessionRefusal> SessionTable::verified_uuid(const json& wire) const {
    const SessionRefusal malformed{"invalid_argument",
                                   "invalid session: expected the session object of an earlier response"};
    if (!wire.is_object()) return malformed;
    const json* vs = member(wire, "vitessSession", "vitess_session");
    const json* sig = member(wire, "signature", "signature");
    if (!vs || !vs->is_object() || !sig || !sig->is_string()) return malformed;
    const json* uuid = member(*vs, "SessionUUID", "SessionUUID");
    if (!uuid || !uuid->is_string() || uuid->get_ref<const std::string&>().empty()) return malformed;
    const std::string id = uuid->get<std::string>();
    const auto given = psdb::base64_decode(sig->get_ref<const std::string&>());
    const std::string expected = signature(id);
    if (!given || given->size() != expected.size() ||
        CRYPTO_memcmp(given->data(), expected.data(), expected.size()) != 0)
        return SessionRefusal{"permission_denied", "invalid session signature"};
    return id;
}

Lease SessionTable::create(const std::string& branch, const std::string& database) {
    {
        std::lock_guard lock(mutex_);
        if (sessions_.size() + connecting_ >= static_cast<std::size_t>(config_.max_sessions))
            throw SessionCapReached{config_.max_sessions};
        ++connecting_;
    }
    struct Reservation {  // given back if connecting fails; on success, when the session is added (same lock)
        SessionTable* table;
        bool held = true;
        ~Reservation() {
            if (!held) return;
            std::lock_guard lock(table->mutex_);
            --table->connecting_;
        }
    } reservation{this};
    auto s = std::make_shared<Session>();
    s->branch = branch;
    s->database = database;
    s->backend = Backend::connect(config_, database);  // outside the lock: may take a while
    s->busy = true;
    std::lock_guard lock(mutex_);
    --connecting_;
    reservation.held = false;
    do s->uuid = new_uuid();
    while (sessions_.count(s->uuid));
    s->last_used = Clock::now();
    sessions_.emplace(s->uuid, s);
    return Lease(this, s);
}

std::variant<Lease, SessionRefusal> SessionTable::acquire(const json& wire) {
    auto v = verified_uuid(wire);
    if (auto* r = std::get_if<SessionRefusal>(&v)) return *r;
    const std::string& uuid = std::get<std::string>(v);
    std::unique_ptr<Backend> expired;  // closed after the lock is released
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(uuid);
    if (it != sessions_.end() && !it->second->busy && config_.idle_timeout_seconds > 0 &&
        Clock::now() - it->second->last_used >= std::chrono::seconds(config_.idle_timeout_seconds)) {
        // Idle for too long and the reaper has not got to it yet: the same answer as if it had.
        expired = std::move(it->second->backend);
        sessions_.erase(it);
        remember_end(uuid, "expired");
        it = sessions_.end();
    }
    if (it == sessions_.end()) {
        auto e = ended_.find(uuid);
        return SessionRefusal{"not_found",
                              "session " + (e != ended_.end() ? e->second : std::string("expired")) + ": " + uuid};
    }
    if (it->second->busy) return SessionRefusal{"permission_denied", "session already in use: " + uuid};
    it->second->busy = true;
    return Lease(this, it->second);
}

std::optional<SessionRefusal> SessionTable::close(const json& wire) {
    auto v = verified_uuid(wire);
    if (auto* r = std::get_if<SessionRefusal>(&v)) return *r;
    const std::string& uuid = std::get<std::string>(v);
    std::shared_ptr<Session> s;
    {
        std::lock_guard lock(mutex_);
        auto it = sessions_.find(uuid);
        if (it == sessions_.end()) return std::nullopt;  // already ended: nothing to do
        if (it->second->busy) return SessionRefusal{"permission_denied", "session already in use: " + uuid};
        s = it->second;
        sessions_.erase(it);
        remember_end(uuid, "closed");
    }
    s->backend.reset();  // closes the connection: an open transaction rolls back, locks are released
    return std::nullopt;
}

void SessionTable::release(const std::shared_ptr<Session>& s, const std::string& drop_reason) {
    std::unique_ptr<Backend> closing;
    std::lock_guard lock(mutex_);
    s->busy = false;
    s->last_used = Clock::now();
    if (!drop_reason.empty()) {
        closing = std::move(s->backend);
        sessions_.erase(s->uuid);
        remember_end(s->uuid, drop_reason);
    }
}

void SessionTable::remember_end(const std::string& uuid, const std::string& reason) {
    if (ended_.emplace(uuid, reason).second) ended_order_.push_back(uuid);
    while (ended_order_.size() > ended_remembered) {
        ended_.erase(ended_order_.front());
        ended_order_.pop_front();
    }
}

void SessionTable::end_branch(const std::string& branch) {
    std::vector<std::unique_ptr<Backend>> closing;  // closed after the lock is released
    std::lock_guard lock(mutex_);
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (it->second->branch != branch) {
            ++it;
            continue;
        }
        if (!it->second->busy) closing.push_back(std::move(it->second->backend));
        remember_end(it->first, "ended (branch " + branch + " deleted)");
        it = sessions_.erase(it);
    }
}

std::size_t SessionTable::size() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

void SessionTable::reap_loop() {
    if (config_.idle_timeout_seconds <= 0) return;
    const auto idle = std::chrono::seconds(config_.idle_timeout_seconds);
    // Check often enough that a session is closed within a quarter of the timeout after it expires.
    const auto period = std::clamp<Clock::duration>(idle / 4, std::chrono::milliseconds(50), std::chrono::seconds(5));
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, period, [this] { return stopping_; });
        if (stopping_) break;
        std::vector<std::unique_ptr<Backend>> closing;
        const auto now = Clock::now();
        for (auto it = sessions_.begin(); it != sessions_.end();) {
            if (!it->second->busy && now - it->second->last_used >= idle) {
                closing.push_back(std::move(it->second->backend));
                remember_end(it->first, "expired");
                it = sessions_.erase(it);
            } else {
                ++it;
            }
        }
        lock.unlock();
        closing.clear();  // mysql_close outside the lock
        lock.lock();
    }
    // Shutting down: close what is idle; leased sessions close when their request finishes.
    std::vector<std::unique_ptr<Backend>> closing;
    for (auto& [uuid, s] : sessions_)
        if (!s->busy) closing.push_back(std::move(s->backend));
    sessions_.clear();
    lock.unlock();
}

}  // namespace gateway
