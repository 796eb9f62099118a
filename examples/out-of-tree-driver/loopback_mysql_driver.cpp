// An out-of-tree libmigrate driver: the scheme loopback-mysql:// over libmysqlclient, plaintext only (its name
// says where it is meant to connect). It uses nothing of libmigrate but migrate/driver.h, as any third-party
// driver can; docs/drivers.md walks through it.
//
// What the core relies on, and how this driver keeps to it:
//  - one statement per call: no CLIENT_MULTI_STATEMENTS, so "select 1; select 2" is the server's error 1064;
//  - rows as bytes with lengths, NULL as a NULL pointer;
//  - errors with errno and SQLSTATE; a lost connection as MIGRATE_DRIVER_ERR_IO with completion_unknown, and
//    no automatic reconnect (a new session would have lost the migration lock);
//  - unknown options refused naming the key only; the password never in a message;
//  - the error struct written only when the core's is at least as large as ours;
//  - no C++ exception crosses the C functions.
#include <migrate/driver.h>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <vector>

struct migrate_driver_conn {
    MYSQL* mysql = nullptr;
    bool broken = false;  // after a lost connection: never send on it again
};

namespace {

int report(migrate_driver_error* err, int status, const std::string& message, unsigned server_errno = 0,
           const char* sqlstate = "", bool completion_unknown = false) {
    if (err == nullptr || err->struct_size < sizeof(migrate_driver_error)) return status;
    err->server_errno = server_errno;
    std::strncpy(err->sqlstate, sqlstate, sizeof err->sqlstate - 1);
    err->sqlstate[sizeof err->sqlstate - 1] = '\0';
    err->completion_unknown = completion_unknown ? 1 : 0;
    // Cut at the buffer; a real driver would also keep a UTF-8 sequence whole.
    std::strncpy(err->message, message.c_str(), sizeof err->message - 1);
    err->message[sizeof err->message - 1] = '\0';
    return status;
}

// Client errors (CR_*) and the server's "killed"/"shutdown" mean the connection is gone: the statement may or
// may not have run. Anything else is the server refusing it.
int report_mysql(migrate_driver_conn* conn, migrate_driver_error* err) {
    MYSQL* m = conn->mysql;
    const unsigned code = mysql_errno(m);
    const bool lost =
        (code >= CR_MIN_ERROR && code <= CR_MAX_ERROR) || code == ER_CONNECTION_KILLED || code == ER_SERVER_SHUTDOWN;
    if (lost) conn->broken = true;
    return report(err, lost ? MIGRATE_DRIVER_ERR_IO : MIGRATE_DRIVER_ERR_SERVER, mysql_error(m), code,
                  mysql_sqlstate(m), lost);
}

struct Options {
    std::string host = "127.0.0.1", socket, user, password, database;
    unsigned port = 3306, connect_timeout = 10, read_timeout = 0, write_timeout = 0;
};

bool parse_unsigned(const char* text, unsigned& out) {
    if (text == nullptr || *text == '\0') return false;
    char* end = nullptr;
    const unsigned long v = std::strtoul(text, &end, 10);
    if (*end != '\0' || v > 2147483ul) return false;
    out = static_cast<unsigned>(v);
    return true;
}

// The keys of driver.h. TLS: this driver speaks plaintext only, so it accepts ssl-mode=DISABLED and refuses
// the rest rather than pretend (the core's TLS default for loopback hosts and sockets is DISABLED).
int parse_options(const migrate_driver_option* options, size_t count, Options& o, migrate_driver_error* err) {
    for (size_t i = 0; i < count; ++i) {
        const std::string key = options[i].key ? options[i].key : "";
        const char* value = options[i].value ? options[i].value : "";
        if (key == "host")
            o.host = value;
        else if (key == "socket")
            o.socket = value;
        else if (key == "user")
            o.user = value;
        else if (key == "password")
            o.password = value;
        else if (key == "database")
            o.database = value;
        else if (key == "scheme")
            continue;  // always loopback-mysql: the only scheme declared
        else if (key == "ssl-mode") {
            if (std::strcmp(value, "DISABLED") != 0)
                return report(
                    err, MIGRATE_DRIVER_ERR_OPTION,
                    std::string("ssl-mode ") + value + " cannot be honoured: loopback-mysql speaks plaintext only");
        } else if (key == "ssl-ca" || key == "ssl-capath" || key == "ssl-cert" || key == "ssl-key") {
            if (*value != '\0')
                return report(err, MIGRATE_DRIVER_ERR_OPTION, "option '" + key + "': loopback-mysql has no TLS");
        } else if (key == "port" || key == "connect-timeout" || key == "read-timeout" || key == "write-timeout") {
            unsigned v = 0;
            if (!parse_unsigned(value, v) || (key == "port" && (v == 0 || v > 65535)))
                return report(err, MIGRATE_DRIVER_ERR_OPTION,
                              "invalid value for option '" + key + "': '" + value + "'");
            if (key == "port")
                o.port = v;
            else if (key == "connect-timeout")
                o.connect_timeout = v;
            else if (key == "read-timeout")
                o.read_timeout = v;
            else
                o.write_timeout = v;
        } else {
            // The key only: a misspelt "pasword" would carry a secret as its value.
            return report(err, MIGRATE_DRIVER_ERR_OPTION, "unknown option '" + key + "'");
        }
    }
    if (o.user.empty()) return report(err, MIGRATE_DRIVER_ERR_OPTION, "missing required option 'user'");
    return MIGRATE_DRIVER_OK;
}

int open_impl(const migrate_driver_option* options, size_t count, migrate_driver_conn** out,
              migrate_driver_error* err) {
    *out = nullptr;
    static std::once_flag once;
    std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
    Options o;
    if (int rc = parse_options(options, count, o, err); rc != MIGRATE_DRIVER_OK) return rc;

    MYSQL* m = mysql_init(nullptr);
    if (m == nullptr) return report(err, MIGRATE_DRIVER_ERR_INTERNAL, "mysql_init failed");
    const unsigned protocol = o.socket.empty() ? MYSQL_PROTOCOL_TCP : MYSQL_PROTOCOL_SOCKET;
    const my_bool off = 0;
    mysql_options(m, MYSQL_OPT_PROTOCOL, &protocol);
    mysql_options(m, MYSQL_OPT_RECONNECT, &off);
    mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &off);
    mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    if (o.connect_timeout) mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &o.connect_timeout);
    if (o.read_timeout) mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &o.read_timeout);
    if (o.write_timeout) mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &o.write_timeout);
    // client_flag 0: no CLIENT_MULTI_STATEMENTS. The password is "" rather than NULL ($MYSQL_PWD otherwise).
    if (mysql_real_connect(m, o.socket.empty() ? o.host.c_str() : "localhost", o.user.c_str(), o.password.c_str(),
                           o.database.empty() ? nullptr : o.database.c_str(), o.socket.empty() ? o.port : 0,
                           o.socket.empty() ? nullptr : o.socket.c_str(), 0) == nullptr) {
        // Connector/C's messages name the user and host, never the password.
        int rc = report(err, MIGRATE_DRIVER_ERR_CONNECT, mysql_error(m), mysql_errno(m), mysql_sqlstate(m));
        mysql_close(m);
        return rc;
    }
    *out = new migrate_driver_conn{m, false};
    return MIGRATE_DRIVER_OK;
}

