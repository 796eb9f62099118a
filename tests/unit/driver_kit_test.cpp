// The driver kit (plugins/driver_kit): the option keys every driver shares (values, limits, defaults,
// messages), the hook for a driver's own keys, and UTF-8-safe error reporting into migrate_driver_error.
#include <migrate/driver_kit.hpp>

#include <catch2/catch.hpp>

#include <cstring>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace kit = migrate::driver_kit;
using kit::CommonOptions;
using kit::OptionResult;
using kit::SslMode;

namespace {

struct Opt {
    const char* key;
    const char* value;
};

std::vector<migrate_driver_option> list(std::initializer_list<Opt> opts) {
    std::vector<migrate_driver_option> v;
    for (const Opt& o : opts) v.push_back({o.key, o.value});
    return v;
}

CommonOptions parsed(std::initializer_list<Opt> opts) {
    const auto v = list(opts);
    CommonOptions out;
    std::string error;
    const bool ok = kit::parse_options(v.data(), v.size(), out, error);
    INFO(error);
    REQUIRE(ok);
    return out;
}

std::string parse_error(std::initializer_list<Opt> opts, const kit::DriverOptionHandler& handler = {}) {
    const auto v = list(opts);
    CommonOptions out;
    std::string error;
    CHECK_FALSE(kit::parse_options(v.data(), v.size(), out, error, handler));
    return error;
}

const char* const timeout_expected = "(expected a whole number of seconds from 0 to 2147483; 0 = none)";

}  // namespace

TEST_CASE("driver kit: defaults when no option is given") {
    const CommonOptions o = parsed({});
    CHECK_FALSE(o.host);
    CHECK_FALSE(o.port);
    CHECK_FALSE(o.user);
    CHECK_FALSE(o.password);
    CHECK_FALSE(o.database);
    CHECK_FALSE(o.ssl_mode);
    CHECK_FALSE(o.ssl_ca);
    CHECK_FALSE(o.ssl_capath);
    CHECK_FALSE(o.ssl_cert);
    CHECK_FALSE(o.ssl_key);
    CHECK(o.connect_timeout == 10);
    CHECK(o.read_timeout == 0);
    CHECK(o.write_timeout == 0);

    CommonOptions out;
    std::string error;
    CHECK(kit::parse_options(nullptr, 0, out, error));
}

TEST_CASE("driver kit: every common key") {
    const CommonOptions o = parsed({{"host", "db.example"},
                                    {"port", "3307"},
                                    {"user", "app"},
                                    {"password", "s3cret"},
                                    {"database", "oi_global"},
                                    {"ssl-mode", "verify_ca"},
                                    {"ssl-ca", "/ca.pem"},
                                    {"ssl-capath", "/certs"},
                                    {"ssl-cert", "/client.pem"},
                                    {"ssl-key", "/client.key"},
                                    {"connect-timeout", "0"},
                                    {"read-timeout", "60"},
                                    {"write-timeout", "2147483"}});
    CHECK(o.host == "db.example");
    CHECK(o.port == 3307u);
    CHECK(o.user == "app");
    CHECK(o.password == "s3cret");
    CHECK(o.database == "oi_global");
    CHECK(o.ssl_mode == SslMode::verify_ca);
    CHECK(o.ssl_ca == "/ca.pem");
    CHECK(o.ssl_capath == "/certs");
    CHECK(o.ssl_cert == "/client.pem");
    CHECK(o.ssl_key == "/client.key");
    CHECK(o.connect_timeout == 0);
    CHECK(o.read_timeout == 60);
    CHECK(o.write_timeout == 2147483);
}

