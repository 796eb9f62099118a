// The TUI's screen thread: input, navigation and drawing. Everything that touches a database runs in the
// Model's workers; this loop only reads snapshots, so the screen never freezes.
#include "app.hpp"

#include "model.hpp"

#include <fmt/format.h>

#include <curses.h>

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <climits>
#include <clocale>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <memory>

namespace cli::tui {
namespace {

enum class View { overview, target, migration };
enum class Dialog { none, planning, confirm, help };
enum Pair : short { ok_pair = 1, warn_pair, bad_pair, head_pair };

struct Ui {
    View view = View::overview;
    Dialog dialog = Dialog::none;
    std::size_t target = 0;     // selected target
    std::size_t migration = 0;  // selected migration in the target view
    std::size_t scroll = 0;     // first line shown in the migration view
    std::vector<std::size_t> to_apply;
    std::vector<std::pair<std::string, std::string>> preview;
    bool color = false;
    bool quitting = false;
};

// Draws `text` at (y, x), cut to the screen width.
void put(int y, int x, const std::string& text, attr_t attr = A_NORMAL) {
    if (y < 0 || y >= LINES || x >= COLS) return;
    attron(attr);
    mvaddnstr(y, x, text.c_str(), std::max(0, COLS - x));
    attroff(attr);
}

attr_t colour(const Ui& ui, Pair p, attr_t fallback = A_NORMAL) { return ui.color ? COLOR_PAIR(p) : fallback; }

std::string fit(std::string s, std::size_t width) {
    if (s.size() > width) s = width > 1 ? s.substr(0, width - 1) + "~" : s.substr(0, width);
    return fmt::format("{:<{}}", s, width);
}

std::string elapsed(const TargetState& t) {
    return fmt::format("{:.1f} s", std::chrono::duration<double>(std::chrono::steady_clock::now() - t.started).count());
}

// One line about what happened or is happening to a target.
std::string activity(const TargetState& t) {
    if (t.running) return fmt::format("applying: {} ({})", t.progress, elapsed(t));
    if (t.failure)
        return fmt::format("FAILED error[{}]: {}", t.failure->code,
                           t.failure->message.substr(0, t.failure->message.find('\n')));
    if (!t.result.empty()) return t.result;
    if (!t.read_error.empty()) return t.read_error;
    return "";
}

// A target's deploy requests: one line each, then one per table while it deploys; at most `max` lines.
std::vector<std::string> deploy_request_lines(const TargetState& t, std::size_t max) {
    std::vector<std::string> out;
    if (max < 2) return out;
    for (const auto& d : t.deploy_requests) {
        // The branch last: a narrow screen cuts its end, not the state.
        out.push_back(fmt::format(
            "DR {} {}{} {}", d.number ? "#" + std::to_string(d.number) : "(not open yet)",
            d.deployment_state.empty() ? d.phase : d.deployment_state,
            d.deployment_state.empty() || d.phase == d.deployment_state ? "" : " (" + d.phase + ")", d.branch));
        for (const auto& o : d.operations)
            out.push_back(fmt::format("    {} {} {} {}%{}", o.operation, o.table, o.state, o.progress_percent,
                                      o.eta_seconds > 0 ? fmt::format(" eta {} s", o.eta_seconds) : ""));
    }
    if (out.size() > max) {
        const std::size_t more = out.size() - max + 1;
        out.resize(max - 1);
        out.push_back(fmt::format("    … {} more line{}", more, more == 1 ? "" : "s"));
    }
    return out;
}

std::atomic<bool> quit_requested{false};
extern "C" void on_quit_signal(int) { quit_requested = true; }

void draw_keys(const std::string& keys) { put(LINES - 1, 0, fit(keys, static_cast<std::size_t>(COLS)), A_REVERSE); }

void draw_overview(const Ui& ui, const std::vector<TargetState>& targets) {
    put(0, 0,
        fit(fmt::format("migrate tui: {} target{}", targets.size(), targets.size() == 1 ? "" : "s"),
            static_cast<std::size_t>(COLS)),
        colour(ui, head_pair, A_BOLD));
    put(2, 0, "target          trans applied pending edited partial lint lock", A_BOLD);
    const auto deploys =
        targets.empty() ? std::vector<std::string>{}
                        : deploy_request_lines(targets[ui.target], static_cast<std::size_t>(std::max(0, LINES / 3)));
    const int table_end = LINES - 4 - static_cast<int>(deploys.size());
    int y = 3;
    for (std::size_t i = 0; i < targets.size() && y < table_end; ++i, ++y) {
        const auto& t = targets[i];
        std::string row = fmt::format(
            "{} {} {:>7} {:>7} {:>6} {:>7} {:>4} {}", fit(t.name, 15), fit(t.transport, 5),
            t.loaded ? std::to_string(t.applied) : "...", t.loaded ? std::to_string(t.pending) : "",
            t.loaded ? std::to_string(t.changed + t.out_of_order) : "", t.loaded ? std::to_string(t.partial) : "",
            t.loaded ? std::to_string(t.lint) : "", t.lock_holder.empty() ? "free" : "held");
        attr_t a = i == ui.target ? A_REVERSE : A_NORMAL;
        if (!t.read_error.empty() || t.failure)
            a |= colour(ui, bad_pair);
        else if (t.running || t.pending || t.partial)
            a |= colour(ui, warn_pair);
        else if (t.loaded)
            a |= colour(ui, ok_pair);
        put(y, 0, fit(row, static_cast<std::size_t>(COLS)), a);
    }
    for (std::size_t k = 0; k < deploys.size(); ++k)
        put(table_end + static_cast<int>(k), 0, fit(deploys[k], static_cast<std::size_t>(COLS)), colour(ui, warn_pair));
    if (!targets.empty()) {
        const auto& t = targets[ui.target];
        put(LINES - 3, 0,
            fit(t.name + ": " + (activity(t).empty() ? t.url : activity(t)), static_cast<std::size_t>(COLS)),
            t.failure || !t.read_error.empty() ? colour(ui, bad_pair, A_BOLD) : A_NORMAL);
        if (!t.lock_holder.empty())
            put(LINES - 2, 0, fit("lock held by " + t.lock_holder, static_cast<std::size_t>(COLS)));
    }
    draw_keys(" Up/Down move  Enter open  a apply  A apply all  r refresh  ? help  q quit");
}

// The failed statement and the server's message, in place.
int draw_failure(const Ui& ui, const Failure& f, int y) {
    put(y++, 0, fit(fmt::format("error[{}] at {}:{}", f.code, f.file, f.line), static_cast<std::size_t>(COLS)),
        colour(ui, bad_pair, A_BOLD));
    if (!f.statement_sql.empty()) {
        std::string sql = f.statement_sql.substr(f.statement_sql.find_first_not_of('\n'));
        put(y++, 0, fit("statement: " + sql.substr(0, sql.find('\n')), static_cast<std::size_t>(COLS)), A_BOLD);
    }
    std::size_t start = 0;
    for (int n = 0; n < 3 && start < f.message.size() && y < LINES - 2; ++n) {
        auto end = f.message.find('\n', start);
        std::string line = f.message.substr(start, end == std::string::npos ? std::string::npos : end - start);
        for (std::size_t p = 0; p < line.size() && y < LINES - 2; p += static_cast<std::size_t>(COLS))
            put(y++, 0, line.substr(p, static_cast<std::size_t>(COLS)), colour(ui, bad_pair));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return y;
}

void draw_target(const Ui& ui, const TargetState& t) {
    put(0, 0, fit(fmt::format("{}  {}", t.name, t.url), static_cast<std::size_t>(COLS)), colour(ui, head_pair, A_BOLD));
    put(1, 0,
        fit(fmt::format("applied {}, pending {}, edited {}, out of order {}, partial {}, lint {}{}", t.applied,
                        t.pending, t.changed, t.out_of_order, t.partial, t.lint,
                        t.baseline.empty() ? "" : ", baseline " + t.baseline),
            static_cast<std::size_t>(COLS)));
    put(2, 0, "migration                                 state          statements", A_BOLD);
    const auto deploys = deploy_request_lines(t, static_cast<std::size_t>(std::max(0, LINES / 3)));
    int bottom = (t.failure ? LINES - 8 : LINES - 3) - static_cast<int>(deploys.size());
    for (std::size_t k = 0; k < deploys.size(); ++k)
        put(bottom + static_cast<int>(k), 0, fit(deploys[k], static_cast<std::size_t>(COLS)), colour(ui, warn_pair));
    const int rows = std::max(1, bottom - 3);
    std::size_t first =
        ui.migration >= static_cast<std::size_t>(rows) ? ui.migration - static_cast<std::size_t>(rows) + 1 : 0;
    int y = 3;
    for (std::size_t i = first; i < t.migrations.size() && y < bottom; ++i, ++y) {
        const auto& m = t.migrations[i];
        attr_t a = i == ui.migration ? A_REVERSE : A_NORMAL;
        if (m.state == "edited" || m.state == "partial" || m.state == "out of order")
            a |= colour(ui, bad_pair);
        else if (m.state == "pending" || m.state == "baseline")
            a |= colour(ui, warn_pair);
        put(y, 0,
            fit(fmt::format("{} {} {:>10}", fit(m.migration->tag, 41), fit(m.state, 14),
                            m.migration->statements.size()),
                static_cast<std::size_t>(COLS)),
            a);
    }
    if (t.failure)
        draw_failure(ui, *t.failure, LINES - 8);
    else
        put(LINES - 2, 0, fit(activity(t), static_cast<std::size_t>(COLS)));
    draw_keys(" Up/Down move  Enter statements  a apply  Esc back  r refresh  ? help  q quit");
}

// Every statement of the migration with its file's line numbers, each followed by its lint findings:
// the lines the view scrolls over.
std::vector<std::pair<std::string, attr_t>> statement_lines(const migrate::Migration& m,
                                                            const std::vector<migrate::LintFinding>& lint,
                                                            const std::vector<migrate::PendingStatement>& pending) {
    std::vector<std::pair<std::string, attr_t>> out;
    for (std::size_t i = 0; i < m.statements.size(); ++i) {
        const auto& st = m.statements[i];
        out.emplace_back(fmt::format("statement {}/{} (line {})", i + 1, m.statements.size(), st.line), A_BOLD);
        for (const auto& ps : pending)  // what it costs, when it is pending and changes an existing table
            if (ps.migration == &m && ps.index == i && ps.cost.algorithm != migrate::DdlAlgorithm::not_applicable)
                out.emplace_back(fmt::format("  {} {}{}: {}", migrate::to_string(ps.cost.algorithm),
                                             ps.cost.table.empty() ? "" : "`" + ps.cost.table + "`",
                                             ps.cost.size ? fmt::format(" ~{} rows, {}", ps.cost.size->rows,
                                                                        migrate::format_bytes(ps.cost.size->bytes))
                                                          : "",
                                             ps.cost.reason),
                                 migrate::rewrites_table(ps.cost.algorithm) ? A_BOLD : A_NORMAL);
        const std::size_t next = i + 1 < m.statements.size() ? m.statements[i + 1].line : SIZE_MAX;
        for (const auto& f : lint)
            if (f.file == m.file && f.line >= st.line && f.line < next)
                out.emplace_back(fmt::format("  ! lint {} {} (line {}): {}", migrate::to_string(f.severity), f.rule,
                                             f.line, f.message),
                                 A_BOLD);
        std::string_view sql = st.sql;
        std::size_t line = st.line, start = sql.find_first_not_of('\n');
        while (start != std::string_view::npos && start < sql.size()) {
            auto end = sql.find('\n', start);
            std::string_view text =
                sql.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
            out.emplace_back(fmt::format("{:>5} | {}", line++, text), A_NORMAL);
            if (end == std::string_view::npos) break;
            start = end + 1;
        }
    }
    return out;
}

void draw_migration(const Ui& ui, const TargetState& t, const std::vector<migrate::LintFinding>& lint) {
    const auto& m = *t.migrations.at(ui.migration).migration;
    put(0, 0,
        fit(fmt::format("{} / {}  ({})", t.name, m.tag, t.migrations[ui.migration].state),
            static_cast<std::size_t>(COLS)),
        colour(ui, head_pair, A_BOLD));
    put(1, 0, fit(m.file.string(), static_cast<std::size_t>(COLS)));
    auto lines = statement_lines(m, lint, t.pending_statements);
    int y = 3;
    for (std::size_t i = ui.scroll; i < lines.size() && y < LINES - 1; ++i, ++y)
        put(y, 0, lines[i].first, lines[i].second);
    draw_keys(fmt::format(" Up/Down/PgUp/PgDn scroll ({}/{})  Esc back  ? help  q quit",
                          std::min(ui.scroll + 1, lines.size()), lines.size()));
}

void draw_box(const std::vector<std::string>& lines, attr_t title_attr) {
    std::size_t width = 0;
    for (const auto& l : lines) width = std::max(width, l.size());
    width = std::min<std::size_t>(width + 4, static_cast<std::size_t>(std::max(10, COLS - 2)));
    const int height = std::min<int>(static_cast<int>(lines.size()) + 2, LINES - 2);
    const int top = std::max(0, (LINES - height) / 2), left = std::max(0, (COLS - static_cast<int>(width)) / 2);
    for (int r = 0; r < height; ++r) put(top + r, left, std::string(width, ' '), A_REVERSE);
    for (int r = 0; r + 2 < height + 1 && r < static_cast<int>(lines.size()); ++r)
        put(top + 1 + r, left + 2, fit(lines[static_cast<std::size_t>(r)], width - 4),
            (r == 0 ? title_attr : A_NORMAL) | A_REVERSE);
}

void draw_dialog(const Ui& ui) {
    if (ui.dialog == Dialog::help) {
        draw_box({"Keys", "Up/Down, k/j     move or scroll", "PgUp/PgDn        scroll a page", "Enter, Right     open",
                  "Esc, Left, h     back", "a                apply pending of this target",
                  "A                apply pending of all targets", "r                refresh now",
                  "?                this help", "q                quit (a run stops between statements)", "",
                  "Press any key."},
                 A_BOLD);
    } else if (ui.dialog == Dialog::planning) {
        draw_box({"Apply", "asking each target what up would do..."}, A_BOLD);
    } else if (ui.dialog == Dialog::confirm) {
        std::vector<std::string> lines{"Apply pending migrations?"};
        for (const auto& [name, summary] : ui.preview) lines.push_back(fmt::format("{}: {}", name, summary));
        lines.push_back("");
        lines.push_back("y apply   n cancel");
        draw_box(lines, A_BOLD);
    }
}

void draw(const Ui& ui, const std::vector<TargetState>& targets, const Model& model) {
    erase();
    if (LINES < 10 || COLS < 40) {
        put(0, 0, "terminal too small (need 40x10)");
    } else if (ui.view == View::overview || targets.empty()) {
        draw_overview(ui, targets);
    } else if (ui.view == View::target) {
        draw_target(ui, targets[ui.target]);
    } else {
        draw_migration(ui, targets[ui.target], model.lint(ui.target));
    }
    if (ui.quitting)
        draw_box({"Stopping", "waiting for running statements to finish..."}, A_BOLD);
    else
        draw_dialog(ui);
    refresh();
}

// Keys; returns false to quit.
bool handle(int ch, Ui& ui, Model& model, const std::vector<TargetState>& targets) {
    if (ui.dialog == Dialog::help) {
        ui.dialog = Dialog::none;
        return true;
    }
    if (ui.dialog == Dialog::confirm) {
        if (ch == 'y' || ch == 'Y') model.apply(ui.to_apply);
        if (ch == 'y' || ch == 'Y' || ch == 'n' || ch == 'N' || ch == 27 || ch == 'q') ui.dialog = Dialog::none;
        return true;
    }
    if (ui.dialog == Dialog::planning) return ch != 'q';
    const std::size_t n_migrations = targets.empty() ? 0 : targets[ui.target].migrations.size();
    const std::size_t page = static_cast<std::size_t>(std::max(1, LINES - 5));
    switch (ch) {
        case 'q': return false;
        case '?': ui.dialog = Dialog::help; break;
        case 'r': model.refresh_all(); break;
        case KEY_UP:
        case 'k':
            if (ui.view == View::overview && ui.target > 0)
                --ui.target;
            else if (ui.view == View::target && ui.migration > 0)
                --ui.migration;
            else if (ui.view == View::migration && ui.scroll > 0)
                --ui.scroll;
            break;
        case KEY_DOWN:
        case 'j':
            if (ui.view == View::overview && ui.target + 1 < targets.size())
                ++ui.target;
            else if (ui.view == View::target && ui.migration + 1 < n_migrations)
                ++ui.migration;
            else if (ui.view == View::migration)
                ++ui.scroll;
            break;
        case KEY_NPAGE:
            if (ui.view == View::migration)
                ui.scroll += page;
            else if (ui.view == View::target)
                ui.migration = std::min(ui.migration + page, n_migrations ? n_migrations - 1 : 0);
            break;
        case KEY_PPAGE:
            if (ui.view == View::migration)
                ui.scroll = ui.scroll > page ? ui.scroll - page : 0;
            else if (ui.view == View::target)
                ui.migration = ui.migration > page ? ui.migration - page : 0;
            break;
        case '\n':
        case KEY_ENTER:
        case KEY_RIGHT:
        case 'l':
            if (ui.view == View::overview && !targets.empty() && targets[ui.target].loaded && n_migrations) {
                ui.view = View::target;
                ui.migration = 0;
                for (std::size_t i = 0; i < n_migrations; ++i)  // start at the first migration that is not applied
                    if (targets[ui.target].migrations[i].state != "applied") {
                        ui.migration = i;
                        break;
                    }
            } else if (ui.view == View::target && n_migrations) {
                ui.view = View::migration;
                ui.scroll = 0;
            }
            break;
        case 27:
        case KEY_LEFT:
        case KEY_BACKSPACE:
        case 'h':
            if (ui.view == View::migration)
                ui.view = View::target;
            else if (ui.view == View::target)
                ui.view = View::overview;
            break;
        case 'a':
            if (!targets.empty() && ui.view != View::migration) {
                ui.to_apply = {ui.target};
                ui.dialog = Dialog::planning;
                model.request_preview(ui.to_apply);
            }
            break;
        case 'A':
            ui.to_apply.clear();
            for (std::size_t i = 0; i < targets.size(); ++i) ui.to_apply.push_back(i);
            ui.dialog = Dialog::planning;
            model.request_preview(ui.to_apply);
            break;
        default: break;
    }
    if (ui.view == View::migration) {  // keep the scroll inside the text
        const auto lines = statement_lines(*targets[ui.target].migrations.at(ui.migration).migration,
                                           model.lint(ui.target), targets[ui.target].pending_statements)
                               .size();
        const std::size_t visible = static_cast<std::size_t>(std::max(1, LINES - 4));
        ui.scroll = std::min(ui.scroll, lines > visible ? lines - visible : 0);
    }
    return true;
}

}  // namespace

int run_tui(const std::vector<migrate::TargetConfig>& targets, const migrate::UpOptions& run) {
    if (!::isatty(STDIN_FILENO) || !::isatty(STDOUT_FILENO)) {
        fmt::print(stderr, "migrate tui: needs a terminal; use `migrate status --all` or `migrate plan` in scripts\n");
        return 2;
    }
    std::setlocale(LC_ALL, "");
    auto model_owner = std::make_unique<Model>(targets, run);
    Model& model = *model_owner;
    initscr();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    timeout(100);  // the loop wakes up to show progress and background results
    Ui ui;
    const char* no_color = std::getenv("NO_COLOR");
    ui.color = has_colors() && !(no_color && *no_color);
    if (ui.color) {
        start_color();
        use_default_colors();
        init_pair(ok_pair, COLOR_GREEN, -1);
        init_pair(warn_pair, COLOR_YELLOW, -1);
        init_pair(bad_pair, COLOR_RED, -1);
        init_pair(head_pair, COLOR_CYAN, -1);
    }
    // Ctrl-C (and SIGTERM) quit like `q`: running applies stop between statements, progress recorded.
    std::signal(SIGINT, on_quit_signal);
    std::signal(SIGTERM, on_quit_signal);
    bool redraw = true;
    for (;;) {
        if (quit_requested) break;
        auto targets_now = model.snapshot();
        if (ui.target >= targets_now.size()) ui.target = targets_now.empty() ? 0 : targets_now.size() - 1;
        if (ui.view != View::overview && (targets_now.empty() || targets_now[ui.target].migrations.empty()))
            ui.view = View::overview;
        if (ui.view != View::overview && ui.migration >= targets_now[ui.target].migrations.size())
            ui.migration = targets_now[ui.target].migrations.size() - 1;
        if (ui.dialog == Dialog::planning)
            if (auto p = model.take_preview()) {
                ui.preview = std::move(*p);
                ui.dialog = Dialog::confirm;
                redraw = true;
            }
        if (redraw || model.take_dirty() || model.any_running()) draw(ui, targets_now, model);
        redraw = false;
        const int ch = getch();
        if (ch == ERR) continue;
        redraw = true;
        if (ch == KEY_RESIZE) continue;
        if (!handle(ch, ui, model, targets_now)) break;
    }
    ui.quitting = model.any_running();
    if (ui.quitting) draw(ui, model.snapshot(), model);
    model_owner.reset();  // stops running applies between statements (progress recorded) and waits for them
    endwin();
    return 0;
}

}  // namespace cli::tui
