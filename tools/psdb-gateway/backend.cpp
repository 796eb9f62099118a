#include "backend.hpp"

#include <errmsg.h>
#include <mysql.h>

#include <atomic>
#include <memory>

namespace gateway {

namespace {

MYSQL* handle(void* p) { return static_cast<MYSQL*>(p); }

// One count for the process: every connection goes to the one configured server. A slot is taken before
// connecting and given back after mysql_close, so the server never sees more than the cap from us.
std::atomic<int> open_connections{0};

bool take_connection_slot(int cap) {
    int open = open_connections.load();
    do {
        if (open >= cap) return false;
    } while (!open_connections.compare_exchange_weak(open, open + 1));
    return true;
}

SqlError error_of(MYSQL* m) { return {mysql_errno(m), mysql_sqlstate(m), mysql_error(m)}; }

struct ResultFreer {
    void operator()(MYSQL_RES* r) const noexcept { mysql_free_result(r); }  // drains unread rows too
};
using ResultPtr = std::unique_ptr<MYSQL_RES, ResultFreer>;

// MariaDB has no JSON column type: JSON is LONGTEXT with a json_valid() check, and the server marks it
// "json" in the extended metadata (MariaDB >= 10.5 with Connector/C >= 3.1). Reported as JSON, the
// type vtgate gives a MySQL JSON column, so clients decode it as they would on PlanetScale.
bool is_mariadb_json(const MYSQL_FIELD& f) {
#if defined(MARIADB_PACKAGE_VERSION_ID)
    MARIADB_CONST_STRING format{};
    if (mariadb_field_attr(&format, &f, MARIADB_FIELD_ATTR_FORMAT_NAME) == 0 && format.str)
        return std::string_view(format.str, format.length) == "json";
#else
    (void)f;
#endif
    return false;
}

psdb::Field field_of(const MYSQL_FIELD& f) {
    constexpr int mysql_type_json = 245;
    psdb::Field out;
    out.name.assign(f.name, f.name_length);
    out.type =
        psdb::vitess_type_name(is_mariadb_json(f) ? mysql_type_json : static_cast<int>(f.type), f.flags, f.charsetnr);
    out.table.assign(f.table, f.table_length);
    out.org_table.assign(f.org_table, f.org_table_length);
    out.database.assign(f.db, f.db_length);
    out.org_name.assign(f.org_name, f.org_name_length);
    out.column_length = static_cast<std::uint32_t>(f.length);
    out.charset = f.charsetnr;
    out.decimals = f.decimals;
    out.flags = f.flags;
    return out;
}

}  // namespace

bool is_connection_lost(std::uint32_t mysql_errno) {
    // Every client-side error (2000-2999: server gone or lost, out of sync, …) leaves the connection
    // unusable, and so do the errors a server sends just before it closes the connection.
    if (mysql_errno >= CR_MIN_ERROR && mysql_errno <= 2999) return true;
    switch (mysql_errno) {
        case 1053:  // ER_SERVER_SHUTDOWN
        case 1927:  // ER_CONNECTION_KILLED (MariaDB: KILL of this connection)
        case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8: wait_timeout)
            return true;
        default: return false;
    }
}

std::unique_ptr<Backend> Backend::connect(const Config& config) { return connect(config, config.mysql_database); }