TEST_CASE("driver kit: ssl-mode values, case-insensitive") {
    CHECK(parsed({{"ssl-mode", "DISABLED"}}).ssl_mode == SslMode::disabled);
    CHECK(parsed({{"ssl-mode", "required"}}).ssl_mode == SslMode::required);
    CHECK(parsed({{"ssl-mode", "Verify_Ca"}}).ssl_mode == SslMode::verify_ca);
    CHECK(parsed({{"ssl-mode", "VERIFY_IDENTITY"}}).ssl_mode == SslMode::verify_identity);
    CHECK(std::string(kit::ssl_mode_name(SslMode::disabled)) == "DISABLED");
    CHECK(std::string(kit::ssl_mode_name(SslMode::required)) == "REQUIRED");
    CHECK(std::string(kit::ssl_mode_name(SslMode::verify_ca)) == "VERIFY_CA");
    CHECK(std::string(kit::ssl_mode_name(SslMode::verify_identity)) == "VERIFY_IDENTITY");
}

TEST_CASE("driver kit: NULL means not given, empty text is not given except for the password, last wins") {
    const CommonOptions o = parsed({{"host", "a"},
                                    {"host", nullptr},
                                    {"user", "u"},
                                    {"user", ""},
                                    {"database", ""},
                                    {"ssl-ca", ""},
                                    {"ssl-capath", ""},
                                    {"ssl-cert", ""},
                                    {"ssl-key", ""},
                                    {"password", ""},
                                    {"port", "1"},
                                    {"port", nullptr},
                                    {"ssl-mode", "DISABLED"},
                                    {"ssl-mode", nullptr},
                                    {"connect-timeout", "5"},
                                    {"connect-timeout", nullptr},
                                    {"read-timeout", "7"},
                                    {"read-timeout", nullptr},
                                    {"write-timeout", "8"},
                                    {"write-timeout", nullptr}});
    CHECK_FALSE(o.host);
    CHECK_FALSE(o.user);
    CHECK_FALSE(o.database);
    CHECK_FALSE(o.ssl_ca);
    CHECK_FALSE(o.ssl_capath);
    CHECK_FALSE(o.ssl_cert);
    CHECK_FALSE(o.ssl_key);
    CHECK(o.password == "");  // an empty password is a password
    CHECK_FALSE(o.port);
    CHECK_FALSE(o.ssl_mode);
    CHECK(o.connect_timeout == 10);
    CHECK(o.read_timeout == 0);
    CHECK(o.write_timeout == 0);

    CHECK_FALSE(parsed({{"password", "x"}, {"password", nullptr}}).password);
    CHECK(parsed({{"port", "1"}, {"port", "65535"}}).port == 65535u);
    CHECK(parsed({{"user", "a"}, {"user", "b"}}).user == "b");
}

TEST_CASE("driver kit: bad port values name the key and the value") {
    for (const char* bad : {"0", "65536", "", "abc", "-1", "+1", " 1", "1 ", "0x10", "12345678901", "99999999999"}) {
        INFO("port=" << bad);
        CHECK(parse_error({{"port", bad}}) ==
              std::string("invalid value for option 'port': '") + bad + "' (expected an integer from 1 to 65535)");
    }
    CHECK(parsed({{"port", "00001"}}).port == 1u);
}

TEST_CASE("driver kit: bad timeouts name the key and the value") {
    for (const char* key : {"connect-timeout", "read-timeout", "write-timeout"}) {
        for (const char* bad : {"2147484", "4294967295", "", "-1", "1.5", "10s", "12345678901"}) {
            INFO(key << "=" << bad);
            CHECK(parse_error({{key, bad}}) ==
                  std::string("invalid value for option '") + key + "': '" + bad + "' " + timeout_expected);
        }
    }
}

TEST_CASE("driver kit: a bad ssl-mode names the value and the choices") {
    CHECK(parse_error({{"ssl-mode", "PREFERRED"}}) ==
          "invalid value for option 'ssl-mode': 'PREFERRED' (expected DISABLED, REQUIRED, VERIFY_CA or "
          "VERIFY_IDENTITY)");
    CHECK(parse_error({{"ssl-mode", ""}}) ==
          "invalid value for option 'ssl-mode': '' (expected DISABLED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY)");
}

