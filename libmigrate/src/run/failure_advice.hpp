// What to do about a statement the server rejected, when its error says the cause: the fix named in the
// message instead of a generic "fix the cause and run again".
#pragma once

#include <migrate/error.hpp>
#include <migrate/source.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace migrate::run {

// The advice for statement `index` of `m` rejected with `e` (its errno decides), or nullopt when the
// error does not tell the cause.
std::optional<std::string> failure_advice(const error& e, const Migration& m, std::size_t index);

// The same as data (error_context::fix), for front ends to word: resolve_applied for a name that already
// exists, none otherwise.
remedy failure_remedy(const error& e);

// The advice for one of libmigrate's own statements refused before any migration statement ran (creating
// the tracking or progress table): a missing privilege or a read-only server; nullopt otherwise.
std::optional<std::string> setup_failure_advice(const error& e);

}  // namespace migrate::run
