// The embind glue: the façade's methods as a JavaScript class `Core`, bytes as Uint8Array.
// Nothing here decides anything; every function only converts and forwards, and none lets a
// C++ exception through (the façade guards its own calls; the conversions here cannot throw
// past their try blocks).
//
//   const core = new Module.Core();
//   JSON.parse(core.call('open', '{}'))            -> {ok, value:{replicaId, sqlite}}
//   core.makePush(500, 2000)                       -> {ok, value:Uint8Array, ops} | {ok:false,…}
//   JSON.parse(core.applyReply(uint8array))        -> {ok, value:{acknowledged, …}}
//   core.makePull(cursor, 2000)                    -> as makePush, with no operations
//   JSON.parse(core.readReply(uint8array))         -> {ok, value:{results, hasMore, cursor}}
//   JSON.parse(core.applyRead())                   -> as applyReply, for the reply read
//   core.dirtyChunks()                             -> {ok, value:{size, chunks:[{index, bytes}]}}
//   Module.restoreFile(path, size, indexes, chunks) before open: the file from its persisted
//   chunks (chunk i at i * 64 KiB); Module.restoreSize(path, size) sets the size alone
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "web/facade/chunk_vfs.hpp"
#include "web/facade/facade.hpp"

namespace liaison::web {
namespace {

using emscripten::val;

// A copy of the bytes of a Uint8Array (or any array-like of bytes).
std::string bytes_of(const val& array) {
    std::string out(array["length"].as<std::size_t>(), '\0');
    val view(
        emscripten::typed_memory_view(out.size(), reinterpret_cast<std::uint8_t*>(out.data())));
    view.call<void>("set", array);
    return out;
}
// A new Uint8Array holding a copy of `bytes` (a view of wasm memory would change under it).
val uint8_copy(const std::string& bytes) {
    val view(emscripten::typed_memory_view(bytes.size(),
                                           reinterpret_cast<const std::uint8_t*>(bytes.data())));
    return val::global("Uint8Array").new_(view);
}
val error_val(const Status& s) { return val::global("JSON").call<val>("parse", error_envelope(s)); }
val ok_val(val value) {
    val out = val::object();
    out.set("ok", true);
    out.set("value", value);
    return out;
}
bool is_bytes(const val& v) { return v.instanceof (val::global("Uint8Array")); }
// {ok, value: Uint8Array, ops} or the error envelope, parsed.
val push_val(const Facade::Push& p) {
    if (!p.envelope.empty()) return val::global("JSON").call<val>("parse", p.envelope);
    val out = ok_val(uint8_copy(p.bytes));
    out.set("ops", double(p.ops));
    return out;
}

class Core {
public:
    std::string call(const std::string& method, const std::string& args) {
        return facade_.call(method, args);
    }

