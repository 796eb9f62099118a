#include "stdout_guard.hpp"

#include <unistd.h>
#include <atomic>
#include <cerrno>
#include <cstdio>

namespace cli {
namespace {

std::atomic<bool> closed{false};
ClosedStdout on_closed = ClosedStdout::untouched;

// glibc cookie stream: stdout's bytes go to fd 1 until the reader closes the pipe.
ssize_t write_to_fd1(void*, const char* bytes, std::size_t size) {
    std::size_t done = 0;
    while (!closed && done < size) {
        const ssize_t n = ::write(STDOUT_FILENO, bytes + done, size - done);
        if (n >= 0) {
            done += static_cast<std::size_t>(n);
        } else if (errno == EPIPE) {
            closed = true;
            if (on_closed == ClosedStdout::stop_quietly) ::_exit(0);  // nothing half-done: stop silently
        } else if (errno != EINTR) {
            return -1;  // a real write error (disk full) still surfaces as one
        }
    }
    return static_cast<ssize_t>(size);  // after EPIPE: dropped, as if written, so the run goes on
}

}  // namespace

void guard_stdout(ClosedStdout policy) {
    on_closed = policy;
    if (policy == ClosedStdout::untouched) return;
    const bool terminal = ::isatty(STDOUT_FILENO);
    std::FILE* guarded =
        ::fopencookie(nullptr, "w", {.read = nullptr, .write = write_to_fd1, .seek = nullptr, .close = nullptr});
    if (!guarded) return;
    std::fflush(stdout);
    // The buffering stdout itself would have: by line on a terminal, in blocks into a pipe or file.
    std::setvbuf(guarded, nullptr, terminal ? _IOLBF : _IOFBF, BUFSIZ);
    stdout = guarded;
}

bool stdout_closed() { return closed; }

}  // namespace cli
