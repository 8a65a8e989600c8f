// The archive's export and import (archive.hpp; the format is docs/ARCHIVE.md).
#include "server/admin/archive.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <map>
#include <optional>

#include "core/query/view.hpp"
#include "core/storage/archive_rows.hpp"
#include "core/storage/history.hpp"
#include "core/util/json.hpp"
#include "server/admin/server_clock.hpp"
#include "sync/edit.hpp"

namespace liaison::server {
namespace {

using core::FieldType;
using core::Id128;
using core::json_string;
using core::Kind;
using core::KindDef;
using core::Stamp;
using core::Store;
using core::Value;

// ---- Writing ------------------------------------------------------------------------------

std::string value_text(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (const auto* t = std::get_if<std::string>(&v)) return json_string(*t);
    return "null";
}

std::string stamp_text(const Stamp& s) { return json_string(s.to_text()); }

// A set's name in the archive: its name, or "#<index>" for dots kept under an index this kind
// has no set for (an id used as two kinds, store.hpp: Store::snapshot).
std::string set_key(const KindDef& k, int set) {
    if (set >= 0 && std::size_t(set) < k.sets.size()) return k.sets[std::size_t(set)].name;
    return "#" + std::to_string(set);
}

Result<std::string> entity_line(Store& store, Kind kind, const Id128& id) {
    const KindDef& k = core::kind_def(kind);
    auto row = store.load_row(kind, id);
    if (!row) return row.status();
    if (!row.value()) return Status::storage("archive: a row vanished during the export");
    const core::RowState& r = *row.value();
    std::string out = "{\"t\":\"entity\",\"kind\":" + json_string(k.name) +
                      ",\"id\":" + json_string(id.to_text());
    if (r.created) out += ",\"created\":" + stamp_text(*r.created);
    if (r.deleted) out += ",\"deleted\":" + stamp_text(*r.deleted);
    out += ",\"fields\":{";
    bool first = true;
    for (std::size_t i = 0; i < k.fields.size(); ++i) {
        const auto& clock = r.clocks[i];
        if (core::is_null(r.values[i]) && !clock) continue;  // never written
        out += std::string(first ? "" : ",") + json_string(k.fields[i].name) +
               ":{\"v\":" + value_text(r.values[i]);
        // Written by the create: no clock of its own (docs/ARCHIVE.md).
        if (clock && clock != r.created) out += ",\"at\":" + stamp_text(*clock);
        out += "}";
        first = false;
    }
    out += "}";
    auto dots = store.load_dots(id);
    if (!dots) return dots.status();
    if (!dots->empty()) {
        std::map<int, std::string> by_set;
        for (const auto& d : dots.value()) {
            std::string& s = by_set[d.set];
            s += std::string(s.empty() ? "" : ",") + "{\"e\":" + json_string(d.elem) +
                 ",\"dot\":" + stamp_text(d.dot) + (d.removed ? ",\"removed\":true}" : "}");
        }
        out += ",\"sets\":{";
        first = true;
        for (const auto& [set, elems] : by_set) {
            out +=
                std::string(first ? "" : ",") + json_string(set_key(k, set)) + ":[" + elems + "]";
            first = false;
        }
        out += "}";
    }
    auto alt = store.load_subject_alt(id);
    if (!alt) return alt.status();
    if (!alt->empty()) {
        out += ",\"alt\":[";
        first = true;
        for (const auto& [field, subject] : alt.value()) {
            out += std::string(first ? "" : ",") + "{\"field\":" + std::to_string(field) +
                   ",\"id\":" + json_string(subject.to_text()) + "}";
            first = false;
        }
        out += "]";
    }
    return out + "}";
}

// One history line per (entity, stamp): the values that operation wrote, as stored.
std::string history_line(const Id128& id, const Stamp& stamp,
                         const std::vector<core::HistoryValue>& values) {
    std::string out = "{\"t\":\"history\",\"entity\":" + json_string(id.to_text()) +
                      ",\"stamp\":" + stamp_text(stamp) + ",\"values\":[";
    for (std::size_t i = 0; i < values.size(); ++i)
        out += std::string(i ? "," : "") + "{\"slot\":" + std::to_string(values[i].slot) +
               ",\"v\":" + value_text(values[i].value) +
               (values[i].superseded ? ",\"superseded\":true}" : "}");
    return out + "]}";
}

class LineWriter {
public:
    LineWriter(std::ostream& out, const ArchiveExportOptions& opts) : out_(out), opts_(opts) {}
    void write(const std::string& line) {
        out_ << line << '\n';
        ++count_;
        if (opts_.progress && count_ % opts_.progress_every == 0) opts_.progress(count_);
    }
    std::size_t count() const { return count_; }

private:
    std::ostream& out_;
    const ArchiveExportOptions& opts_;
    std::size_t count_ = 0;
};

// ---- Reading ------------------------------------------------------------------------------

using Json = rapidjson::Value;

Result<std::string> str_of(const Json& obj, const char* name, bool required = true) {
    auto m = obj.FindMember(name);
    if (m == obj.MemberEnd()) {
        if (required) return Status::invalid(std::string("\"") + name + "\" is missing");
        return std::string();
    }
    if (!m->value.IsString()) return Status::invalid(std::string("\"") + name + "\": not a text");
    return std::string(m->value.GetString(), m->value.GetStringLength());
}

// The member's text, or "" when it is missing or not a text.
std::string member_text(const Json& obj, const char* name) {
    auto text = str_of(obj, name, false);
    return text ? text.value() : std::string();
}

Result<Id128> id_of(const Json& obj, const char* name) {
    auto text = str_of(obj, name);
    if (!text) return text.status();
    auto id = Id128::from_text(text.value());
    if (!id) return Status::invalid(std::string("\"") + name + "\": not an id: " + text.value());
    return *id;
}

Result<std::optional<Stamp>> stamp_of(const Json& obj, const char* name, bool required) {
    auto text = str_of(obj, name, required);
    if (!text) return text.status();
    if (text->empty() && !required) return std::optional<Stamp>{};
    auto s = Stamp::from_text(text.value());
    if (!s) return Status::invalid(std::string("\"") + name + "\": not a stamp: " + text.value());
    return std::optional<Stamp>(*s);
}

Result<std::int64_t> int_of(const Json& obj, const char* name) {
    auto m = obj.FindMember(name);
    if (m == obj.MemberEnd() || !m->value.IsInt64())
        return Status::invalid(std::string("\"") + name + "\": expected a whole number");
    return m->value.GetInt64();
}

bool integer_field(FieldType t) {
    return t == FieldType::kInt || t == FieldType::kTime || t == FieldType::kBool;
}

// A stored value: an integer, a text or null (docs/ARCHIVE.md: values as stored).
Result<Value> value_of(const Json& v, std::optional<FieldType> type) {
    if (v.IsNull()) return Value{};
    if (v.IsInt64() && (!type || integer_field(*type))) return Value{v.GetInt64()};
    if (v.IsString() && (!type || !integer_field(*type)))
        return Value{std::string(v.GetString(), v.GetStringLength())};
    return Status::invalid(type && integer_field(*type) ? "expected a whole number or null"
                                                        : "expected a text or null");
}

Result<Kind> kind_of(const Json& obj) {
    auto name = str_of(obj, "kind");
    if (!name) return name.status();
    auto kind = core::kind_from_name(name.value());
    if (!kind) return Status::invalid("unknown kind \"" + name.value() + "\"");
    return *kind;
}

class Importer {
public:
    Importer(Store& store, sync::Hub& hub, const Id128& replica)
        : store_(store), hub_(hub), replica_(replica), ids_(core::make_random_id_source()) {
        ctx_.replica = replica;
        ctx_.role = sync::Role::kCentral;
        ctx_.scope = sync::Scope::everything();
        empty_ = store.last_seq() == 0 && store.op_count() == 0;
    }