std::unique_ptr<Backend> Backend::connect(const Config& config, const std::string& database_name) {
    if (!take_connection_slot(config.max_backend_connections)) throw BackendCapReached{config.max_backend_connections};
    MYSQL* m = mysql_init(nullptr);
    if (!m) {
        --open_connections;
        throw BackendConnectError{{CR_OUT_OF_MEMORY, "HY000", "mysql_init failed"}};
    }
    std::unique_ptr<Backend> b(new Backend(m));  // from here ~Backend gives the slot back

    const bool socket = !config.mysql_socket.empty();
    const unsigned protocol = socket ? MYSQL_PROTOCOL_SOCKET : MYSQL_PROTOCOL_TCP;
    mysql_options(m, MYSQL_OPT_PROTOCOL, &protocol);
    const unsigned connect_timeout = 10;
    mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
    mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    const my_bool reconnect = 0;  // a lost connection must end the session, never be silently replaced
    mysql_options(m, MYSQL_OPT_RECONNECT, &reconnect);
    const unsigned local_infile = 0;
    mysql_options(m, MYSQL_OPT_LOCAL_INFILE, &local_infile);

    const std::string user = config.backend_user(), password = config.backend_password();
    const char* host = socket ? "localhost" : config.mysql_host.c_str();
    const char* database = database_name.empty() ? nullptr : database_name.c_str();
    // CLIENT_FOUND_ROWS: the session advertises clientFoundRows (UPDATE counts matched rows, as on
    // PlanetScale). No CLIENT_MULTI_STATEMENTS: one statement per Execute.
    if (!mysql_real_connect(m, host, user.c_str(), password.c_str(), database, socket ? 0 : config.mysql_port,
                            socket ? config.mysql_socket.c_str() : nullptr, CLIENT_FOUND_ROWS))
        throw BackendConnectError{error_of(m)};
    return b;
}

Backend::~Backend() {
    mysql_close(handle(mysql_));
    --open_connections;
}

Outcome Backend::execute(std::string_view sql, std::size_t max_rows) {
    MYSQL* m = handle(mysql_);
    Outcome out;
    auto fail = [&](SqlError e) {
        out.result.reset();
        out.connection_lost = is_connection_lost(e.mysql_errno);
        out.error = std::move(e);
        out.in_transaction = (m->server_status & SERVER_STATUS_IN_TRANS) != 0 && !out.connection_lost;
        return out;
    };

    if (mysql_real_query(m, sql.data(), static_cast<unsigned long>(sql.size())) != 0) return fail(error_of(m));

    psdb::QueryResult r;
    bool too_many_rows = false;
    if (mysql_field_count(m) > 0) {
        ResultPtr res(mysql_use_result(m));
        if (!res) return fail(error_of(m));
        const unsigned n = mysql_num_fields(res.get());
        const MYSQL_FIELD* fields = mysql_fetch_fields(res.get());
        try {
            for (unsigned i = 0; i < n; ++i) r.fields.push_back(field_of(fields[i]));
        } catch (const std::invalid_argument& e) {
            res.reset();
            return fail({1105, "HY000", e.what()});
        }
        while (MYSQL_ROW row = mysql_fetch_row(res.get())) {
            if (r.rows.size() == max_rows) {
                too_many_rows = true;
                break;
            }
            const unsigned long* lengths = mysql_fetch_lengths(res.get());
            psdb::Row cells;
            cells.reserve(n);
            for (unsigned i = 0; i < n; ++i)
                cells.push_back(row[i] ? psdb::Cell(std::string(row[i], lengths[i])) : psdb::Cell());
            r.rows.push_back(std::move(cells));
        }
        res.reset();  // with too_many_rows: reads and discards the rest
        if (mysql_errno(m) != 0) return fail(error_of(m));
    } else {
        r.rows_affected = mysql_affected_rows(m);
        r.insert_id = mysql_insert_id(m);
    }

    // Only CALL produces more results here (no CLIENT_MULTI_STATEMENTS): the first result set is the
    // answer, the rest is drained; an error in any of them fails the statement.
    while (mysql_more_results(m)) {
        const int next = mysql_next_result(m);
        if (next > 0) return fail(error_of(m));
        if (next < 0) break;
        if (mysql_field_count(m) > 0) ResultPtr drained(mysql_use_result(m));
    }

    if (too_many_rows) {
        // vitess's message (go/mysql/query.go): no errno in it, so clients map it to 1105/HY000.
        out.error = SqlError{0, "", "Row count exceeded " + std::to_string(max_rows)};
        out.in_transaction = (m->server_status & SERVER_STATUS_IN_TRANS) != 0;
        return out;
    }
    out.result = std::move(r);
    out.in_transaction = (m->server_status & SERVER_STATUS_IN_TRANS) != 0;
    return out;
}

}  // namespace gateway
