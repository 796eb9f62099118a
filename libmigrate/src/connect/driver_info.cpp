// available_drivers(): load each known driver plugin and report what it says about itself.
#include "connection.hpp"

#include <migrate/version.hpp>

namespace migrate {

std::vector<DriverInfo> available_drivers() {
    std::vector<DriverInfo> out;
    for (Transport t : {Transport::tcp, Transport::http}) {
        DriverInfo info;
        info.name = std::string(connect::driver_for(t));
        try {
            auto d = plugins::load_driver(info.name);
            info.version = d->api->version ? d->api->version : "";
            info.file = d->file.string();
            for (auto s = d->api->schemes; s && *s; ++s)
                info.schemes += (info.schemes.empty() ? "" : ",") + std::string(*s);
        } catch (const plugins::DriverLoadError& e) {
            info.error = e.what();
        }
        out.push_back(std::move(info));
    }
    return out;
}

}  // namespace migrate