// Hands the current result's rows to the sink until it asks to stop; the rest is read and dropped.
int read_rows(migrate_driver_conn* conn, const migrate_driver_row_sink* sink, migrate_driver_error* err) {
    MYSQL_RES* res = mysql_store_result(conn->mysql);
    if (res == nullptr) return report_mysql(conn, err);
    const unsigned n = mysql_num_fields(res);
    std::vector<const char*> values(n);
    std::vector<size_t> lengths(n);
    if (sink && sink->columns) {
        MYSQL_FIELD* fields = mysql_fetch_fields(res);
        for (unsigned i = 0; i < n; ++i) values[i] = fields[i].name;
        sink->columns(sink->user, n, values.data());
    }
    bool wanted = sink && sink->row;
    while (MYSQL_ROW row = mysql_fetch_row(res)) {
        if (!wanted) break;
        const unsigned long* lens = mysql_fetch_lengths(res);
        for (unsigned i = 0; i < n; ++i) {
            values[i] = row[i];
            lengths[i] = lens[i];
        }
        wanted = sink->row(sink->user, n, values.data(), lengths.data()) == 0;
    }
    mysql_free_result(res);
    return MIGRATE_DRIVER_OK;
}

int execute_impl(migrate_driver_conn* conn, const char* sql, size_t length, const migrate_driver_row_sink* sink,
                 migrate_driver_result* result, migrate_driver_error* err) {
    if (conn->broken)
        return report(err, MIGRATE_DRIVER_ERR_IO, "the connection was lost earlier; the statement was not sent",
                      CR_SERVER_GONE_ERROR, "HY000", false);
    MYSQL* m = conn->mysql;
    if (mysql_real_query(m, sql, static_cast<unsigned long>(length)) != 0) return report_mysql(conn, err);
    migrate_driver_result r{};
    if (mysql_field_count(m) > 0) {
        if (int rc = read_rows(conn, sink, err); rc != MIGRATE_DRIVER_OK) return rc;
    } else {
        r.affected_rows = mysql_affected_rows(m);
    }
    r.insert_id = mysql_insert_id(m);
    r.warnings = mysql_warning_count(m);
    // A CALL's further results; without CLIENT_MULTI_STATEMENTS there are no others.
    while (mysql_more_results(m)) {
        const int next = mysql_next_result(m);
        if (next > 0) return report_mysql(conn, err);
        if (next < 0) break;
        if (mysql_field_count(m) > 0)
            if (int rc = read_rows(conn, nullptr, err); rc != MIGRATE_DRIVER_OK) return rc;
    }
    if (result) *result = r;
    return MIGRATE_DRIVER_OK;
}

