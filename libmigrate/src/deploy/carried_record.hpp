// What a deploy request carries, kept in its own notes as one machine-readable line, e.g.
//
//   libmigrate-carries: keyspace=oi_policies batch=migrate-oi-policies-0007-3-a1b2c3 1700000000007#0-2
//   1700000000008#0-0
//
// (statements first..last, 0-based, of the migration whose journal `when` is given). PlanetScale keeps the
// notes with the deploy request for good, so any later run, from any machine, can tell which of the
// database's deploy requests are this keyspace's, which batch each one is (a rerun finds its own on a
// shared branch), and which migrations a revert takes back. Internal.
#pragma once

#include "../plan/table_facts.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace migrate::deploy {

struct CarriedRecord {
    struct Statements {
        std::int64_t when = 0;  // the migration (its journal `when`, as the tracking table records it)
        std::size_t first = 0;  // its statements first..last go through the deploy request
        std::size_t last = 0;
    };
    std::string keyspace;
    std::string batch;  // the batch's deterministic name (its branch's, when it has a branch of its own)
    std::vector<Statements> statements;  // in run order, one entry per migration
};

// The record of `statements` (in run order); statements of one migration are consecutive in a batch.
CarriedRecord carried_record(const std::string& keyspace, const std::string& batch,
                             const std::vector<plan::StatementRef>& statements);

// The record as its notes line (no newline).
std::string notes_line(const CarriedRecord& r);

// The record a deploy request's notes hold; nullopt when they hold none (not libmigrate's, or edited).
std::optional<CarriedRecord> read_carried_record(const std::string& notes);

}  // namespace migrate::deploy
