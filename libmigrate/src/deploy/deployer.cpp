#include "deployer.hpp"

#include "carried_record.hpp"

#include "../connect/connection.hpp"
#include "../run/statement_probe.hpp"

#include <migrate/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <thread>

namespace migrate::deploy {
namespace {

using clock = std::chrono::steady_clock;

std::string first_line(std::string_view sql) {
    while (!sql.empty() && (sql.front() == '\n' || sql.front() == ' ' || sql.front() == '\t' || sql.front() == '\r'))
        sql.remove_prefix(1);
    auto line = sql.substr(0, sql.find('\n'));
    return line.size() > 100 ? std::string(line.substr(0, 97)) + "..." : std::string(line);
}

// States in which the deploy request will not (or no longer) put its schema on production.
bool undone(const std::string& s) {
    return s == "complete_revert" || s == "in_progress_revert" || s == "complete_cancel" || s == "in_progress_cancel" ||
           s == "cancelled" || s == "error" || s == "complete_error";
}

std::string random_suffix() {
    static thread_local std::mt19937 random(std::random_device{}());
    static const char* alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string s;
    for (int i = 0; i < 6; ++i) s += alphabet[std::uniform_int_distribution<int>(0, 35)(random)];
    return s;
}

}  // namespace

Deployer::Deployer(PlanetScaleClient& client, const DeployRequestOptions& options, const ConnectionUrl& production,
                   const std::vector<plan::StatementRef>& refs, std::vector<std::string> setup,
                   PendingMigrations pending, const EventCallback& on_event, const std::atomic<bool>* cancel,
                   std::function<void()> keep_alive)
    : client_(client),
      options_(options),
      production_(production),
      on_event_(on_event),
      poller_(options.poll_every, cancel, std::move(keep_alive)),
      setup_(std::move(setup)),
      pending_(std::move(pending)),
      keyspace_(keyspace_name(options, production)) {
    auto batches = split_into_batches(refs, !setup_.empty(), options.branch_prefix, keyspace_);
    if (!options.from_branch.empty()) refuse_several_batches(batches, options.from_branch);
    for (auto& b : batches)
        work_.push_back({options.from_branch.empty() ? b.branch : options.from_branch, b.branch,
                         std::move(b.statements), b.with_setup ? setup_ : std::vector<std::string>{}, false});
}

std::vector<DeployRequest> Deployer::deploy_requests_of(const Work& w) {
    auto all = client_.deploy_requests_from(w.branch);
    if (options_.from_branch.empty()) return all;
    // A shared branch has had other deploy requests (other batches, other keyspaces): this batch's carry
    // its name in their record.
    std::erase_if(all, [&](const DeployRequest& d) {
        const auto r = read_carried_record(d.notes);
        return !r || r->batch != w.batch || r->keyspace != keyspace_;
    });
    return all;
}

bool Deployer::carries(const Migration& m, std::size_t index) const {
    if (!carried_by_deploy_request(m.statements[index].sql)) return false;
    for (const auto& w : work_)
        for (const auto& r : w.statements)
            if (r.migration == &m && r.index == index) return true;
    return false;
}

bool Deployer::first_deploy_request_opened() { return !work_.empty() && !deploy_requests_of(work_.front()).empty(); }

void Deployer::deploy_setup() {
    if (setup_.empty() || work_.empty()) return;
    if (!work_.front().done) run(work_.front());
}

void Deployer::carry(const Migration& m, std::size_t index) {
    for (auto& w : work_)
        for (const auto& r : w.statements)
            if (r.migration == &m && r.index == index) {
                if (!w.done) run(w);
                return;
            }
}

void Deployer::report(const std::string& phase, const std::string& detail) {
    report_progress(on_event_, progress_, phase, detail);
}

void Deployer::pause() {
    poller_.pause(
        fmt::format("interrupted while following the deploy request of branch {}: PlanetScale goes on with "
                    "it; run again to follow it to the end and record the migrations",
                    progress_.branch));
}

void Deployer::run(Work& w) {
    progress_ = {};
    progress_.branch = w.branch;
    // PlanetScale's record first: a deploy request from this branch that an earlier run (or replica)
    // opened is picked up, never a second one opened.
    report("looking up", fmt::format("looking for deploy requests from branch {}", w.branch));
    auto existing = deploy_requests_of(w);
    // A cancel or revert under way (a person's) is let settle first: what it ends in decides.
    const auto settle_by = clock::now() + options_.timeout;
    while (!existing.empty() && (existing.front().deployment_state == "in_progress_cancel" ||
                                 existing.front().deployment_state == "in_progress_revert")) {
        report(existing.front().deployment_state,
               fmt::format("deploy request #{} (branch {}): {}: waiting for it to end", existing.front().number,
                           w.branch, existing.front().deployment_state));
        if (clock::now() > settle_by)
            throw error(errc::deploy_request_waiting,
                        fmt::format("deploy request #{} (branch {}) is still {} after {} s; run again later",
                                    existing.front().number, w.branch, existing.front().deployment_state,
                                    options_.timeout.count()));
        pause();
        existing = deploy_requests_of(w);
    }
    std::uint64_t number = 0;
    if (!existing.empty()) {
        const DeployRequest& d = existing.front();
        progress_.number = d.number;
        progress_.html_url = d.html_url;
        progress_.deployment_state = d.deployment_state;
        if (d.deployment_state == "complete") return finish(w, d.number);
        if (d.deployment_state == "complete_pending_revert" && options_.revert_window == RevertWindow::leave_open)
            return finish(w, d.number);
        if (undone(d.deployment_state) || (d.state == "closed" && d.deployment_state != "complete_pending_revert")) {
            // Closed before deploying, cancelled, reverted or failed: a person's decision or PlanetScale's
            // refusal. Reported, not fought; without the branch, the next run starts over. An existing
            // branch is a person's to keep: the run that followed the request reported its end, and a
            // later run (a person's next try) opens a new one.
            if (!options_.from_branch.empty())
                report("starting over", fmt::format("deploy request #{} from {} ended without deploying ({}): "
                                                    "opening a new one",
                                                    d.number, w.branch, d.deployment_state));
            else if (client_.find_branch(w.branch))
                refuse(w, d, "it ended without deploying");
            // The branch is gone: a person's "start over". The old request, if still open (failed), is closed
            // first, since a branch may have one open deploy request only.
            if (d.state == "open") {
                report("closing",
                       fmt::format("closing deploy request #{} ({}): {}, starting over", d.number, d.deployment_state,
                                   options_.from_branch.empty() ? "its branch " + w.branch + " was deleted"
                                                                : "it ended without deploying"));
                client_.close(d.number);
            }
        } else {
            number = d.number;
            report("following", fmt::format("picking up deploy request #{} ({}) opened by an earlier run", d.number,
                                            d.deployment_state));
        }
    }
    if (!number) {
        ensure_branch(w);
        if (!options_.from_branch.empty())
            for (const auto& d : client_.deploy_requests_from(w.branch))
                if (d.state == "open")  // not this batch's (deploy_requests_of found none open)
                    throw error(
                        errc::deploy_request_failed,
                        fmt::format("deploy request #{} from branch {} is open ({}){}, and a branch has one open "
                                    "deploy request at a time; nothing was run. Deploy or close it, then run "
                                    "again",
                                    d.number, w.branch, d.deployment_state,
                                    d.html_url.empty() ? "" : " — " + d.html_url));
        auto conn = connect_to_branch(w);
        try {
            if (!options_.from_branch.empty()) check_branch(w, *conn);
            apply_on_branch(w, *conn);
        } catch (...) {
            delete_password();
            throw;
        }
        number = open_deploy_request(w);
    }
    follow(w, number);
}

void Deployer::ensure_branch(Work& w) {
    auto branch = client_.find_branch(w.branch);
    if (!branch && !options_.from_branch.empty())
        throw error(errc::deploy_request_failed,
                    fmt::format("branch {} does not exist in database {}; nothing was run. Create it from {} and apply "
                                "the pending migrations there, or name the branch that holds them",
                                w.branch, options_.api.database, options_.api.production_branch));
    if (!branch) {
        report("creating branch",
               fmt::format("creating development branch {} from {}", w.branch, options_.api.production_branch));
        try {
            branch = client_.create_branch(w.branch, options_.api.production_branch);
        } catch (const error& e) {
            // The answer may have been lost after the branch was made: it exists then.
            branch = client_.find_branch(w.branch);
            if (!branch) throw;
        }
    }
    const auto deadline = clock::now() + options_.timeout;
    while (!branch->ready) {
        report("waiting for branch", fmt::format("waiting for branch {} to be ready", w.branch));
        if (clock::now() > deadline)
            throw error(errc::deploy_request_waiting,
                        fmt::format("branch {} was not ready within {} s; run again to go on", w.branch,
                                    options_.timeout.count()));
        pause();
        branch = client_.find_branch(w.branch);
        if (!branch)
            throw error(
                errc::deploy_request_failed,
                fmt::format("branch {} was deleted while it was being created; run again to start over", w.branch));
    }
}

std::unique_ptr<connect::Connection> Deployer::connect_to_branch(const Work& w) {
    const std::string name = fmt::format("{}-{}", w.branch, random_suffix());
    report("creating password",
           fmt::format("creating a password for branch {} (expires in {} s)", w.branch, options_.password_ttl.count()));
    Password password = client_.create_password(w.branch, name, options_.password_ttl);
    password_id_ = password.id;
    password_branch_ = w.branch;

    ConnectionUrl url = production_;
    url.transport = Transport::http;
    url.transport_settled = true;  // the scheme is set to http(s) just below
    url.scheme = production_.scheme == "http" ? "http" : "https";
    url.user = password.username;
    url.password = password.plain_text;
    url.has_password = true;
    url.socket.clear();
    const auto colon = password.access_host_url.rfind(':');
    if (colon != std::string::npos && password.access_host_url.find(']') == std::string::npos) {
        url.host = password.access_host_url.substr(0, colon);
        url.port = static_cast<std::uint16_t>(std::stoi(password.access_host_url.substr(colon + 1)));
    } else {
        url.host = password.access_host_url;
        url.port = 0;
    }
    return connect::Connection::open(url);
}

void Deployer::apply_on_branch(const Work& w, connect::Connection& conn) {
    for (const auto& sql : w.setup) conn.execute(sql);  // CREATE TABLE IF NOT EXISTS: harmless to repeat
    if (!options_.from_branch.empty()) return;          // check_branch found the statements there
    report("applying on branch", fmt::format("applying {} statement{} on branch {}", w.statements.size(),
                                             w.statements.size() == 1 ? "" : "s", w.branch));
    for (const auto& r : w.statements) {
        const std::string_view sql = r.migration->statements[r.index].sql;
        const auto cls = run::classify_statement(sql);
        if (cls == run::StatementClass::harmless) {
            conn.execute(sql);
            continue;
        }
        // A branch an earlier run left half-done: what the schema shows applied is not sent again.
        if (cls == run::StatementClass::ddl && run::probe_statement(conn, sql).effect == run::Effect::applied) continue;
        try {
            conn.execute(sql);
        } catch (const error& e) {
            if (!e.completion_unknown() && cls == run::StatementClass::ddl &&
                run::probe_statement(conn, sql).effect == run::Effect::applied)
                continue;  // an earlier run's copy of it finished meanwhile
            error_context ctx = e.context();
            ctx.file = r.migration->file.string();
            ctx.line = r.migration->statements[r.index].line;
            ctx.statement = r.index;
            ctx.statements = r.migration->statements.size();
            ctx.tag = r.migration->tag;
            throw error(e.code(),
                        fmt::format("{}: statement {} of {} of migration {} failed on development branch {}: {}\n"
                                    "Nothing of it reached production. Fix the migration and run again; the branch "
                                    "keeps what ran (or delete branch {} to start it over).",
                                    where(r), r.index + 1, r.migration->statements.size(), r.migration->tag, w.branch,
                                    e.what(), w.branch),
                        std::move(ctx));
        }
    }
}

void Deployer::check_branch(const Work& w, connect::Connection& conn) {
    report("checking branch", fmt::format("checking that branch {} holds {} plus exactly the pending migrations",
                                          w.branch, options_.api.production_branch));
    auto production = connect::Connection::open(production_);
    check_existing_branch(conn, *production, pending_, w.statements, w.branch, options_.api.production_branch);
}

std::string Deployer::notes(const Work& w) const {
    std::string out = fmt::format("Opened by libmigrate for {} ({} statement{}", progress_.branch, w.statements.size(),
                                  w.statements.size() == 1 ? "" : "s");
    if (!w.setup.empty()) out += fmt::format(", plus libmigrate's own tables");
    out += "):\n";
    for (const auto& r : w.statements) {
        std::string line =
            fmt::format("- {} [{}] {}\n", where(r), r.migration->tag, first_line(r.migration->statements[r.index].sql));
        if (out.size() + line.size() > 3800) {
            out += "- …\n";
            break;
        }
        out += line;
    }
    // Last, whole whatever the list's length: what later runs and a revert read back.
    return out + notes_line(carried_record(keyspace_, w.batch, w.statements)) + "\n";
}

std::uint64_t Deployer::open_deploy_request(Work& w) {
    report("opening",
           fmt::format("opening a deploy request from {} into {}", w.branch, options_.api.production_branch));
    try {
        // auto_delete_branch keeps development-branch hours down; a branch the run did not make stays.
        auto d = client_.create_deploy_request(w.branch, options_.api.production_branch, notes(w),
                                               options_.cutover == CutOver::automatic, options_.from_branch.empty());
        progress_.number = d.number;
        progress_.html_url = d.html_url;
        return d.number;
    } catch (const error& e) {
        // An answer lost after it was opened, or one opened from this branch by hand: follow that one.
        auto existing = deploy_requests_of(w);
        if (existing.empty() || existing.front().state != "open") throw;
        progress_.number = existing.front().number;
        progress_.html_url = existing.front().html_url;
        return existing.front().number;
    }
}

void Deployer::follow(Work& w, std::uint64_t number) {
    const auto deadline = clock::now() + options_.timeout;
    std::string last;
    bool deploy_sent = false, cutover_sent = false, skip_sent = false;
    for (;;) {
        DeployRequest d;
        try {
            d = client_.deploy_request(number);
        } catch (const error& e) {
            if (!is_transient(e)) throw;
            pause();
            continue;
        }
        const std::string& s = d.deployment_state;
        progress_.number = number;
        progress_.deployment_state = s;
        progress_.html_url = d.html_url;
        if (s == "complete") return finish(w, number);
        if (s == "complete_pending_revert" && options_.revert_window == RevertWindow::leave_open)
            return finish(w, number);
        if (undone(s) || (d.state == "closed" && s != "complete_pending_revert"))
            refuse(w, d,
                   s == "error" || s == "complete_error" ? "its deployment failed" : "it ended without deploying");
        try {
            if (s == "ready" && !d.deployable) {
                refuse(w, d, "PlanetScale will not deploy it");
            } else if (s == "no_changes") {
                if (!already_on_production(w))
                    refuse(w, d, "the branch holds no schema change, yet the statements are not on production");
                client_.close(number);
                report("no changes", fmt::format("deploy request #{} has no changes: the statements are on production "
                                                 "already; closed it",
                                                 number));
                return finish(w, number);
            } else if (s == "ready" && !deploy_sent) {
                const bool instant = options_.instant == InstantDeploy::when_eligible && d.instant_ddl_eligible;
                client_.deploy(number, instant);
                deploy_sent = true;
            } else if (s == "pending_cutover" && options_.cutover != CutOver::wait_for_human && !cutover_sent) {
                client_.apply_cutover(number);
                cutover_sent = true;
            } else if (s == "complete_pending_revert" && options_.revert_window == RevertWindow::skip && !skip_sent) {
                client_.skip_revert(number);
                skip_sent = true;
            }
        } catch (const error& e) {
            // A refused or lost action is not repeated blindly: the state is read again first (it may have
            // taken effect, or a person may have acted), and a transient refusal allows one more try.
            if (e.code() != errc::platform_api) throw;
            if (!is_transient(e) && e.context().http_status != 422 && e.context().http_status != 409) throw;
            deploy_sent = cutover_sent = skip_sent = false;
        }
        progress_.operations.clear();
        if (s == "in_progress" || s == "in_progress_cutover" || s == "queued" || s == "submitting") {
            try {
                for (auto& o : client_.operations(number))
                    progress_.operations.push_back({o.table, o.state, o.operation, o.progress_percent, o.eta_seconds});
            } catch (const error& e) {
                if (!is_transient(e)) throw;
            }
        }
        std::string detail = fmt::format("deploy request #{} (branch {}): {}", number, w.branch, s);
        if (s == "pending_cutover" && options_.cutover == CutOver::wait_for_human)
            detail += ": waiting for a person to apply the cut-over";
        if (s == "complete_pending_revert" && options_.revert_window == RevertWindow::wait)
            detail += ": waiting for the revert window to close";
        // One line: the tables furthest from done first, the rest counted (the event has them all).
        auto ops = progress_.operations;
        std::stable_sort(ops.begin(), ops.end(),
                         [](const auto& a, const auto& b) { return a.progress_percent < b.progress_percent; });
        for (std::size_t k = 0; k < ops.size() && k < 3; ++k)
            detail += fmt::format("; {} {} {}%{}", ops[k].operation, ops[k].table, ops[k].progress_percent,
                                  ops[k].eta_seconds > 0 ? fmt::format(" (eta {} s)", ops[k].eta_seconds) : "");
        if (ops.size() > 3) detail += fmt::format("; {} more table{}", ops.size() - 3, ops.size() == 4 ? "" : "s");
        if (detail != last) report(s, detail);
        last = detail;
        if (clock::now() > deadline)
            throw error(
                errc::deploy_request_waiting,
                fmt::format("deploy request #{} (branch {}) is still {} after {} s{}; it goes on at PlanetScale: "
                            "run again to follow it and record the migrations",
                            number, w.branch, s, options_.timeout.count(),
                            s == "pending_cutover" ? " (its cut-over waits to be applied)" : ""));
        pause();
    }
}

bool Deployer::already_on_production(const Work& w) {
    auto conn = connect::Connection::open(production_);
    for (const auto& r : w.statements) {
        const std::string_view sql = r.migration->statements[r.index].sql;
        if (run::classify_statement(sql) != run::StatementClass::ddl) continue;
        if (run::probe_statement(*conn, sql).effect != run::Effect::applied) return false;
    }
    return true;
}

void Deployer::finish(Work& w, std::uint64_t number) {
    // The password this run made goes now; the branch too, where auto-delete has not removed it (an
    // instant deploy, or a deploy request picked up from an earlier run). Both best effort: a password
    // expires anyway, and a leftover branch is named in the event.
    std::string leftover;
    delete_password();
    // An existing branch is its owner's; during an open revert window PlanetScale's auto-delete removes
    // the branch when the window closes.
    const bool window_open = progress_.deployment_state == "complete_pending_revert";
    try {
        if (options_.from_branch.empty() && !window_open && client_.find_branch(w.branch))
            client_.delete_branch(w.branch);
    } catch (const error& e) {
        leftover = fmt::format(" (deleting branch {} failed: {}; delete it by hand)", w.branch, e.what());
    }
    w.done = true;
    progress_.phase = "done";
    report("done", fmt::format("deploy request #{} (branch {}) is {}{}", number, w.branch,
                               window_open ? "deployed; its revert window stays open" : "complete", leftover));
}

void Deployer::delete_password() {
    if (password_id_.empty()) return;
    try {
        client_.delete_password(password_branch_, password_id_);
    } catch (const error&) {
        // Best effort: it expires anyway (DeployRequestOptions::password_ttl).
    }
    password_id_.clear();
}

void Deployer::refuse(const Work& w, const DeployRequest& d, const std::string& why) {
    std::string details;
    for (const auto& l : d.lint_errors) details += fmt::format("\n  {} {}: {}", l.code, l.table, l.description);
    if (!d.error_message.empty()) details += "\n  " + d.error_message;
    throw error(errc::deploy_request_failed,
                fmt::format("deploy request #{} from branch {} into {}: {} (deployment state {}, request {}){}{}\n"
                            "Nothing of it reached production through this run. Decide what it needs (the deploy "
                            "request's page shows why); {}.",
                            d.number, w.branch, options_.api.production_branch, why, d.deployment_state, d.state,
                            d.html_url.empty() ? "" : " — " + d.html_url, details,
                            options_.from_branch.empty()
                                ? fmt::format("to have the next run start over with a new branch and deploy request, "
                                              "delete branch {}",
                                              w.branch)
                                : fmt::format("the next run opens a new deploy request from branch {}", w.branch)));
}

}  // namespace migrate::deploy