int drv_open(const migrate_driver_option* options, size_t count, migrate_driver_conn** out, migrate_driver_error* err) {
    if (out == nullptr) return report(err, MIGRATE_DRIVER_ERR_INTERNAL, "open: out is NULL");
    try {
        return open_impl(options, count, out, err);
    } catch (const std::exception& e) {
        return report(err, MIGRATE_DRIVER_ERR_INTERNAL, e.what());
    } catch (...) {
        return report(err, MIGRATE_DRIVER_ERR_INTERNAL, "unknown exception");
    }
}

int drv_execute(migrate_driver_conn* conn, const char* sql, size_t length, const migrate_driver_row_sink* sink,
                migrate_driver_result* result, migrate_driver_error* err) {
    if (conn == nullptr || (sql == nullptr && length != 0))
        return report(err, MIGRATE_DRIVER_ERR_INTERNAL, "execute: NULL connection or statement");
    try {
        return execute_impl(conn, sql ? sql : "", length, sink, result, err);
    } catch (const std::exception& e) {
        // Out of memory mid-result: the protocol state is unknown, so is the statement's outcome.
        conn->broken = true;
        return report(err, MIGRATE_DRIVER_ERR_INTERNAL, e.what(), 0, "", true);
    } catch (...) {
        conn->broken = true;
        return report(err, MIGRATE_DRIVER_ERR_INTERNAL, "unknown exception", 0, "", true);
    }
}

const char* drv_server_version(migrate_driver_conn* conn) { return conn ? mysql_get_server_info(conn->mysql) : ""; }

void drv_close(migrate_driver_conn* conn) {
    if (conn == nullptr) return;
    mysql_close(conn->mysql);
    delete conn;
}

const char* const schemes[] = {"loopback-mysql", nullptr};

const migrate_driver_v1 driver_table = {
    MIGRATE_DRIVER_ABI_VERSION,
    sizeof(migrate_driver_v1),
    "loopback-mysql",
    "0.1.0",
    "tcp",
    schemes,
    &drv_open,
    &drv_execute,
    &drv_server_version,
    &drv_close,
};

}  // namespace

extern "C" MIGRATE_DRIVER_EXPORT const migrate_driver_v1* migrate_driver_entry(void) { return &driver_table; }