    bool stamped_seen() const { return stamped_; }

    // A stamped line: restored as it is, or an error (the whole file is refused).
    Status restore(const Json& doc, const std::string& type, ArchiveCounts& counts) {
        if (!stamped_) {
            if (!empty_)
                return Status(Code::kConflict,
                              "the record is not empty: stamped lines restore a record only "
                              "into an empty one (import into a new file, made by `init`)");
            stamped_ = true;
        }
        if (type == "entity") {
            ++counts.entities;
            return restore_entity(doc);
        }
        if (type == "erased") {
            auto id = id_of(doc, "id");
            if (!id) return id.status();
            auto kind_name = str_of(doc, "kind", false);
            if (!kind_name) return kind_name.status();
            std::optional<Kind> kind;
            if (!kind_name->empty()) {
                kind = core::kind_from_name(kind_name.value());
                if (!kind) return Status::invalid("unknown kind \"" + kind_name.value() + "\"");
            }
            ++counts.erased;
            return store_.mark_erased(id.value(), kind);
        }
        if (type == "merge") {
            auto a = id_of(doc, "a");
            if (!a) return a.status();
            auto b = id_of(doc, "b");
            if (!b) return b.status();
            ++counts.merges;
            return store_.add_alias_edge(a.value(), b.value()).status();
        }
        if (type == "op") {
            auto entity = id_of(doc, "entity");
            if (!entity) return entity.status();
            auto stamp = stamp_of(doc, "stamp", true);
            if (!stamp) return stamp.status();
            Id128 actor;
            if (doc.HasMember("actor")) {
                auto a = id_of(doc, "actor");
                if (!a) return a.status();
                actor = a.value();
            }
            auto op_type = int_of(doc, "type");
            if (!op_type) return op_type.status();
            auto touched = int_of(doc, "touched");
            if (!touched) return touched.status();
            seen(**stamp);
            ++counts.ops;
            return store_
                .log_op(entity.value(), **stamp, actor, int(op_type.value()),
                        std::uint64_t(touched.value()))
                .status();
        }
        if (type == "history") {
            ++counts.history;
            return restore_history(doc);
        }
        return Status::invalid("unknown line type \"" + type + "\"");
    }

