// The one façade of the browser host over liaison_sync and liaison_core: what the worker
// (web/host/worker.js) calls, method by method, to serve the client API of web/README.md.
//
// Every JSON method takes a JSON object and returns a JSON envelope:
//   {"ok":true,"value":<value>}   or   {"ok":false,"code":"<code name>","message":"<plain words>"}
// and, when a value was refused by validation (required, too_long, bad_format, unknown_value,
// invalid_argument), "field":"<field or set name>" too, so the app can say it next to the field
// in the user's language; the message stays the core's, in English, for logs and tools.
// with the core's stable code names (core/util/status.hpp). No exception leaves a method:
// each call is guarded (cereal and the standard library may throw; we catch at this edge).
// The embind glue (bindings.cpp) only converts bytes and strings; the logic is here.
//
// The database is one SQLite file in Emscripten's memory file system, behind the chunk VFS
// (chunk_vfs.hpp); the worker persists the dirty chunks after every call that wrote.
//
// Thread-safety: one thread (the worker).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/model/ids.hpp"
#include "sync/hlc.hpp"
#include "sync/replica.hpp"

namespace liaison::web {

// The browser's clock (Date.now()).
class BrowserTimeSource final : public sync::TimeSource {
public:
    std::uint64_t now_ms() override;
};

// Defaults stamped onto entries this device logs (the signed-in user's place).
struct DeviceContext {
    std::optional<std::string> staff, store, region, brand;  // entity ids as text
};

class Facade {
public:
    Facade();
    ~Facade();

    // Dispatches a JSON method (see web/README.md and the table in facade.cpp). Never throws.
    std::string call(std::string_view method, std::string_view args_json);

    // The next push (outbox in order, cursor) encoded with the binary codec; `ops` says how
    // many operations it carries. Never throws.
    struct Push {
        std::string envelope;  // error envelope, or empty when ok
        std::string bytes;
        std::size_t ops = 0;
    };
    Push make_push(std::size_t max_ops, std::uint32_t page_limit);
    // A pull with no operations from `cursor`: the next page of a sync, fetched while the
    // page before it is still being applied (read_reply gave its cursor). Never throws.
    Push make_pull(std::int64_t cursor, std::uint32_t page_limit);
    // Decodes an encoded PushReply and keeps it for apply_read; nothing is applied yet.
    // Value: {results, hasMore, cursor} (cursor: the one to pull from after this page).
    std::string read_reply(std::string_view bytes);
    // Applies the reply read_reply kept (value as apply_reply's); an error if there is none.
    std::string apply_read();
    // Applies an encoded PushReply. Value: {acknowledged, rejected, retry, changes, hasMore,
    // cursor, pending, erased, rejections:[{op, code, message}]}.
    std::string apply_reply(std::string_view bytes);
    // The same, for a reply in the JSON encoding (tools and tests).
    std::string apply_reply_json(std::string_view json);
    // A PushRequest's bytes as JSON (tests and diagnostics).
    std::string request_json(std::string_view bytes);

    bool is_open() const { return replica_ != nullptr; }
    const std::string& path() const { return path_; }

private:
    std::string dispatch(std::string_view method, std::string_view args);
    std::string apply_decoded(Result<sync::PushReply> reply);
    Push guarded_push(const std::function<Result<sync::PushRequest>()>& make);

    BrowserTimeSource time_;
    std::unique_ptr<core::IdSource> ids_;
    std::unique_ptr<sync::Replica> replica_;
    std::string path_;
    DeviceContext context_;
    std::optional<sync::PushReply> read_;  // read_reply's, until apply_read

    friend struct Methods;
};

// Envelopes.
std::string ok_envelope(std::string_view value_json);
std::string error_envelope(const Status& s);

}  // namespace liaison::web
