// A statement's rows, one at a time: the loop the server tables' reads share (accounts.cpp,
// retention_runs.cpp).
//
// Thread-safety: as the Statement.
#pragma once

#include "core/storage/sqlite.hpp"
#include "core/util/status.hpp"

namespace liaison::core {

// Steps `st` to the end, handing each row to `row`; a failed step is kStorage with SQLite's
// detail.
template <typename F>
Status each_row(Statement& st, F&& row) {
    for (;;) {
        auto step = st.step();
        if (step == Statement::Step::kError) return Status::storage(st.error());
        if (step == Statement::Step::kDone) return Status::ok();
        row(st);
    }
}

}  // namespace liaison::core
