// The history of values (history.hpp): its schema and every statement on it.
#include "core/storage/history.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <utility>

namespace liaison::core {
namespace {

// Version 1. WITHOUT ROWID, keyed as it is read: an entity's rows in stamp order.
constexpr const char* kHistorySchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS server_history(
  eid BLOB NOT NULL,
  stamp BLOB NOT NULL,
  slot INTEGER NOT NULL,
  value,
  superseded INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(eid, stamp, slot)) WITHOUT ROWID;
)sql";

// The same table on PostgreSQL, where a column has one type: `value` is BYTEA and every row
// holds version 2's packed form — a one-value row (a set's element, an archive's row) packs its
// one field under its own slot — so an integer reads back as an integer and a text as a text,
// as they do from SQLite's untyped column. SQLite files keep version 1's rows as they are.
constexpr const char* kSchemaPostgres = R"sql(
CREATE TABLE IF NOT EXISTS server_history(
  eid BLOB NOT NULL,
  stamp BLOB NOT NULL,
  slot INTEGER NOT NULL,
  value BLOB NOT NULL,
  superseded INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(eid, stamp, slot));
)sql";

bool on_postgres(Store& store) { return store.db().backend() == Backend::kPostgres; }

// The operation types whose `touched` bits name sets rather than fields (sync::OpType, whose
// numbers are on the wire and in every op log: they never change).
constexpr int kOpAdd = 3;
constexpr int kOpRemove = 4;

// Version 2's packed row (history.hpp): each field as its slot (2 bytes, little-endian), a tag
// (bits 0-1: 0 null, 1 integer, 2 text; bit 2: superseded), then for an integer its 8 bytes
// little-endian, for a text its length (4 bytes, little-endian) and its bytes.
constexpr std::uint8_t kNull = 0, kInt = 1, kText = 2, kSuperseded = 4;

void put_le(std::string& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(char((v >> (8 * i)) & 0xFF));
}

std::uint64_t get_le(std::string_view in, std::size_t at, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v |= std::uint64_t(std::uint8_t(in[at + std::size_t(i)])) << (8 * i);
    return v;
}

std::string pack(const std::vector<PackedField>& fields) {
    std::string out;
    for (const auto& f : fields) {
        put_le(out, std::uint64_t(f.slot), 2);
        const std::uint8_t superseded = f.superseded ? kSuperseded : 0;
        if (const auto* i = std::get_if<std::int64_t>(&f.value)) {
            out.push_back(char(kInt | superseded));
            put_le(out, std::uint64_t(*i), 8);
        } else if (const auto* t = std::get_if<std::string>(&f.value)) {
            out.push_back(char(kText | superseded));
            put_le(out, t->size(), 4);
            out += *t;
        } else {
            out.push_back(char(kNull | superseded));
        }
    }
    return out;
}

// The fields of a packed row, as rows of version 1 would have held them.
Status unpack(const Id128& id, const Stamp& stamp, std::string_view in,
              std::vector<HistoryValue>& out) {
    std::size_t at = 0;
    auto need = [&](std::size_t n) { return at + n <= in.size(); };
    while (at < in.size()) {
        if (!need(3)) return Status::storage("history: a packed row cut short");
        // Signed: a set's element is slot -1 - its index (a one-value row on PostgreSQL).
        HistoryValue v{id, stamp, int(std::int16_t(get_le(in, at, 2))), Value{}, false};
        const std::uint8_t tag = std::uint8_t(in[at + 2]);
        at += 3;
        v.superseded = (tag & kSuperseded) != 0;
        switch (tag & 3) {
            case kInt:
                if (!need(8)) return Status::storage("history: a packed row cut short");
                v.value = std::int64_t(get_le(in, at, 8));
                at += 8;
                break;
            case kText: {
                if (!need(4)) return Status::storage("history: a packed row cut short");
                const std::size_t n = std::size_t(get_le(in, at, 4));
                at += 4;
                if (!need(n)) return Status::storage("history: a packed row cut short");
                v.value = std::string(in.substr(at, n));
                at += n;
                break;
            }
            case kNull:
                break;
            default:
                return Status::storage("history: a packed row with an unknown tag");
        }
        out.push_back(std::move(v));
    }
    return Status::ok();
}

}  // namespace

