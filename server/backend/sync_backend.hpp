// The central record behind every route (docs/DESIGN.md §5): the store and its hub, the group
// commit that answers concurrent pushes with one transaction and one fsync, and the server's
// own writes (REST, tracked-link clicks). The transport (http/server.hpp) and the routes
// (api/) reach the store only through this class.
//
// Thread-safety: SyncBackend serialises every use of the store and hub behind one mutex (one
// writer at a time: the acknowledgement of an exchange follows its commit).
#pragma once

#include <array>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/query/people_index.hpp"
#include "core/query/reports.hpp"
#include "core/storage/store.hpp"
#include "server/auth/auth.hpp"
#include "sync/hub.hpp"
#include "sync/protocol.hpp"

namespace liaison::server {

// The most exchanges one group commit takes.
inline constexpr std::size_t kMaxGroupSize = 64;

// The central record: the store and its hub. Exchanges that arrive together are committed
// together (group commit): the first caller to find no commit in progress becomes the leader,
// takes every queued exchange (up to kMaxGroup), applies them in one transaction with one
// fsync, answers them all and hands over; the others wait for their answer. Each exchange
// still gets exactly the results it would get alone (Hub::exchange_batch).
class SyncBackend {
public:
    SyncBackend(core::Store& store, sync::TimeSource& time) : store_(store), hub_(store, time) {}

    // `cached_at`: the accounts version a principal kept by the Authenticator was read at
    // (Principal::cached_at), or empty. The group checks it first, in one statement for all its
    // exchanges; an exchange whose version no longer holds is not applied, and `*stale` is set
    // (its caller reads the token again and retries, docs/SCALING.md §3).
    Result<sync::PushReply> exchange(const sync::DeviceContext& device,
                                     const sync::PushRequest& request,
                                     std::string_view cached_at = {}, bool* stale = nullptr);
    Result<std::string> state_hash();
    // Binds the replica id to the caller's user and device on its first sync and refuses
    // (kForbidden) a replica id bound to another: operations are deduplicated by stamp (R1),
    // so a push under another device's replica id could make its later operations look like
    // duplicates. Owners are cached: a binding never changes.
    Status check_replica(const Principal& who, const core::Id128& replica);

    // Reads the store under the store mutex: f(store) runs while no exchange or write does.
    template <typename F>
    auto read(F&& f) {
        std::lock_guard<std::mutex> lock(mu_);
        return f(store_);
    }
    // The server's own writes (REST, tracked-link clicks): `make(store)` builds unstamped
    // operations (it may read the store, e.g. the dots a removal observes); they are stamped
    // with the hub's clock and the server's replica id and applied through Hub::apply_one as
    // `device` (role, scope and validation checked like a device's push), in one transaction:
    // if one is rejected none is kept and its rejection is returned (kErased when it named an
    // erased entity). The devices receive them on their next pull. Their actor is the caller's
    // staff member (`device.staff`) when it has exactly one, else nil (docs/SYNC.md A1).
    using OpBuilder = std::function<Result<std::vector<sync::Op>>(core::Store&)>;
    Status submit(const sync::DeviceContext& device, const OpBuilder& make);

    struct Stats {
        sync::ExchangeStats ops;      // per-operation outcomes since start (demo data included)
        std::uint64_t exchanges = 0;  // exchanges answered since start
        std::int64_t last_seq = 0;    // the central record's sequence (the newest cursor)
        std::int64_t db_bytes = 0;    // page_count * page_size of the database file
        // Group commits by size: commits_by_size[n] = commits that held n exchanges.
        std::array<std::uint64_t, kMaxGroupSize + 1> commits_by_size{};
    };
    Stats stats();
    // The central directory's index (core/query/people_index.hpp): use it only inside read(),
    // after catch_up(store). Built when the server starts (main.cpp), so the first directory
    // request does not wait for it.
    core::PeopleIndex& people() { return people_; }
    // What the reports keep between runs (core::ReportCache): use it only inside read(), with
    // run_report. Built by the first report that needs it, then caught up by each.
    core::ReportCache& reports() { return reports_; }
    // For single-threaded setup before serving (demo data). Requires: not serving yet.
    sync::Hub& hub() { return hub_; }
    core::Store& store() { return store_; }

    static constexpr std::size_t kMaxGroup = kMaxGroupSize;

private:
    struct Waiting;
    std::mutex mu_;  // guards the store and hub
    core::Store& store_;
    sync::Hub hub_;
    std::uint64_t exchanges_ = 0;
    std::array<std::uint64_t, kMaxGroupSize + 1> commits_by_size_{};
    core::Id128 replica_;        // the server's replica id, once read (submit)
    core::PeopleIndex people_;   // guarded by mu_
    core::ReportCache reports_;  // guarded by mu_
    // Replica owners seen so far. Their own lock: every push reads this, and taking the store's
    // lock for it would queue each request behind the commit in progress (group commit works
    // only if requests keep joining the queue while a commit runs). mu_ is taken first, if
    // both are ever held.
    std::mutex owners_mu_;
    std::unordered_map<core::Id128, std::pair<std::int64_t, std::string>, core::Id128Hash> owners_;
    // Guards queue_, leading_ and each waiting exchange's reply. Each waits on its own
    // condition, woken when its reply is set or when it is first in the queue as a group ends
    // (to lead the next): one condition for all woke every waiting thread at each commit.
    std::mutex queue_mu_;
    std::vector<Waiting*> queue_;
    bool leading_ = false;
};

// The id stamped on the server's own operations (REST writes, clicks, the demo data): made
// once, kept in `meta`.
Result<core::Id128> server_replica_id(core::Store& store);

}  // namespace liaison::server
