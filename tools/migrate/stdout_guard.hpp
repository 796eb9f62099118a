// When stdout's reader goes away (`migrate plan | head -1`, a pager closed early), writes fail with EPIPE
// (SIGPIPE is ignored in main). What a command does then is decided once, here, instead of at every print.
#pragma once

namespace cli {

enum class ClosedStdout {
    stop_quietly,     // read-only commands: nothing left to do for anyone, exit 0 at once, silently
    finish_silently,  // commands that change a database: a closed pager must never stop a migration
                      // half-way, so they run to the end and their output is dropped
    untouched,        // the TUI draws on the terminal itself
};

// Routes stdout through a stream that applies `policy` on EPIPE. Call before anything is printed.
void guard_stdout(ClosedStdout policy);

// True once stdout's reader went away (finish_silently: later output is dropped).
bool stdout_closed();

}  // namespace cli