TEST_CASE("driver kit: an unknown key is named without its value") {
    const std::string e = parse_error({{"user", "u"}, {"pasword", "hunter2-secret"}});
    CHECK(e == "unknown option 'pasword'");
    CHECK(e.find("hunter2") == std::string::npos);
    CHECK(parse_error({{"socket", "/tmp/x.sock"}}) == "unknown option 'socket'");  // not a common key
    CHECK(parse_error({{"Host", "h"}}) == "unknown option 'Host'");                // keys are case-sensitive
}

TEST_CASE("driver kit: a broken option list") {
    CommonOptions out;
    std::string error;
    CHECK_FALSE(kit::parse_options(nullptr, 2, out, error));
    CHECK(error == "option list is NULL but option_count is not 0");
    CHECK(parse_error({{"user", "u"}, {nullptr, "x"}}) == "option #1 has a NULL key");
}

TEST_CASE("driver kit: a driver's own keys go through its handler, in order") {
    std::vector<std::pair<std::string, std::string>> seen;
    const kit::DriverOptionHandler handler = [&](std::string_view key, const char* value, std::string& error) {
        seen.emplace_back(std::string(key), value != nullptr ? value : "(null)");
        if (key == "socket") return OptionResult::accepted;
        if (key == "scheme") {
            if (value != nullptr && std::strcmp(value, "bad") == 0) {
                error = kit::invalid_value_message(key, value, "a URL scheme");
                return OptionResult::rejected;
            }
            return OptionResult::accepted;
        }
        return OptionResult::unknown;
    };

    const auto ok = list({{"socket", "/s"}, {"host", "h"}, {"scheme", nullptr}});
    CommonOptions out;
    std::string error;
    CHECK(kit::parse_options(ok.data(), ok.size(), out, error, handler));
    CHECK(out.host == "h");
    REQUIRE(seen.size() == 2);  // the common key never reaches the handler
    CHECK(seen[0] == std::make_pair(std::string("socket"), std::string("/s")));
    CHECK(seen[1] == std::make_pair(std::string("scheme"), std::string("(null)")));

    CHECK(parse_error({{"scheme", "bad"}, {"port", "0"}}, handler) ==
          "invalid value for option 'scheme': 'bad' (expected a URL scheme)");
    CHECK(parse_error({{"port", "0"}, {"scheme", "bad"}}, handler) ==
          "invalid value for option 'port': '0' (expected an integer from 1 to 65535)");
    CHECK(parse_error({{"sockett", "x"}}, handler) == "unknown option 'sockett'");
}

TEST_CASE("driver kit: number and text helpers") {
    unsigned long v = 42;
    CHECK(kit::parse_unsigned("0", 10, v));
    CHECK(v == 0);
    CHECK(kit::parse_unsigned("4294967295", 4294967295ul, v));
    CHECK(v == 4294967295ul);
    v = 42;
    CHECK_FALSE(kit::parse_unsigned("11", 10, v));
    CHECK_FALSE(kit::parse_unsigned("", 10, v));
    CHECK_FALSE(kit::parse_unsigned("00000000001", 10, v));  // more than 10 digits
    CHECK_FALSE(kit::parse_unsigned("1e3", 5000, v));
    CHECK(v == 42);  // untouched on failure

    CHECK(kit::iequals("Verify_Identity", "VERIFY_IDENTITY"));
    CHECK_FALSE(kit::iequals("VERIFY_CA", "VERIFY_C"));
    CHECK_FALSE(kit::iequals("\xc3\xa9", "\xc3\x89"));  // ASCII only

    CHECK_FALSE(kit::non_empty(nullptr));
    CHECK_FALSE(kit::non_empty(""));
    CHECK(kit::non_empty("x") == "x");

    CHECK(kit::invalid_value_message("k", "v", "w") == "invalid value for option 'k': 'v' (expected w)");
}

