// Target ties the stages together: source → connect → tracking → plan → run.
#include "connect/connection.hpp"
#include "run/apply.hpp"
#include "tracking/tracking_table.hpp"

#include <migrate/error.hpp>
#include <migrate/target.hpp>

#include <fmt/format.h>

namespace migrate {

struct Target::Impl {
    TargetOptions options;
    Source source;
    ConnectionUrl url;
    tracking::TrackingTable table;
};

Target::Target(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Target::Target(Target&&) noexcept = default;
Target& Target::operator=(Target&&) noexcept = default;
Target::~Target() = default;

Target Target::open(TargetOptions options) {
    // Everything that can be checked without a server is checked here, so a bad folder, URL or
    // table name never leaves anything behind in a database.
    tracking::TrackingTable table(options.table);
    ConnectionUrl url = parse_connection_url(options.url);
    if (url.database.empty())
        throw error(errc::url_invalid,
                    fmt::format("connection URL {} names no database: add it as the path, "
                                "mysql://user:password@host:port/DATABASE",
                                url.redacted()));
    Source source = read_drizzle_folder(options.migrations_dir);
    return Target(std::make_unique<Impl>(Impl{std::move(options), std::move(source), std::move(url), std::move(table)}));
}

const Source& Target::source() const { return impl_->source; }
const ConnectionUrl& Target::url() const { return impl_->url; }

Status Target::status() {
    auto conn = connect::Connection::open(impl_->url);
    auto shape = impl_->table.inspect(*conn);
    Status s;
    s.url = impl_->url.redacted();
    s.transport = impl_->url.transport;
    s.driver = fmt::format("{} {}", conn->driver().api->name, conn->driver().api->version ? conn->driver().api->version : "");
    s.server_version = conn->server_version();
    s.table = impl_->table.name();
    s.plan = make_plan(impl_->source, impl_->table.read(*conn, shape), shape.exists);
    return s;
}

UpReport Target::up(const EventCallback& on_event) {
    auto conn = connect::Connection::open(impl_->url);
    conn->execute(impl_->table.create_statement());
    auto shape = impl_->table.inspect(*conn);
    auto plan = make_plan(impl_->source, impl_->table.read(*conn, shape), shape.exists);
    return run::apply_pending(*conn, impl_->table, shape, std::move(plan), on_event);
}

}  // namespace migrate