std::string pack_history_value(int slot, const Value& value, bool superseded) {
    return pack({PackedField{slot, value, superseded}});
}

Result<Value> unpack_history_value(std::string_view packed) {
    std::vector<HistoryValue> values;
    LIAISON_TRY(unpack(Id128{}, Stamp{}, packed, values));
    if (values.size() != 1)
        return Status::storage("history: a packed row of " + std::to_string(values.size()) +
                               " values where one was expected");
    return values.front().value;
}

bool has_history_schema(Store& store) { return store.meta_get(kHistorySchemaKey).has_value(); }

Status ensure_history_schema(Store& store) {
    if (auto v = store.meta_get(kHistorySchemaKey)) {
        const int have = std::atoi(v->c_str());
        if (have > kHistorySchemaVersion)
            return Status(Code::kUnsupportedVersion,
                          "the history table was written by a newer liaison-server (version " + *v +
                              ", this build reads up to " + std::to_string(kHistorySchemaVersion) +
                              ")");
        if (have == kHistorySchemaVersion) return Status::ok();
        // Version 1 to 2: its rows stay as they are (one per value); later writes are packed.
    }
    // Not a WriteTxn: the record's caches and sequence are not involved.
    Transaction t(store.db());
    LIAISON_TRY(t.begun());
    LIAISON_TRY(store.db().exec(on_postgres(store) ? kSchemaPostgres : kHistorySchemaV1));
    LIAISON_TRY(store.meta_set(kHistorySchemaKey, std::to_string(kHistorySchemaVersion)));
    return t.commit();
}

bool keeps_history(Kind kind) { return kind_def(kind).cls == KindClass::kProfile; }

namespace {

// One packed row (version 2) under `slot`: kPackedSlot for an operation's fields, or, on
// PostgreSQL, the one value's own slot.
Status record_packed(Store& store, const Id128& entity, const Stamp& stamp, int slot,
                     const std::vector<PackedField>& fields) {
    bool superseded = false;
    for (const auto& f : fields) superseded = superseded || f.superseded;
    const std::string packed = pack(fields);
    auto& st = store.db().cached(
        "INSERT OR IGNORE INTO server_history(eid, stamp, slot, value, superseded) "
        "VALUES(?1,?2,?3,?4,?5)");
    const auto s = stamp.encode();
    st.bind_blob_static(1, entity.bytes.data(), 16)
        .bind_blob_static(2, s.data(), s.size())
        .bind(3, std::int64_t(slot))
        .bind_blob_static(4, packed.data(), packed.size())
        .bind(5, std::int64_t(superseded ? 1 : 0));
    return st.run();
}

}  // namespace

Status record_history(Store& store, const HistoryValue& row) {
    if (on_postgres(store))
        return record_packed(store, row.entity, row.stamp, row.slot,
                             {PackedField{row.slot, row.value, row.superseded}});
    auto& st = store.db().cached(
        "INSERT OR IGNORE INTO server_history(eid, stamp, slot, value, superseded) "
        "VALUES(?1,?2,?3,?4,?5)");
    const auto stamp = row.stamp.encode();
    st.bind_blob_static(1, row.entity.bytes.data(), 16)
        .bind_blob_static(2, stamp.data(), stamp.size())
        .bind(3, std::int64_t(row.slot))
        .bind(4, row.value)
        .bind(5, std::int64_t(row.superseded ? 1 : 0));
    return st.run();
}

Status record_history_fields(Store& store, const Id128& entity, const Stamp& stamp,
                             const std::vector<PackedField>& fields) {
    if (fields.empty()) return Status::ok();
    return record_packed(store, entity, stamp, kPackedSlot, fields);
}

