// Fuzz target: the server's sync request handler (server::handle_sync) and the REST handler
// (server::handle_rest), as the gate hands them a request: the first input byte picks the
// handler, the content type, the method and the caller's role; for REST the first line of the
// rest is the path and query, the remainder the body; for sync all of it is the body. Whatever
// arrives, the answer is a 2xx (sync: in the request's encoding) or a 4xx JSON error body —
// never a crash, a sanitizer report or a 5xx (which would mean our fault).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "server/admin/accounts.hpp"
#include "server/api/rest.hpp"
#include "server/api/sync.hpp"
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
    if (data[0] & 8) {
        static const char* kMethods[] = {"GET", "POST", "PATCH", "DELETE"};
        server::RestRequest req;
        req.method = kMethods[(data[0] >> 4) & 3];
        const auto nl = body.find('\n');
        std::string_view target = body.substr(0, nl);
        req.body = nl == std::string_view::npos ? "" : std::string(body.substr(nl + 1));
        const auto q = target.find('?');
        req.path = "/api/v1/" + std::string(target.substr(0, q));
        if (q != std::string_view::npos) {
            std::string_view query = target.substr(q + 1);
            while (!query.empty()) {
                auto amp = query.find('&');
                std::string_view kv = query.substr(0, amp);
                auto eq = kv.find('=');
                req.params.emplace(
                    std::string(kv.substr(0, eq)),
                    eq == std::string_view::npos ? "" : std::string(kv.substr(eq + 1)));
                query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
            }
        }
        req.content_type = (data[0] & 64) ? "text/plain" : "application/json";
        server::HttpReply rest = server::handle_rest(*world.backend, who, req);
        check(rest.status < 500);
        check(rest.content_type == "application/json");
        if (rest.status >= 400)
            check(std::string_view(rest.body).substr(0, 18) == "{\"error\":{\"code\":\"");
        return 0;
    }
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
