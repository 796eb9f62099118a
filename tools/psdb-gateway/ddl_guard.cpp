// A tokenizer-lite: just enough to find the first two keywords of a statement.
#include "ddl_guard.hpp"

#include <cctype>
#include <string>

namespace gateway {

namespace {

bool word_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || c == '_' || c == '$' || u >= 0x80;
}

class Scanner {
  public:
    explicit Scanner(std::string_view s) : s_(s) {}

    // The next word (upper-cased), or "" when the next token is not a word or the text ends.
    std::string next_word() {
        skip_space_and_comments();
        std::string w;
        while (p_ < s_.size() && word_char(s_[p_]))
            w.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(s_[p_++]))));
        return w;
    }

  private:
    void skip_space_and_comments() {
        while (p_ < s_.size()) {
            const char c = s_[p_];
            if (std::isspace(static_cast<unsigned char>(c))) {
                ++p_;
            } else if (c == '#' || (c == '-' && at("--") && (p_ + 2 == s_.size() || is_space_or_control(s_[p_ + 2])))) {
                skip_line();
            } else if (at("/*!") || at("/*M!")) {
                // Executable comment: its content is code. Skip the marker and the optional version.
                p_ += at("/*!") ? 3 : 4;
                while (p_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[p_]))) ++p_;
                ++open_executable_;
            } else if (at("/*")) {
                const auto end = s_.find("*/", p_ + 2);
                p_ = end == std::string_view::npos ? s_.size() : end + 2;
            } else if (open_executable_ > 0 && at("*/")) {
                p_ += 2;
                --open_executable_;
            } else {
                return;
            }
        }
    }
    bool at(std::string_view t) const { return s_.substr(p_, t.size()) == t; }
    static bool is_space_or_control(char c) { return static_cast<unsigned char>(c) <= ' '; }
    void skip_line() {
        const auto end = s_.find('\n', p_);
        p_ = end == std::string_view::npos ? s_.size() : end + 1;
    }

    std::string_view s_;
    std::size_t p_ = 0;
    int open_executable_ = 0;
};

}  // namespace

bool is_direct_ddl(std::string_view sql) {
    Scanner sc(sql);
    const std::string first = sc.next_word();
    if (first == "ALTER" || first == "RENAME" || first == "TRUNCATE") return true;
    if (first == "DROP") return sc.next_word() != "TEMPORARY";
    if (first == "CREATE") {
        std::string second = sc.next_word();
        if (second == "OR") {  // MariaDB: CREATE OR REPLACE [TEMPORARY] TABLE
            sc.next_word();    // REPLACE
            second = sc.next_word();
        }
        return second != "TEMPORARY";
    }
    return false;
}

}  // namespace gateway
