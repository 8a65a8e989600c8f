// The sync route's handler in process, without a socket (server/api/sync.hpp).
#include <catch2/catch.hpp>

#include "server/admin/accounts.hpp"
#include "server/api/json.hpp"
#include "server/api/sync.hpp"
#include "server_store.hpp"
#include "support/harness.hpp"
#include "sync/codec.hpp"

namespace liaison::test::server_http {
TEST_CASE("the sync handler answers in the request's encoding and errors as JSON",
          "[server][http]") {
    TempDir dir;
    auto store = server_store(dir.file("s.db"));
    sync::ManualTimeSource time(1'800'000'000'000ULL);
    server::SyncBackend backend(*store, time);
    server::Principal central;
    central.role = sync::Role::kCentral;
    central.scope = sync::Scope::everything();
    sync::PushRequest req;

    auto bin =
        server::handle_sync(backend, central, "application/x-liaison", sync::encode_request(req));
    CHECK(bin.status == 200);
    CHECK(bin.content_type == "application/x-liaison");
    CHECK(sync::decode_reply(bin.body).is_ok());
    auto json = server::handle_sync(backend, central, "Application/JSON; charset=utf-8",
                                    sync::request_to_json(req));
    CHECK(json.status == 200);
    CHECK(json.content_type == "application/json");
    CHECK(sync::reply_from_json(json.body).is_ok());

    // Operations without a replica id to bind them to are refused whole.
    sync::PushRequest anonymous;
    anonymous.ops.push_back(sync::Op{});
    auto unbound = server::handle_sync(backend, central, "application/x-liaison",
                                       sync::encode_request(anonymous));
    CHECK(unbound.status == 400);
    CHECK(unbound.body.find("\"invalid_argument\"") != std::string::npos);

    auto wrong = server::handle_sync(backend, central, "text/plain", "");
    CHECK(wrong.status == 415);
    CHECK(wrong.body.rfind("{\"error\":{\"code\":\"unsupported_media_type\"", 0) == 0);
    req.protocol = sync::kProtocolVersion + 1;  // a protocol this build does not speak yet
    auto future =
        server::handle_sync(backend, central, "application/x-liaison", sync::encode_request(req));
    CHECK(future.status == 400);
    CHECK(future.body.find("\"unsupported_version\"") != std::string::npos);
    CHECK(server::json_error("x", "say \"hi\"\n") ==
          "{\"error\":{\"code\":\"x\",\"message\":\"say \\\"hi\\\"\\n\"}}");
}

}  // namespace liaison::test::server_http
