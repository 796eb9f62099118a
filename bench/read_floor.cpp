// The floor of a no-op start's folder work: every migration file of DIR read and SHA-256 hashed once,
// one thread, nothing else (no journal, no split, no database) — the least a tool that refuses edited
// migrations must do. bench/scaling times it next to `migrate status`.
//   bench-read-floor DIR   (prints the number of files and bytes)
#include <openssl/evp.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: bench-read-floor DIR\n");
        return 2;
    }
    DIR* listing = opendir(argv[1]);
    if (!listing) {
        std::perror(argv[1]);
        return 1;
    }
    const int dir_fd = dirfd(listing);
    std::string buffer;
    std::size_t files = 0, bytes = 0;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    while (const dirent* entry = readdir(listing)) {
        const std::string_view name = entry->d_name;
        if (name.size() < 5 || name.substr(name.size() - 4) != ".sql") continue;
        const int fd = openat(dir_fd, entry->d_name, O_RDONLY | O_CLOEXEC);
        struct stat st {};
        if (fd < 0 || fstat(fd, &st) != 0) {
            std::perror(entry->d_name);
            return 1;
        }
        buffer.resize(static_cast<std::size_t>(st.st_size));
        const ssize_t n = read(fd, buffer.data(), buffer.size());
        close(fd);
        if (n != st.st_size || EVP_Digest(buffer.data(), buffer.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
            std::fprintf(stderr, "%s: short read or hash failure\n", entry->d_name);
            return 1;
        }
        ++files;
        bytes += buffer.size();
    }
    closedir(listing);
    std::printf("%zu files, %zu bytes\n", files, bytes);
    return 0;
}
