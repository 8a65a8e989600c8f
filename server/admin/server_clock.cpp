#include "server/admin/server_clock.hpp"

#include <cstdlib>
#include <string>

namespace liaison::server {

namespace {
constexpr const char* kServerClock = "server_clock";
}  // namespace

void resume_server_clock(core::Store& store, sync::HybridClock& clock) {
    if (auto last = store.meta_get(kServerClock))
        clock.receive(std::strtoull(last->c_str(), nullptr, 10));
}

Status record_server_clock(core::Store& store, const sync::HybridClock& clock) {
    return store.meta_set(kServerClock, std::to_string(clock.state()));
}

Status save_server_clock(core::Store& store, sync::HybridClock& clock) {
    core::WriteTxn txn(store);
    LIAISON_TRY(txn.begun());
    resume_server_clock(store, clock);
    LIAISON_TRY(record_server_clock(store, clock));
    return txn.commit();
}

}  // namespace liaison::server
