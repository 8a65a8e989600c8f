#include "server/api/erase.hpp"

#include <string>
#include <vector>

#include "server/admin/accounts.hpp"
#include "server/api/admin.hpp"
#include "server/api/rest.hpp"
#include "sync/op.hpp"

namespace liaison::server {

Result<core::Id128> erase_influencer(SyncBackend& backend, const Principal& who,
                                     const core::Id128& id, std::string_view action,
                                     std::string_view note, const EraseCheck& check) {
    core::Id128 root = id;
    Status s = backend.submit(
        device_context(who, {}), [&](core::Store& store) -> Result<std::vector<sync::Op>> {
            auto row = must_see(store, who, core::Kind::kInfluencer, id);
            if (!row) return row.status();
            if (check) {
                LIAISON_TRY(check(store, row.value()));
            }
            root = row->id;
            return std::vector<sync::Op>{
                sync::unstamped_op(sync::OpType::kErase, core::Kind::kInfluencer, row->id)};
        });
    if (!s) return s;
    std::string subject = root.to_text();
    if (!note.empty()) {
        subject += ' ';
        subject += note;
    }
    LIAISON_TRY(backend.read(
        [&](core::Store& store) { return audit(store, user_actor(who), action, subject); }));
    return root;
}

}  // namespace liaison::server
