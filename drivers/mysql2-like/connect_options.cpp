#include "connect_options.hpp"

#include <string_view>
#include <utility>

namespace migrate::drivers::mysql2_like {

namespace kit = migrate::driver_kit;

bool parse_connect_options(const migrate_driver_option* options, std::size_t option_count, ConnectConfig& out,
                           std::string& error) {
    out = ConnectConfig{};
    std::optional<std::string> socket;
    kit::CommonOptions common;
    const bool ok = kit::parse_options(options, option_count, common, error,
                                       [&](std::string_view key, const char* value, std::string&) {
                                           if (key != "socket") return kit::OptionResult::unknown;
                                           socket = kit::non_empty(value);
                                           return kit::OptionResult::accepted;
                                       });
    if (!ok) return false;

    if (!common.user) {
        error = "missing required option 'user'";
        return false;
    }
    if (!common.host && !socket) {
        error = "either option 'host' or option 'socket' is required";
        return false;
    }
    out.host = std::move(common.host);
    out.port = common.port.value_or(3306u);
    out.socket = std::move(socket);
    out.user = std::move(*common.user);
    out.password = std::move(common.password);
    out.database = std::move(common.database);
    out.ssl_mode = common.ssl_mode.value_or(SslMode::verify_identity);
    out.ssl_ca = std::move(common.ssl_ca);
    out.ssl_capath = std::move(common.ssl_capath);
    out.ssl_cert = std::move(common.ssl_cert);
    out.ssl_key = std::move(common.ssl_key);
    out.connect_timeout = common.connect_timeout;
    out.read_timeout = common.read_timeout;
    out.write_timeout = common.write_timeout;
    return true;
}

}  // namespace migrate::drivers::mysql2_like
