// The cost of the statements a run holds (docs/online-ddl.md): the tables they change, read from
// information_schema once per plan (sizes, columns, indexes: three queries whatever the number of
// statements), each statement's algorithm from ddl_cost, and the refusal of copies above a size. Internal.
#pragma once

#include "ddl_cost.hpp"

#include "../connect/connection.hpp"

#include <migrate/online_ddl.hpp>
#include <migrate/source.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace migrate::plan {

// One statement of a run, in run order.
struct StatementRef {
    const Migration* migration = nullptr;
    std::size_t index = 0;
};

// What the server says about the tables: by lower-case name.
struct TableFacts {
    Flavor flavor = Flavor::mysql;
    ServerTraits traits{};
    std::map<std::string, TableSize> sizes;
    std::map<std::string, LiveTable> tables;
};

// Reads sizes, columns and indexes of `tables` (names as the statements write them) in the current database.
TableFacts read_table_facts(connect::Connection& conn, const std::vector<std::string>& tables);

// Each statement's cost in run order, as the server would see it when the statement runs: a table that an
// earlier statement of the run creates (or renames into place) has no size and no live definition.
std::vector<StatementCost> cost_statements(const std::vector<StatementRef>& statements, const TableFacts& facts);

// Connects the two: the tables the statements name, their facts, the costs.
std::vector<StatementCost> cost_statements(connect::Connection& conn, const std::vector<StatementRef>& statements);

// Throws table_copy_too_large, naming file, line, table, size, limit and the ways out, for the first
// statement that rebuilds or copies a table of more than `limit` bytes.
void refuse_large_copies(const std::vector<StatementRef>& statements, const std::vector<StatementCost>& costs,
                         std::uint64_t limit);

}  // namespace migrate::plan
