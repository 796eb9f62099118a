// What a recorded DDL statement does, as far as a deploy needs to know: which tables it touches
// and how (for the operations list, the pre-deploy snapshot and the revert), and whether it is an
// instant ADD COLUMN. A tokenizer-lite, not a SQL parser: names are read, bodies are not.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gateway::management {

enum class DdlKind {
    create_table,
    alter_table,
    drop_table,
    rename_table,
    truncate_table,
    create_index,
    drop_index,
    other
};

struct DdlStatement {
    DdlKind kind = DdlKind::other;
    std::vector<std::string> tables;  // unqualified names; RENAME: from, to, from, to, …
    bool add_column_only = false;     // ALTER TABLE whose every clause is ADD [COLUMN]
};

DdlStatement parse_ddl(std::string_view sql);

}  // namespace gateway::management
