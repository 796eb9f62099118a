// A transaction as a scope: begun when constructed, rolled back when destroyed unless committed. A failed
// rollback is ignored: it fails when the connection is gone, and the server then rolls the transaction back
// itself. Internal.
#pragma once

#include "connection.hpp"

#include <migrate/error.hpp>

namespace migrate::connect {

class Transaction {
  public:
    explicit Transaction(Connection& conn) : conn_(conn) { conn_.execute("begin"); }
    ~Transaction() {
        if (committed_) return;
        try {
            conn_.execute("rollback");
        } catch (const error&) {}
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit() {
        conn_.execute("commit");
        committed_ = true;
    }

  private:
    Connection& conn_;
    bool committed_ = false;
};

}  // namespace migrate::connect