    // A plain line: a create through the hub, under a savepoint (refused alone).
    Status create(const Json& doc, ArchiveLineResult& res, std::size_t& created) {
        auto reject = [&](std::string why) {
            res.status = "rejected";
            res.reason = std::move(why);
            return Status::ok();
        };
        auto kind = kind_of(doc);
        if (!kind) return reject(kind.status().detail());
        res.kind = core::kind_name(kind.value());
        Id128 id;
        if (doc.HasMember("id")) {
            auto given = id_of(doc, "id");
            if (!given) return reject(given.status().detail());
            id = given.value();
            res.id = id.to_text();
            if (store_.is_erased(id)) return reject("the id names an erased entity");
            auto exists = store_.has_row(kind.value(), id);
            if (!exists) return exists.status();
            if (exists.value())
                return reject("an entity with this id exists; a plain line only creates");
        } else {
            id = ids_->next_entity_id(hub_.clock().physical_ms());
        }
        const auto values = doc.FindMember("values");
        if (values == doc.MemberEnd() || !values->value.IsObject())
            return reject("\"values\" must be an object");
        rapidjson::StringBuffer buf;
        rapidjson::Writer<rapidjson::StringBuffer> w(buf);
        values->value.Accept(w);
        auto ops = sync::ops_from_json(kind.value(), id, sync::EditMode::kCreate,
                                       std::string_view(buf.GetString(), buf.GetSize()));
        if (!ops) return reject(ops.status().detail());
        core::Savepoint sp(store_);
        LIAISON_TRY(sp.begun());
        for (auto& op : ops.value()) {
            op.id = Stamp{hub_.clock().send(), replica_};
            auto r = hub_.apply_one(ctx_, std::move(op));
            if (r.outcome != sync::Outcome::kApplied) {
                LIAISON_TRY(sp.rollback());
                return reject(r.detail.empty() ? sync::outcome_name(r.outcome) : r.detail);
            }
        }
        res.status = "created";
        res.id = id.to_text();
        ++created;
        return Status::ok();
    }

private:
    void seen(const Stamp& s) { hub_.clock().receive(s.hlc); }

