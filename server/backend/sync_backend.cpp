#include "server/backend/sync_backend.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "core/model/ids.hpp"
#include "server/admin/accounts.hpp"
#include "server/admin/server_clock.hpp"

namespace liaison::server {
namespace {

constexpr const char* kReplicaKey = "server_replica_id";

}  // namespace

Result<core::Id128> server_replica_id(core::Store& store) {
    if (auto v = store.meta_get(kReplicaKey)) {
        if (auto id = core::Id128::from_text(*v)) return *id;
        return Status(Code::kStorage, "meta " + std::string(kReplicaKey) + ": not an id");
    }
    core::Id128 id = core::make_random_id_source()->next_replica_id();
    LIAISON_TRY(store.meta_set(kReplicaKey, id.to_text()));
    return id;
}

struct SyncBackend::Waiting {
    const sync::DeviceContext* device;
    const sync::PushRequest* request;
    std::string_view cached_at;
    std::optional<Result<sync::PushReply>> reply;
    std::condition_variable wake;
    bool stale = false;
};

Result<sync::PushReply> SyncBackend::exchange(const sync::DeviceContext& device,
                                              const sync::PushRequest& request,
                                              std::string_view cached_at, bool* stale) {
    Waiting me{&device, &request, cached_at, std::nullopt, {}};
    std::unique_lock<std::mutex> lk(queue_mu_);
    queue_.push_back(&me);
    while (!me.reply) {
        if (leading_) {
            me.wake.wait(lk);
            continue;
        }
        // Lead: take what is queued (this exchange included, or earlier ones first).
        leading_ = true;
        std::size_t n = std::min(queue_.size(), kMaxGroup);
        std::vector<Waiting*> group(queue_.begin(), queue_.begin() + std::ptrdiff_t(n));
        const std::size_t group_size = n;
        queue_.erase(queue_.begin(), queue_.begin() + std::ptrdiff_t(n));
        lk.unlock();
        std::vector<sync::Hub::Pending> batch;
        batch.reserve(group.size());
        std::vector<Result<sync::PushReply>> replies;
        {
            std::lock_guard<std::mutex> store_lock(mu_);
            // Kept grants: the accounts version they were read at must still hold.
            std::optional<Result<std::string>> now;
            for (auto* w : group) {
                if (!w->cached_at.empty()) {
                    if (!now) now = core::accounts_version(store_);
                    w->stale = !now->is_ok() || now->value() != w->cached_at;
                }
                if (!w->stale) batch.push_back({w->device, w->request});
            }
            if (!batch.empty()) replies = hub_.exchange_batch(batch);
            for (const auto& r : replies) exchanges_ += r.is_ok() ? 1 : 0;
            ++commits_by_size_[std::min(group_size, kMaxGroupSize)];
        }
        lk.lock();
        for (std::size_t i = 0, next = 0; i < group.size(); ++i) {
            if (group[i]->stale)
                group[i]->reply.emplace(
                    Status(Code::kConflict, "what the token grants has changed: read it again"));
            else
                group[i]->reply.emplace(std::move(replies[next++]));
            if (group[i] != &me) group[i]->wake.notify_one();
        }
        leading_ = false;
        if (!queue_.empty()) queue_.front()->wake.notify_one();  // it leads the next group
    }
    if (stale) *stale = me.stale;
    return std::move(*me.reply);
}

SyncBackend::Stats SyncBackend::stats() {
    std::lock_guard<std::mutex> lock(mu_);
    Stats st;
    st.ops = hub_.totals();
    st.exchanges = exchanges_;
    st.last_seq = store_.last_seq();
    st.db_bytes = store_.file_bytes();
    st.commits_by_size = commits_by_size_;
    return st;
}

Status SyncBackend::submit(const sync::DeviceContext& device, const OpBuilder& make) {
    std::lock_guard<std::mutex> lock(mu_);
    if (replica_.is_nil()) {
        auto id = server_replica_id(store_);  // made once, outside the write below
        if (!id) return id.status();
        replica_ = id.value();
    }
    core::WriteTxn txn(store_);
    LIAISON_TRY(txn.begun());
    // Servers sharing one PostgreSQL database share this replica id: under the writer lock,
    // the clock first passes the last stamp any of them gave, so no two stamps are equal
    // (docs/SCALING.md §3). One cached read; on SQLite this process wrote it itself.
    resume_server_clock(store_, hub_.clock());
    auto ops = make(store_);
    if (!ops) return ops.status();
    // Who acted (docs/SYNC.md "Authorisation", A1): the caller's staff member when the user is
    // linked to exactly one; with several the server cannot tell which, and names none.
    const core::Id128 actor = device.staff.size() == 1 ? device.staff.front() : core::Id128{};
    for (auto& op : ops.value()) {
        op.id = core::Stamp{hub_.clock().send(), replica_};
        op.actor = actor;
        const auto what = std::string(core::kind_name(op.kind)) + " " + op.entity.to_text();
        auto r = hub_.apply_one(device, std::move(op));
        if (r.outcome == sync::Outcome::kRejected) return Status(r.code, r.detail);  // rolls back
        if (r.outcome == sync::Outcome::kErased) return Status(Code::kErased, what + " was erased");
    }
    // The server's clock resumes from here after a crash, as after a clean stop (main.cpp).
    LIAISON_TRY(record_server_clock(store_, hub_.clock()));
    return txn.commit();
}

Status SyncBackend::check_replica(const Principal& who, const core::Id128& replica) {
    std::pair<std::int64_t, std::string> owner;
    bool known = false;
    {
        std::lock_guard<std::mutex> lock(owners_mu_);
        auto it = owners_.find(replica);
        if (it != owners_.end()) {
            owner = it->second;
            known = true;
        }
    }
    if (!known) {
        // First push under this id since the server started: the table decides (the first
        // user and device bound stay bound), under the store's lock.
        std::lock_guard<std::mutex> store_lock(mu_);
        auto bound = bind_replica(store_, replica, ReplicaOwner{who.user, who.device});
        if (!bound) return bound.status();
        owner = {bound->user, bound->device};
        std::lock_guard<std::mutex> lock(owners_mu_);
        owners_.emplace(replica, owner);
    }
    if (owner.first != who.user || owner.second != who.device)
        return {Code::kForbidden, "replica " + replica.to_text() + " belongs to another device"};
    return Status::ok();
}

Result<std::string> SyncBackend::state_hash() {
    std::lock_guard<std::mutex> lock(mu_);
    return store_.state_hash();
}

}  // namespace liaison::server
