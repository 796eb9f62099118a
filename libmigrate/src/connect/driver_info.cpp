// available_drivers(): load each driver plugin the search path holds and report what it says about itself.
#include "connection.hpp"

#include <migrate/version.hpp>

#include <set>

namespace migrate {

std::vector<DriverInfo> available_drivers() {
    std::vector<DriverInfo> out;
    auto describe = [&](const std::string& name, auto&& load) {
        DriverInfo info;
        info.name = name;
        try {
            auto d = load();
            info.version = d->api->version ? d->api->version : "";
            info.file = d->file.string();
            for (auto s = d->api->schemes; s && *s; ++s)
                info.schemes += (info.schemes.empty() ? "" : ",") + std::string(*s);
        } catch (const plugins::DriverLoadError& e) {
            info.error = e.what();
        }
        out.push_back(std::move(info));
    };
    // The built-in drivers first, reported even when missing (a broken installation), then every other
    // driver file the search path holds (those serve schemes libmigrate does not know).
    const std::set<std::string, std::less<>> builtin{"mysql2-like", "http-planetscale"};
    for (const auto& name : {"mysql2-like", "http-planetscale"})
        describe(name, [&] { return plugins::load_driver(name); });
    for (const auto& entry : plugins::driver_files())
        if (!builtin.contains(entry.second))
            describe(entry.second, [&] { return plugins::load_driver_file(entry.first, entry.second); });
    return out;
}

}  // namespace migrate