    Status restore_entity(const Json& doc) {
        auto kind = kind_of(doc);
        if (!kind) return kind.status();
        const KindDef& k = core::kind_def(kind.value());
        auto id = id_of(doc, "id");
        if (!id) return id.status();
        core::RowState row = core::RowState::empty(kind.value(), id.value());
        auto created = stamp_of(doc, "created", false);
        if (!created) return created.status();
        auto deleted = stamp_of(doc, "deleted", false);
        if (!deleted) return deleted.status();
        row.created = created.value();
        row.deleted = deleted.value();
        if (row.created) seen(*row.created);
        if (row.deleted) seen(*row.deleted);
        const auto fields = doc.FindMember("fields");
        if (fields == doc.MemberEnd() || !fields->value.IsObject())
            return Status::invalid("\"fields\" must be an object");
        for (const auto& f : fields->value.GetObject()) {
            const std::string name(f.name.GetString(), f.name.GetStringLength());
            const int i = k.field_index(name);
            if (i < 0) return Status::invalid(k.name + " has no field \"" + name + "\"");
            if (!f.value.IsObject() || !f.value.HasMember("v"))
                return Status::invalid(name + ": expected {\"v\":…}");
            auto v = value_of(f.value["v"], k.fields[std::size_t(i)].type);
            if (!v) return Status::invalid(name + ": " + v.status().detail());
            auto at = stamp_of(f.value, "at", false);
            if (!at) return Status::invalid(name + ": " + at.status().detail());
            if (at.value()) seen(**at);
            row.values[std::size_t(i)] = std::move(v).value();
            row.clocks[std::size_t(i)] = at.value() ? at.value() : row.created;
        }
        LIAISON_TRY(store_.write_row(row));
        if (const auto sets = doc.FindMember("sets"); sets != doc.MemberEnd()) {
            if (!sets->value.IsObject()) return Status::invalid("\"sets\" must be an object");
            for (const auto& s : sets->value.GetObject()) {
                const std::string name(s.name.GetString(), s.name.GetStringLength());
                int set = k.set_index(name);
                if (set < 0 && name.size() > 1 && name[0] == '#') set = std::atoi(name.c_str() + 1);
                if (set < 0) return Status::invalid(k.name + " has no set \"" + name + "\"");
                if (!s.value.IsArray()) return Status::invalid(name + ": expected a list");
                for (const auto& d : s.value.GetArray()) {
                    if (!d.IsObject()) return Status::invalid(name + ": expected {\"e\",\"dot\"}");
                    auto elem = str_of(d, "e");
                    if (!elem) return Status::invalid(name + ": " + elem.status().detail());
                    auto dot = stamp_of(d, "dot", true);
                    if (!dot) return Status::invalid(name + ": " + dot.status().detail());
                    seen(**dot);
                    const bool removed = d.HasMember("removed") && d["removed"].IsTrue();
                    auto done = removed ? store_.remove_dot(id.value(), set, elem.value(), **dot)
                                        : store_.add_dot(id.value(), set, elem.value(), **dot);
                    if (!done) return done.status();
                }
            }
        }
        if (const auto alt = doc.FindMember("alt"); alt != doc.MemberEnd()) {
            if (!alt->value.IsArray()) return Status::invalid("\"alt\" must be a list");
            for (const auto& a : alt->value.GetArray()) {
                if (!a.IsObject()) return Status::invalid("\"alt\": expected {\"field\",\"id\"}");
                auto field = int_of(a, "field");
                if (!field) return field.status();
                auto subject = id_of(a, "id");
                if (!subject) return subject.status();
                LIAISON_TRY(
                    store_.add_subject_alt(id.value(), int(field.value()), subject.value()));
            }
        }
        return store_.reindex(kind.value(), id.value());
    }

    Status restore_history(const Json& doc) {
        auto entity = id_of(doc, "entity");
        if (!entity) return entity.status();
        auto stamp = stamp_of(doc, "stamp", true);
        if (!stamp) return stamp.status();
        const auto values = doc.FindMember("values");
        if (values == doc.MemberEnd() || !values->value.IsArray())
            return Status::invalid("\"values\" must be a list");
        std::vector<core::PackedField> fields;
        for (const auto& v : values->value.GetArray()) {
            if (!v.IsObject() || !v.HasMember("v"))
                return Status::invalid("\"values\": expected {\"slot\",\"v\"}");
            auto slot = int_of(v, "slot");
            if (!slot) return slot.status();
            auto value = value_of(v["v"], std::nullopt);
            if (!value) return value.status();
            const bool superseded = v.HasMember("superseded") && v["superseded"].IsTrue();
            if (slot.value() >= 0) {
                fields.push_back({int(slot.value()), std::move(value).value(), superseded});
            } else {
                LIAISON_TRY(
                    core::record_history(store_, {entity.value(), **stamp, int(slot.value()),
                                                  std::move(value).value(), superseded}));
            }
        }
        return core::record_history_fields(store_, entity.value(), **stamp, fields);
    }