TEST_CASE("driver kit: copy_utf8_truncated never cuts a character") {
    char buf[8];
    kit::copy_utf8_truncated(buf, sizeof buf, "abc");
    CHECK(std::string(buf) == "abc");
    kit::copy_utf8_truncated(buf, sizeof buf, "1234567");  // exactly fits
    CHECK(std::string(buf) == "1234567");
    kit::copy_utf8_truncated(buf, sizeof buf, "12345678");
    CHECK(std::string(buf) == "1234567");

    // 7 bytes of room: a 2-, 3- or 4-byte character that would straddle the cut is dropped whole.
    kit::copy_utf8_truncated(buf, sizeof buf, "123456\xc3\xa9");  // "123456é"
    CHECK(std::string(buf) == "123456");
    kit::copy_utf8_truncated(buf, sizeof buf, "12345\xc3\xa9x");  // é fits exactly
    CHECK(std::string(buf) == "12345\xc3\xa9");
    kit::copy_utf8_truncated(buf, sizeof buf, "12345\xe2\x82\xac");  // "12345€"
    CHECK(std::string(buf) == "12345");
    kit::copy_utf8_truncated(buf, sizeof buf, "1234\xf0\x9f\x98\x80");  // "1234😀"
    CHECK(std::string(buf) == "1234");
    kit::copy_utf8_truncated(buf, sizeof buf, "123\xf0\x9f\x98\x80!");  // 😀 fits exactly
    CHECK(std::string(buf) == "123\xf0\x9f\x98\x80");

    char one[1] = {'x'};
    kit::copy_utf8_truncated(one, sizeof one, "abc");
    CHECK(one[0] == '\0');
    char none[1] = {'x'};
    kit::copy_utf8_truncated(none, 0, "abc");
    CHECK(none[0] == 'x');
    kit::copy_utf8_truncated(buf, sizeof buf, {});
    CHECK(buf[0] == '\0');
}

TEST_CASE("driver kit: report_error fills a struct only when it is large enough") {
    migrate_driver_error err{};
    err.struct_size = sizeof err;
    CHECK(kit::report_error(&err, MIGRATE_DRIVER_ERR_SERVER, "Table 't' doesn't exist", 1146, "42S02", false) ==
          MIGRATE_DRIVER_ERR_SERVER);
    CHECK(err.server_errno == 1146);
    CHECK(std::string(err.sqlstate) == "42S02");
    CHECK(err.completion_unknown == 0);
    CHECK(std::string(err.message) == "Table 't' doesn't exist");

    CHECK(kit::report_error(&err, MIGRATE_DRIVER_ERR_IO, "lost", 0, {}, true) == MIGRATE_DRIVER_ERR_IO);
    CHECK(err.server_errno == 0);
    CHECK(std::string(err.sqlstate).empty());
    CHECK(err.completion_unknown == 1);
    CHECK(std::string(err.message) == "lost");
    CHECK(kit::error_writable(&err));

    // A message longer than the buffer is cut before the character that does not fit.
    std::string long_message(sizeof err.message - 2, 'a');
    long_message += "\xe2\x82\xac tail";  // '€' would need bytes 1022..1024
    kit::report_error(&err, MIGRATE_DRIVER_ERR_INTERNAL, long_message);
    CHECK(std::string(err.message) == std::string(sizeof err.message - 2, 'a'));

    migrate_driver_error small{};
    small.struct_size = sizeof small - 1;
    CHECK_FALSE(kit::error_writable(&small));
    CHECK(kit::report_error(&small, MIGRATE_DRIVER_ERR_OPTION, "x", 1, "HY000", true) == MIGRATE_DRIVER_ERR_OPTION);
    CHECK(small.server_errno == 0);
    CHECK(small.message[0] == '\0');
    CHECK(small.completion_unknown == 0);

    CHECK_FALSE(kit::error_writable(nullptr));
    CHECK(kit::report_error(nullptr, MIGRATE_DRIVER_ERR_CONNECT, "x") == MIGRATE_DRIVER_ERR_CONNECT);
}
