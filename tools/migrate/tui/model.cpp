#include "model.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace cli::tui {
namespace {

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

std::string state_of(const migrate::PlanEntry& e) {
    if (e.hash_differs) return "edited";
    if (e.progress) return "partial";
    if (e.by_baseline) return "baseline";
    if (e.state == migrate::MigrationState::out_of_order) return "out of order";
    return std::string(migrate::to_string(e.state));
}

// What `up` would do, in one line, for the confirmation dialog.
std::string summary_of(const migrate::UpPreview& p) {
    if (!p.refusal.empty())
        return fmt::format("refused: error[{}]: {}", migrate::to_string(*p.refusal_code), first_line(p.refusal));
    if (p.migrations.empty()) return "nothing to apply";
    std::size_t statements = 0, ddl = 0;
    for (const auto& m : p.migrations)
        for (const auto& s : m.statements) {
            ++statements;
            ddl += s.kind == migrate::StatementKind::ddl || s.kind == migrate::StatementKind::unknown;
        }
    const std::size_t steps = p.migrations.size() - (p.baseline ? 1 : 0);
    std::string what = p.baseline ? fmt::format("baseline through {} + {} migration{}", p.baseline->through, steps,
                                                steps == 1 ? "" : "s")
                                  : fmt::format("{} migration{}", steps, steps == 1 ? "" : "s");
    std::size_t rewrites = 0;
    std::uint64_t biggest = 0;
    for (const auto& ps : p.status.pending_statements)
        if (migrate::rewrites_table(ps.cost.algorithm) && ps.cost.size) {
            ++rewrites;
            biggest = std::max(biggest, ps.cost.size->bytes);
        }
    return fmt::format(
        "{}, {} statements ({} DDL){}{}", what, statements, ddl,
        rewrites ? fmt::format(", {} rewrite a table (largest {})", rewrites, migrate::format_bytes(biggest)) : "",
        p.status.lock_holder.empty() ? "" : ", waits for the lock");
}

}  // namespace

migrate::UpOptions Model::up_options(const Entry& e) {
    auto options = run_;
    options.cancel = &cancel_;
    if (!options.max_table_copy_bytes) options.max_table_copy_bytes = e.config.max_table_copy_bytes;
    return options;
}

Model::Model(const std::vector<migrate::TargetConfig>& targets, const migrate::UpOptions& run) : run_(run) {
    for (const auto& t : targets) {
        Entry e{t, nullptr, {}, {}};
        e.state.name = t.name;
        try {
            e.target = std::make_unique<migrate::Target>(migrate::Target::open(t.options()));
            e.state.url = e.target->url().redacted();
            for (auto& f : migrate::lint_source(e.target->source(), t.lint_options()))
                if (!f.suppressed) e.lint.push_back(std::move(f));
        } catch (const migrate::error& err) {
            e.state.read_error = fmt::format("error[{}]: {}", migrate::to_string(err.code()),
                                             first_line(migrate::redact_url_text(err.what())));
            e.state.loaded = true;
        }
        entries_.push_back(std::move(e));
    }
    refresher_ = std::thread([this] { refresher(); });
}

Model::~Model() {
    cancel_ = true;
    stop_ = true;
    wake_.notify_all();
    refresher_.join();
    for (auto& w : workers_) w.join();
}

std::vector<TargetState> Model::snapshot() const {
    std::lock_guard lock(mutex_);
    std::vector<TargetState> out;
    for (const auto& e : entries_) out.push_back(e.state);
    return out;
}

const migrate::Target* Model::target(std::size_t i) const { return entries_.at(i).target.get(); }

bool Model::take_dirty() { return dirty_.exchange(false); }

void Model::refresh_all() {
    {
        std::lock_guard lock(mutex_);
        refresh_now_ = true;
    }
    wake_.notify_all();
}

void Model::refresher() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
        refresh_now_ = false;
        lock.unlock();
        for (std::size_t i = 0; i < entries_.size() && !stop_; ++i) refresh_one(i);
        lock.lock();
        // Every few seconds, or at once when asked (a key, the end of a run).
        wake_.wait_for(lock, std::chrono::seconds(3), [&] { return stop_ || refresh_now_; });
    }
}

void Model::refresh_one(std::size_t i) {
    Entry& e = entries_[i];
    if (!e.target) return;
    {
        std::lock_guard lock(mutex_);
        if (e.state.running) return;  // the run's own events keep it current
    }
    TargetState s;
    try {
        auto st = e.target->status();
        s.transport = std::string(migrate::to_string(st.transport));
        s.lock_holder = st.lock_holder;
        s.pending_statements = st.pending_statements;
        s.deploy_requests = st.deploy_requests;
        for (const auto& entry : st.plan.entries) {
            s.migrations.push_back({entry.migration, state_of(entry)});
            if (entry.state == migrate::MigrationState::applied) ++s.applied;
            if (entry.state == migrate::MigrationState::pending) ++s.pending;
            if (entry.state == migrate::MigrationState::out_of_order) ++s.out_of_order;
            if (entry.hash_differs) ++s.changed;
            if (entry.progress) ++s.partial;
        }
        if (st.plan.baseline_progress) ++s.partial;
        if (const auto* b = e.target->baseline())
            s.baseline = b->usable() ? fmt::format("through {}", b->through) : "stale";
        s.lint = e.lint.size();
    } catch (const migrate::error& err) {
        s.read_error = fmt::format("error[{}]: {}", migrate::to_string(err.code()),
                                   first_line(migrate::redact_url_text(err.what())));
    }
    std::lock_guard lock(mutex_);
    if (e.state.running) return;
    s.name = e.state.name;
    s.url = e.state.url;
    s.loaded = true;
    s.result = e.state.result;
    s.failure = e.state.failure;
    e.state = std::move(s);
    mark_dirty();
}

