// Fuzz target: the server's sync request handler (server::handle_sync), as the gate hands it a
// request: the first input byte picks the content type and the caller's role, the rest is the
// body. Whatever arrives, the answer is a 2xx in the request's encoding or a 4xx JSON error
// body — never a crash, a sanitizer report or a 5xx (which would mean our fault).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "server/admin.hpp"
#include "server/http.hpp"
#include "sync/codec.hpp"

namespace {

using namespace liaison;  // a fuzz target is a leaf translation unit

void check(bool ok) {
    if (!ok) std::abort();
}

struct World {
    sync::ManualTimeSource time{1'800'000'000'000ULL};
    std::unique_ptr<core::Store> store;
    std::unique_ptr<server::SyncBackend> backend;
    server::Principal central, store_user;
    World() {
        auto s = core::Store::open(":memory:", {});
        check(s.is_ok());
        store = std::move(s).value();
        check(server::ensure_server_schema(*store).is_ok());
        backend = std::make_unique<server::SyncBackend>(*store, time);
        central.role = sync::Role::kCentral;
        central.scope = sync::Scope::everything();
        store_user.role = sync::Role::kStore;
        store_user.scope.stores = {"01HF7YDDMSHF1CXZT7YPTXBT7X"};
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World world;
    if (size == 0) return 0;
    static const char* kTypes[] = {"application/x-liaison", "application/json", "text/plain",
                                   "application/json; charset=utf-8"};
    const std::string_view type = kTypes[data[0] & 3];
    const server::Principal& who = (data[0] & 4) ? world.store_user : world.central;
    std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    server::HttpReply reply = server::handle_sync(*world.backend, who, type, body);
    check(reply.status < 500);
    if (reply.status == 200) {
        if (reply.content_type == "application/x-liaison")
            check(sync::decode_reply(reply.body).is_ok());
        else
            check(sync::reply_from_json(reply.body).is_ok());
    } else {
        check(reply.content_type == "application/json");
        check(std::string_view(reply.body).substr(0, 18) == "{\"error\":{\"code\":\"");
    }
    return 0;
}
