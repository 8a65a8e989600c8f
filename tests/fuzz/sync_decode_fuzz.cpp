// Fuzz target: the sync message decoders (binary and JSON) and the hub's handling of whatever
// decodes. Hostile bytes must give an error value, never a crash, a leak or a sanitizer report;
// whatever decodes must re-encode to something that decodes to the same message, and must be
// answered by the hub without breaking its store.
//
// Seed corpus: tests/fuzz/corpus/sync_decode (the golden fixtures, and any input that found a
// bug: keep those, named after what they broke).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "sync/codec.hpp"
#include "sync/hub.hpp"

namespace {

using namespace liaison;  // a fuzz target is a leaf translation unit

void check(bool ok) {
    if (!ok) std::abort();  // a property broke: libFuzzer saves the input
}

struct World {
    sync::ManualTimeSource time{1'700'000'000'000ULL};
    std::unique_ptr<core::Store> store;
    std::unique_ptr<sync::Hub> hub;
    World() {
        auto s = core::Store::open(":memory:", {});
        check(s.is_ok());
        store = std::move(s).value();
        hub = std::make_unique<sync::Hub>(*store, time);
    }
};

void exercise(World& w, const sync::PushRequest& req) {
    // Round trip: what decodes re-encodes to the same bytes' meaning.
    auto again = sync::decode_request(sync::encode_request(req));
    check(again.is_ok());
    check(again.value().ops == req.ops && again.value().cursor == req.cursor);
    // And through the other encoding: JSON carries exactly what binary does (R10; a NUL once
    // cut a JSON text short). Escapes can make the JSON of a large message over the limit.
    const std::string json = sync::request_to_json(req);
    if (json.size() <= sync::kMaxMessageBytes) {
        auto via_json = sync::request_from_json(json);
        check(via_json.is_ok() && via_json.value().ops == req.ops);
    }
    sync::DeviceContext device;
    device.role = sync::Role::kCentral;
    device.scope = sync::Scope::everything();
    auto reply = w.hub->exchange(device, req);
    if (reply.is_ok()) check(reply.value().results.size() == req.ops.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static World world;
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (auto r = sync::decode_request(bytes); r.is_ok()) exercise(world, r.value());
    if (auto r = sync::request_from_json(bytes); r.is_ok()) exercise(world, r.value());
    if (auto r = sync::decode_reply(bytes); r.is_ok()) {
        auto again = sync::decode_reply(sync::encode_reply(r.value()));
        check(again.is_ok() && again.value().results == r.value().results);
    }
    (void)sync::reply_from_json(bytes);
    if (auto r = sync::decode_op(bytes); r.is_ok()) {
        sync::Op op = r.value();
        (void)sync::validate_op(op);
        auto again = sync::decode_op(sync::encode_op(r.value()));
        check(again.is_ok() && again.value() == r.value());
    }
    (void)sync::op_from_json(bytes);
    return 0;
}