    Store& store_;
    sync::Hub& hub_;
    Id128 replica_;
    sync::DeviceContext ctx_;
    std::unique_ptr<core::IdSource> ids_;
    bool empty_ = false;
    bool stamped_ = false;
};

std::string line_error(std::size_t line, const std::string& why) {
    return "line " + std::to_string(line) + ": " + why;
}

}  // namespace

Result<ArchiveCounts> export_archive(Store& store, std::ostream& out,
                                     const ArchiveExportOptions& opts) {
    auto snapshot = store.read_txn();
    ArchiveCounts counts;
    LineWriter w(out, opts);
    std::string source;
    if (auto r = store.meta_get("server_replica_id")) source = *r;
    w.write("{\"format\":\"" + std::string(kArchiveFormat) +
            "\",\"version\":" + std::to_string(kArchiveVersion) +
            ",\"record_model\":" + std::to_string(core::kSchemaVersion) +
            ",\"storage_version\":" + std::to_string(core::kStorageVersion) + ",\"exported_at\":" +
            json_string(core::iso_time(opts.now_ms)) + ",\"source\":" + json_string(source) + "}");
    for (const auto& k : core::all_kinds()) {
        auto ids = core::row_ids(store, k.kind);
        if (!ids) return ids.status();
        for (const auto& id : ids.value()) {
            auto line = entity_line(store, k.kind, id);
            if (!line) return line.status();
            w.write(line.value());
            ++counts.entities;
        }
    }
    auto erased = store.erased_ids();
    std::sort(erased.begin(), erased.end());
    for (const auto& id : erased) {
        auto kind = store.erased_kind(id);
        if (!kind) return kind.status();
        w.write("{\"t\":\"erased\",\"id\":" + json_string(id.to_text()) +
                (kind.value() ? ",\"kind\":" + json_string(core::kind_name(*kind.value())) : "") +
                "}");
        ++counts.erased;
    }
    auto edges = core::alias_edges(store);
    if (!edges) return edges.status();
    for (const auto& [a, b] : edges.value()) {
        w.write("{\"t\":\"merge\",\"a\":" + json_string(a.to_text()) +
                ",\"b\":" + json_string(b.to_text()) + "}");
        ++counts.merges;
    }
    LIAISON_TRY(core::for_each_logged_op(store, [&](const core::OpLogRow& op) {
        w.write("{\"t\":\"op\",\"entity\":" + json_string(op.entity.to_text()) +
                ",\"stamp\":" + stamp_text(op.stamp) +
                (op.actor.is_nil() ? "" : ",\"actor\":" + json_string(op.actor.to_text())) +
                ",\"type\":" + std::to_string(op.type) +
                ",\"touched\":" + std::to_string(op.touched) + "}");
        ++counts.ops;
        return Status::ok();
    }));
    auto kept = core::history_ids(store);
    if (!kept) return kept.status();
    for (const auto& id : kept.value()) {
        auto values = core::load_history(store, {id});
        if (!values) return values.status();
        // load_history sorts by (stamp, slot): one line per run of a stamp.
        const auto& v = values.value();
        for (std::size_t at = 0; at < v.size();) {
            std::size_t end = at;
            while (end < v.size() && v[end].stamp == v[at].stamp) ++end;
            w.write(history_line(id, v[at].stamp, {v.begin() + long(at), v.begin() + long(end)}));
            ++counts.history;
            at = end;
        }
    }
    counts.lines = w.count() + 1;
    w.write("{\"t\":\"end\",\"lines\":" + std::to_string(counts.lines) + ",\"entities\":" +
            std::to_string(counts.entities) + ",\"erased\":" + std::to_string(counts.erased) +
            ",\"merges\":" + std::to_string(counts.merges) + ",\"ops\":" +
            std::to_string(counts.ops) + ",\"history\":" + std::to_string(counts.history) + "}");
    if (!out) return Status::storage("writing the archive failed");
    return counts;
}

Result<ArchiveImportSummary> import_archive(Store& store, sync::Hub& hub, const Id128& replica,
                                            std::istream& in, const ArchiveImportOptions& opts) {
    ArchiveImportSummary sum;
    core::WriteTxn txn(store);
    LIAISON_TRY(txn.begun());
    // Under the writer lock: past every stamp a server gave (server/admin/server_clock.hpp).
    resume_server_clock(store, hub.clock());
    Importer importer(store, hub, replica);
    std::string text;
    std::size_t line = 0;
    bool header = false, ended = false;
    while (std::getline(in, text)) {
        ++line;
        if (opts.progress && line % opts.progress_every == 0) opts.progress(line);
        if (!text.empty() && text.back() == '\r') text.pop_back();
        if (text.size() > kMaxArchiveLineBytes)
            return Status(Code::kTooLarge, line_error(line,
                                                      "longer than 4 MiB (nothing was "
                                                      "imported)"));
        if (ended)
            return Status::invalid(line_error(line,
                                              "a line after the end line (nothing was "
                                              "imported)"));
        rapidjson::Document doc;
        doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
        const bool object = !doc.HasParseError() && doc.IsObject();
        if (!header) {
            // The header decides how everything else is read: refused whole when it is wrong.
            if (!object || member_text(doc, "format") != kArchiveFormat)
                return Status(Code::kBadFormat,
                              line_error(line, "expected the header {\"format\":\"" +
                                                   std::string(kArchiveFormat) +
                                                   "\",\"version\":1,…} (nothing was imported)"));
            auto version = int_of(doc, "version");
            if (!version || version.value() != kArchiveVersion)
                return Status(Code::kUnsupportedVersion,
                              line_error(line, "archive version " +
                                                   (version ? std::to_string(version.value())
                                                            : std::string("missing")) +
                                                   "; this build reads version " +
                                                   std::to_string(kArchiveVersion)));
            if (auto model = int_of(doc, "record_model");
                model && model.value() > core::kSchemaVersion)
                return Status(Code::kUnsupportedVersion,
                              line_error(line, "record model " + std::to_string(model.value()) +
                                                   " is newer than this build's (" +
                                                   std::to_string(core::kSchemaVersion) + ")"));
            header = true;
            continue;
        }
        if (text.find_first_not_of(" \t") == std::string::npos) {
            ++sum.blank_lines;
            continue;
        }
        ArchiveLineResult res;
        res.line = line;
        if (!object) {
            res.status = "rejected";
            res.reason =
                doc.HasParseError() ? "not a JSON object (or not UTF-8)" : "not a JSON object";
            ++sum.rejected;
            sum.lines.push_back(std::move(res));
            continue;
        }
        const std::string type = member_text(doc, "t");
        if (type == "end") {
            auto lines = int_of(doc, "lines");
            if (!lines || std::size_t(lines.value()) != line)
                return Status::invalid(line_error(
                    line, "the end line counts " +
                              (lines ? std::to_string(lines.value()) : std::string("no")) +
                              " lines, the file has " + std::to_string(line) +
                              " (nothing was imported)"));
            ended = true;
            continue;
        }
        if (type == "entity" && doc.HasMember("values") && !doc.HasMember("fields")) {
            LIAISON_TRY(importer.create(doc, res, sum.created));
            if (res.status == "rejected") ++sum.rejected;
            sum.lines.push_back(std::move(res));
            continue;
        }
        if (type.empty()) {
            res.status = "rejected";
            res.reason =
                "\"t\" is missing (entity lines with plain \"values\" need "
                "\"t\":\"entity\")";
            ++sum.rejected;
            sum.lines.push_back(std::move(res));
            continue;
        }
        if (Status s = importer.restore(doc, type, sum.restored); !s)
            return Status(s.code(),
                          line_error(line, s.detail() + (s.code() == Code::kConflict
                                                             ? ""
                                                             : " (nothing was imported)")));
    }
    if (in.bad()) return Status::storage("reading the archive failed");
    if (!header) return Status(Code::kBadFormat, "the file is empty: expected the header line");
    if (importer.stamped_seen() && !ended)
        return Status::invalid(
            "the archive has no end line: it was cut short (nothing was imported)");
    sum.restored.lines = line;
    // The servers resume past every restored stamp: their next writes win over them.
    LIAISON_TRY(record_server_clock(store, hub.clock()));
    LIAISON_TRY(txn.commit());
    return sum;
}

std::string archive_report(const ArchiveImportSummary& summary) {
    std::string out;
    for (const auto& r : summary.lines) {
        out += "{\"line\":" + std::to_string(r.line) + ",\"status\":" + json_string(r.status);
        if (!r.kind.empty()) out += ",\"kind\":" + json_string(r.kind);
        if (!r.id.empty()) out += ",\"id\":" + json_string(r.id);
        if (!r.reason.empty()) out += ",\"reason\":" + json_string(r.reason);
        out += "}\n";
    }
    return out;
}

}  // namespace liaison::server
