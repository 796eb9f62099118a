#include "folder_reading.hpp"

#include "text_position.hpp"
#include "utf8.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <ctime>
#include <exception>
#include <mutex>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace migrate::source {

namespace {

// open + fstat + read, sized from fstat: every no-op start reads every migration file, and an ifstream
// costs several times the system calls themselves (bench/scaling, perf). A directory or other
// non-regular file reads as missing, like a file that is not there.
std::optional<std::string> read_open_file(int fd) {
    struct FdCloser {
        int fd;
        ~FdCloser() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    // Sized from fstat: a file changing while it is read is not a state we promise anything about.
    std::string out(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t filled = 0;
    while (filled < out.size()) {
        const ssize_t n = ::read(fd, out.data() + filled, out.size() - filled);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::nullopt;
        if (n == 0) break;
        filled += static_cast<std::size_t>(n);
    }
    out.resize(filled);
    return out;
}

}  // namespace

std::optional<std::string> read_file(const std::filesystem::path& path) {
    // O_NONBLOCK: opening a FIFO named like a migration must not wait for a writer (fstat refuses it next).
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return std::nullopt;
    return read_open_file(fd);
}

// A migration whose file is a link out of the folder is refused (docs/safety.md): its text would not travel
// with the journal (a deploy copying the folder loses it or reads whatever that path holds on the machine).
std::optional<std::string> read_migration_file(const std::filesystem::path& folder, const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    if (fd >= 0) return read_open_file(fd);
    if (errno != ELOOP) return std::nullopt;
    std::error_code ec;
    const auto target = std::filesystem::canonical(path, ec);
    if (ec) return std::nullopt;  // a dangling link: missing, like an absent file
    const auto root = std::filesystem::canonical(folder, ec);
    if (ec) return std::nullopt;
    const auto inside = target.lexically_relative(root);
    if (inside.empty() || *inside.begin() == "..") throw LinkOutsideFolder{target, root};
    return read_file(path);
}

void Problems::add(Problem problem) {
    if (!first_code) {
        first_code = problem.code;
        first_context = std::move(problem.context);
    }
    lines.push_back(std::move(problem.line));
}

void Problems::throw_if_any(const std::filesystem::path& dir) {
    if (!first_code) return;
    std::string message = lines.size() == 1
                              ? lines.front()
                              : fmt::format("{} problems in migrations folder {}:", lines.size(), dir.string());
    if (lines.size() > 1)
        for (const auto& l : lines) message += "\n  - " + l;
    throw error(*first_code, message, first_context);
}

std::optional<Problem> load_migration_text(Migration& m, std::string file_bytes) {
    const std::string_view bytes = file_bytes;
    const auto bad = check_utf8(bytes).first_invalid;
    m.hash = bad ? drizzle_hash(bytes) : sha256_hex(bytes);  // drizzle_hash would check the bytes again
    if (bad) {
        auto pos = position_of(bytes, *bad);
        return Problem{
            errc::not_utf8,
            fmt::format("{}:{}:{}: byte 0x{:02X} is not valid UTF-8; drizzle would silently "
                        "replace it with U+FFFD (and record hash {}); save the file as UTF-8",
                        m.file.string(), pos.line, pos.column, static_cast<unsigned char>(bytes[*bad]), m.hash),
            {.file = m.file.string(), .line = pos.line, .tag = m.tag}};
    }
    // The buffer moves into the shared string without being copied; the statements view it.
    m.text = std::make_shared<const std::string>(std::move(file_bytes));
    m.statements = split_statements(*m.text);
    return std::nullopt;
}

namespace {

// Below this many files one thread reads them all: starting threads costs more than it saves.
constexpr std::size_t files_per_thread = 256;

void load_entry(FolderEntry& entry, std::size_t index, const std::function<FolderEntry(std::size_t)>& prepare,
                const ReadFile& read_sql, const std::function<Problem(const Migration&)>& missing) {
    entry = prepare(index);
    if (!entry.migration) return;
    Migration& m = *entry.migration;
    std::optional<std::string> bytes;
    try {
        bytes = read_sql(m.file);
    } catch (const LinkOutsideFolder& link) {
        entry.problem = Problem{errc::migration_outside_folder,
                                fmt::format("{} is a symbolic link to {}, outside the migrations folder {}: its text "
                                            "would not travel with the journal (a deploy that copies the folder "
                                            "loses it, or reads whatever that path holds on the machine). Replace "
                                            "the link with a copy of the file, or use the folder it points into as "
                                            "the migrations folder",
                                            m.file.string(), link.target.string(), link.folder.string()),
                                {.file = m.file.string(), .tag = m.tag}};
        entry.migration.reset();
        return;
    }
    entry.problem = bytes ? load_migration_text(m, std::move(*bytes)) : missing(m);
    if (entry.problem) entry.migration.reset();
}

}  // namespace

void load_entries(std::size_t count, const std::function<FolderEntry(std::size_t)>& prepare, const ReadFile& read_sql,
                  const std::function<Problem(const Migration&)>& missing, std::vector<Migration>& out,
                  Problems& problems) {
    std::vector<FolderEntry> entries(count);
    const std::size_t threads = std::min<std::size_t>(
        {entries.size() / files_per_thread, std::max(1u, std::thread::hardware_concurrency()), 8});
    if (threads <= 1) {
        for (std::size_t i = 0; i < count; ++i) load_entry(entries[i], i, prepare, read_sql, missing);
    } else {
        // Each worker takes the next block of entries; the first exception stops the others and is rethrown.
        constexpr std::size_t block = 64;
        std::atomic<std::size_t> next{0};
        std::atomic<bool> failed{false};
        std::exception_ptr first_failure;
        std::mutex failure_mutex;
        auto work = [&] {
            try {
                for (std::size_t begin; !failed && (begin = next.fetch_add(block)) < entries.size();)
                    for (std::size_t i = begin; i < std::min(begin + block, entries.size()); ++i)
                        load_entry(entries[i], i, prepare, read_sql, missing);
            } catch (...) {
                std::lock_guard lock(failure_mutex);
                if (!first_failure) first_failure = std::current_exception();
                failed = true;
            }
        };
        std::vector<std::thread> helpers;
        helpers.reserve(threads - 1);
        for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
        work();
        for (auto& h : helpers) h.join();
        if (first_failure) std::rethrow_exception(first_failure);
    }
    out.reserve(out.size() + entries.size());
    for (auto& entry : entries) {
        if (entry.problem) problems.add(std::move(*entry.problem));
        if (entry.migration) out.push_back(std::move(*entry.migration));
    }
}

std::string utc_stamp(std::int64_t seconds) {
    const auto t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    return fmt::format("{:04}{:02}{:02}{:02}{:02}{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                       tm.tm_min, tm.tm_sec);
}

}  // namespace migrate::source
