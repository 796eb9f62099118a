// The server side of the probe: the session settings that decide how names and statements read
// (database(), lower_case_table_names, sql_mode, MariaDB or MySQL, explicit_defaults_for_timestamp), the
// information_schema lookups (Catalog), and deciding a parsed statement against them. Reads only;
// throws only migrate::error from the connection. Internal, not exported.
#pragma once

#include "ddl_claims.hpp"

#include "../../connect/connection.hpp"
#include "../statement_probe.hpp"

#include <string>
#include <utility>

namespace migrate::run::probe {

struct Session {
    std::string database;
    bool exact_table_names = true;  // lower_case_table_names = 0
    bool mariadb = false;
    bool explicit_timestamps = true;
    sql::Options options;  // from sql_mode: how the server reads the statement
};

Session read_session(connect::Connection& conn);

enum class Verdict { holds, fails, unknown };
struct Finding {
    Verdict verdict;
    std::string reason;
};

class Catalog {
  public:
    Catalog(connect::Connection& conn, Session session) : conn_(conn), s_(std::move(session)) {}

    const Session& session() const { return s_; }

    bool exists(Object object, const Name& table, const std::string& name);

    Finding check(const Expect& e);
    Finding check(const DefinitionCheck& d);

  private:
    std::string schema(const Name& n) const;

    // information_schema compares names case-insensitively; table names are case-sensitive when
    // lower_case_table_names = 0, so rows are filtered on their first column, the table name.
    bool any_row(const std::string& query, const Name& table);

    connect::Connection& conn_;
    Session s_;
};

// Whether the statement `p` describes has taken effect, as the catalog shows it.
ProbeResult decide(Parsed p, Catalog& catalog);

}  // namespace migrate::run::probe