Result<std::vector<HistoryValue>> load_history(Store& store, const std::vector<Id128>& ids) {
    std::vector<HistoryValue> out;
    const bool postgres = on_postgres(store);  // every row packed there (kSchemaPostgres)
    auto& st = store.db().cached(
        "SELECT stamp, slot, value, superseded FROM server_history WHERE eid=?1 "
        "ORDER BY stamp, slot");
    for (const auto& id : ids) {
        st.bind_blob_static(1, id.bytes.data(), 16);
        Statement::Step step;
        while ((step = st.step()) == Statement::Step::kRow) {
            auto b = st.column_blob(0);
            auto stamp = Stamp::decode(b.data(), b.size());
            if (!stamp) {
                st.reset();
                return Status::storage("history: a malformed stamp");
            }
            const int slot = int(st.column_int(1));
            if (slot == kPackedSlot || postgres) {
                Status s = unpack(id, *stamp, st.column_blob(2), out);
                if (!s) {
                    st.reset();
                    return s;
                }
                continue;
            }
            out.push_back(
                HistoryValue{id, *stamp, slot, st.column_value(2), st.column_int(3) != 0});
        }
        const bool failed = step == Statement::Step::kError;
        const std::string error = failed ? st.error() : "";
        st.reset();
        if (failed) return Status::storage(error);
    }
    std::sort(out.begin(), out.end(), [](const HistoryValue& a, const HistoryValue& b) {
        return std::pair(a.stamp, a.slot) < std::pair(b.stamp, b.slot);
    });
    return out;
}

Status purge_history(Store& store, const Id128& entity) {
    auto& st = store.db().cached("DELETE FROM server_history WHERE eid=?1");
    st.bind_blob_static(1, entity.bytes.data(), 16);
    return st.run();
}

Result<std::vector<HistoryEntry>> entity_history(Store& store, Kind kind,
                                                 const std::vector<Id128>& ids) {
    const KindDef& k = kind_def(kind);
    auto log = store.op_log(ids);
    if (!log) return log.status();
    std::vector<HistoryValue> values;
    if (keeps_history(kind) && has_history_schema(store)) {
        auto kept = load_history(store, ids);
        if (!kept) return kept.status();
        values = std::move(kept).value();
    }
    // A stamp names one operation, on one entity: (stamp, slot) finds a value.
    std::map<std::pair<Stamp, int>, const HistoryValue*> by_slot;
    for (const auto& v : values) by_slot[{v.stamp, v.slot}] = &v;

    // The value each field holds after the writes seen so far, by stamp order: null before
    // the first, nullopt after a write whose value is not kept (or for a kind not kept).
    std::vector<std::optional<Value>> last(k.fields.size());
    if (keeps_history(kind)) last.assign(k.fields.size(), Value{});
    std::vector<HistoryEntry> out;
    out.reserve(log->size());
    for (const auto& row : log.value()) {
        HistoryEntry e;
        e.entity = row.entity;
        e.stamp = row.stamp;
        e.actor = row.actor;
        e.type = row.type;
        if (row.type == kOpAdd || row.type == kOpRemove) {
            for (std::size_t b = 0; b < k.sets.size() && b < 64; ++b)
                if (row.touched & (std::uint64_t(1) << b)) e.set = int(b);
            if (e.set >= 0)
                if (auto it = by_slot.find({row.stamp, -1 - e.set}); it != by_slot.end())
                    if (auto* text = std::get_if<std::string>(&it->second->value))
                        e.element = *text;
        } else {
            for (std::size_t b = 0; b < k.fields.size() && b < 64; ++b) {
                if (!(row.touched & (std::uint64_t(1) << b))) continue;
                FieldChange f;
                f.field = int(b);
                f.old_value = last[b];
                if (auto it = by_slot.find({row.stamp, int(b)}); it != by_slot.end()) {
                    f.new_value = it->second->value;
                    f.superseded = it->second->superseded;
                    e.superseded = e.superseded || f.superseded;
                }
                last[b] = f.new_value;
                e.fields.push_back(std::move(f));
            }
        }
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace liaison::core