void Model::request_preview(std::vector<std::size_t> which) {
    {
        std::lock_guard lock(mutex_);
        preview_.reset();
    }
    workers_.emplace_back([this, which = std::move(which)] {
        std::vector<std::pair<std::string, std::string>> out;
        for (std::size_t i : which) {
            const Entry& e = entries_[i];
            std::string summary;
            if (!e.target)
                summary = "cannot be opened";
            else
                try {
                    summary = summary_of(e.target->preview(up_options(e)));
                } catch (const migrate::error& err) {
                    summary = fmt::format("error[{}]: {}", migrate::to_string(err.code()),
                                          first_line(migrate::redact_url_text(err.what())));
                }
            out.emplace_back(e.state.name, summary);
        }
        std::lock_guard lock(mutex_);
        preview_ = std::move(out);
        mark_dirty();
    });
}

std::optional<std::vector<std::pair<std::string, std::string>>> Model::take_preview() {
    std::lock_guard lock(mutex_);
    auto out = std::move(preview_);
    preview_.reset();
    return out;
}

void Model::apply(const std::vector<std::size_t>& which) {
    for (std::size_t i : which) {
        {
            std::lock_guard lock(mutex_);
            if (!entries_[i].target || entries_[i].state.running) continue;
            auto& s = entries_[i].state;
            s.running = true;
            s.progress = "waiting for the lock";
            s.started = std::chrono::steady_clock::now();
            s.result.clear();
            s.failure.reset();
            mark_dirty();
        }
        workers_.emplace_back([this, i] { apply_one(i); });
    }
}

bool Model::any_running() const {
    std::lock_guard lock(mutex_);
    for (const auto& e : entries_)
        if (e.state.running) return true;
    return false;
}

void Model::apply_one(std::size_t i) {
    Entry& e = entries_[i];
    auto on_event = [&](const migrate::Event& ev) {
        using K = migrate::Event::Kind;
        std::lock_guard lock(mutex_);
        auto& s = e.state;
        if (ev.kind == K::lock_waiting)
            s.progress = "waiting for the lock held by " + ev.detail;
        else if (ev.kind == K::previous_run_waiting)
            s.progress = "waiting for a stopped run's statement: " + ev.detail;
        else if (ev.kind == K::statement_lock_waiting)
            s.progress = fmt::format("[{}/{}] {} statement {}/{} blocked: {}", ev.migration_number, ev.migrations_total,
                                     ev.migration->tag, ev.statement_index + 1, ev.statements_total, ev.detail);
        else if (ev.kind == K::deploy_request && ev.deploy_request) {  // phase, state and per-table progress
            s.progress = ev.detail;
            auto& drs = s.deploy_requests;
            auto it = std::find_if(drs.begin(), drs.end(),
                                   [&](const auto& d) { return d.branch == ev.deploy_request->branch; });
            if (it == drs.end())
                drs.push_back(*ev.deploy_request);
            else
                *it = *ev.deploy_request;
        } else if (ev.kind == K::statement_started || ev.kind == K::migration_started)
            s.progress = fmt::format("[{}/{}] {} statement {}/{}", ev.migration_number, ev.migrations_total,
                                     ev.migration->tag, ev.statement_index + 1, ev.statements_total);
        else
            return;
        mark_dirty();
    };
    std::string result;
    std::optional<Failure> failure;
    try {
        auto report = e.target->up(on_event, up_options(e));
        result =
            report.migrations_applied == 0 && report.baseline_covered == 0
                ? "nothing to do"
                : fmt::format(
                      "applied {} migration{}{} ({} statements) in {:.1f} s", report.migrations_applied,
                      report.migrations_applied == 1 ? "" : "s",
                      report.baseline_covered ? fmt::format(" after the baseline ({})", report.baseline_covered) : "",
                      report.statements_run, std::chrono::duration<double>(report.duration).count());
    } catch (const migrate::error& err) {
        Failure f;
        f.code = std::string(migrate::to_string(err.code()));
        f.message = migrate::redact_url_text(err.what());
        f.file = err.context().file;
        f.line = err.context().line.value_or(0);
        // The failed statement's text, from the folder (or the baseline snapshot).
        const auto& ctx = err.context();
        if (ctx.statement) {
            const migrate::Migration* m = nullptr;
            if (ctx.tag == "baseline" && e.target->baseline()) m = &e.target->baseline()->snapshot;
            for (const auto& mig : e.target->source().migrations)
                if (mig.tag == ctx.tag) m = &mig;
            if (m && *ctx.statement < m->statements.size()) f.statement_sql = m->statements[*ctx.statement].sql;
        }
        failure = std::move(f);
        result = "failed";
    }
    {
        std::lock_guard lock(mutex_);
        e.state.running = false;
        e.state.progress.clear();
        e.state.result = result;
        e.state.failure = std::move(failure);
        refresh_now_ = true;
        mark_dirty();
    }
    wake_.notify_all();
}

}  // namespace cli::tui