    val makePush(int max_ops, int page_limit) {
        if (max_ops < 1 || page_limit < 1)
            return error_val(Status::invalid("makePush: limits must be positive"));
        return push_val(facade_.make_push(std::size_t(max_ops), std::uint32_t(page_limit)));
    }
    val makePull(double cursor, int page_limit) {
        if (page_limit < 1)
            return error_val(Status::invalid("makePull: the page limit must be positive"));
        return push_val(facade_.make_pull(std::int64_t(cursor), std::uint32_t(page_limit)));
    }
    std::string readReply(const val& bytes) {
        if (!is_bytes(bytes))
            return error_envelope(Status::invalid("readReply: expected a Uint8Array"));
        return facade_.read_reply(bytes_of(bytes));
    }
    std::string applyRead() { return facade_.apply_read(); }
    std::string applyReply(const val& bytes) {
        if (!is_bytes(bytes))
            return error_envelope(Status::invalid("applyReply: expected a Uint8Array"));
        return facade_.apply_reply(bytes_of(bytes));
    }
    std::string applyReplyJson(const std::string& json) { return facade_.apply_reply_json(json); }
    std::string requestJson(const val& bytes) {
        if (!is_bytes(bytes))
            return error_envelope(Status::invalid("requestJson: expected a Uint8Array"));
        return facade_.request_json(bytes_of(bytes));
    }
    val dirtyChunks() {
        if (!facade_.is_open())
            return error_val(Status::storage("the local database is not open yet"));
        auto d = take_dirty_chunks(facade_.path());
        if (!d) return error_val(d.status());
        val chunks = val::array();
        for (const auto& c : d->chunks) {
            val item = val::object();
            item.set("index", c.index);
            item.set("bytes", uint8_copy(c.bytes));
            chunks.call<void>("push", item);
        }
        val value = val::object();
        value.set("size", double(d->file_size));
        value.set("chunks", chunks);
        return ok_val(value);
    }

private:
    Facade facade_;
};

// Assembles the file in one JavaScript array and hands it to the in-memory file system, which
// keeps that array as the file (canOwn): no copy through wasm memory, one allocation. Reading
// 75 MB back chunk by chunk through pwrite took 3.5 s in Chromium.
val restore_file(const std::string& path, double size, const val& indexes, const val& chunks) {
    const auto bad = [](const std::string& why) {
        return error_val(Status::invalid("restoreFile: " + why));
    };
    if (!(size >= 0 && size <= double(kMaxRestoreBytes)) || size != double(std::uint64_t(size)))
        return bad("the size must be a whole number of bytes up to " +
                   std::to_string(kMaxRestoreBytes));
    if (!indexes.isArray() || !chunks.isArray())
        return bad("expected arrays of indexes and chunks");
    const auto n = indexes["length"].as<std::size_t>();
    if (chunks["length"].as<std::size_t>() != n) return bad("as many indexes as chunks are needed");
    const auto total = std::uint64_t(size);
    val file = val::global("Uint8Array").new_(double(total));
    for (std::size_t i = 0; i < n; ++i) {
        const val index = indexes[i];
        const val bytes = chunks[i];
        if (!index.isNumber() || !is_bytes(bytes))
            return bad("chunk " + std::to_string(i) + " is not an index and a Uint8Array");
        const double at = index.as<double>();
        if (!(at >= 0) || at != double(std::uint64_t(at)))
            return bad("chunk " + std::to_string(i) + " has a bad index");
        const auto length = std::uint64_t(bytes["length"].as<double>());
        if (length > kChunkBytes)
            return bad("a chunk holds at most " + std::to_string(kChunkBytes) + " bytes");
        const std::uint64_t offset = std::uint64_t(at) * kChunkBytes;
        if (offset >= total) continue;  // past the end of a file that shrank
        const std::uint64_t keep = std::min(length, total - offset);
        file.call<void>("set",
                        keep == length ? bytes : bytes.call<val>("subarray", 0, double(keep)),
                        double(offset));
    }
    val options = val::object();
    options.set("canOwn", true);
    val::module_property("FS").call<void>("writeFile", path, file, options);
    clear_dirty_chunks(path);
    val out = val::object();
    out.set("size", size);
    return ok_val(out);
}
val restore_size(const std::string& path, double size) {
    if (!(size >= 0)) return error_val(Status::invalid("restoreSize: expected a size"));
    Status s = set_file_size(path, std::uint64_t(size));
    if (s) clear_dirty_chunks(path);
    return s ? ok_val(val::object()) : error_val(s);
}

}  // namespace
}  // namespace liaison::web

EMSCRIPTEN_BINDINGS(liaison_core) {
    using liaison::web::Core;
    emscripten::class_<Core>("Core")
        .constructor<>()
        .function("call", &Core::call)
        .function("makePush", &Core::makePush)
        .function("makePull", &Core::makePull)
        .function("readReply", &Core::readReply)
        .function("applyRead", &Core::applyRead)
        .function("applyReply", &Core::applyReply)
        .function("applyReplyJson", &Core::applyReplyJson)
        .function("requestJson", &Core::requestJson)
        .function("dirtyChunks", &Core::dirtyChunks);
    emscripten::function("restoreFile", &liaison::web::restore_file);
    emscripten::function("restoreSize", &liaison::web::restore_size);
}
