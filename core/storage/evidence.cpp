// Evidence files (evidence.hpp): their schema and every statement on them.
#include "core/storage/evidence.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <tuple>
#include <utility>

#include "core/storage/sqlite.hpp"
#include "core/util/sha256.hpp"

namespace liaison::core {
namespace {

// Version 1. The blobs keep a rowid: SQLite advises against WITHOUT ROWID for rows larger than
// a page or so, and a file is megabytes. The links are small and read by record.
constexpr const char* kEvidenceSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS server_evidence_blobs(
  sha TEXT PRIMARY KEY,
  media_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  bytes BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS server_evidence_links(
  eid BLOB NOT NULL,
  kind TEXT NOT NULL,
  sha TEXT NOT NULL,
  name TEXT NOT NULL,
  purpose TEXT NOT NULL,
  uploaded_by INTEGER NOT NULL,
  uploaded_at INTEGER NOT NULL,
  PRIMARY KEY(eid, sha)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS server_evidence_links_by_sha ON server_evidence_links(sha);
)sql";

// Steps a statement that returns no rows; resets it whatever happens.
Status finish(Statement& st) {
    Status s = st.run();
    st.reset();
    return s;
}

// Deletes the blob when no link names it any more. Returns whether it did.
Result<bool> drop_if_unlinked(Store& store, const std::string& sha) {
    auto& st = store.db().cached(
        "DELETE FROM server_evidence_blobs WHERE sha=?1 AND NOT EXISTS("
        "SELECT 1 FROM server_evidence_links WHERE sha=?1)");
    st.bind(1, std::string_view(sha));
    LIAISON_TRY(finish(st));
    return store.db().changes() > 0;
}

// The link row the statement stands on: eid, kind, sha, name, purpose, uploaded_by,
// uploaded_at, media_type, size (columns 0 to 8).
Result<EvidenceLink> read_link(const Statement& st) {
    EvidenceLink l;
    const auto eid = st.column_blob(0);
    if (eid.size() != 16) return Status::storage("evidence: a malformed entity id");
    std::copy(eid.begin(), eid.end(), l.entity.bytes.begin());
    auto kind = kind_from_name(st.column_text_view(1));
    if (!kind) return Status::storage("evidence: an unknown kind " + st.column_text(1));
    l.kind = *kind;
    l.sha = st.column_text(2);
    l.name = st.column_text(3);
    l.purpose = st.column_text(4);
    l.uploaded_by = st.column_int(5);
    l.uploaded_at = st.column_int(6);
    l.media_type = st.column_text(7);
    l.size = st.column_int(8);
    return l;
}

constexpr const char* kLinkColumns =
    "l.eid, l.kind, l.sha, l.name, l.purpose, l.uploaded_by, l.uploaded_at, b.media_type, "
    "b.size";

// The links of one entity (optionally only `sha`), appended to `out`.
Status links_of(Store& store, const Id128& entity, std::optional<std::string_view> sha,
                std::vector<EvidenceLink>& out) {
    static const std::string kAll = std::string("SELECT ") + kLinkColumns +
                                    " FROM server_evidence_links l JOIN server_evidence_blobs b "
                                    "ON b.sha=l.sha WHERE l.eid=?1";
    static const std::string kOne = kAll + " AND l.sha=?2";
    auto& st = store.db().cached(sha ? kOne : kAll);
    st.bind_blob_static(1, entity.bytes.data(), 16);
    if (sha) st.bind(2, *sha);
    Statement::Step step;
    while ((step = st.step()) == Statement::Step::kRow) {
        auto link = read_link(st);
        if (!link) {
            st.reset();
            return link.status();
        }
        out.push_back(std::move(link).value());
    }
    const std::string error = step == Statement::Step::kError ? st.error() : "";
    st.reset();
    if (!error.empty()) return Status::storage(error);
    return Status::ok();
}

}  // namespace

bool is_evidence_sha(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

bool has_evidence_schema(Store& store) { return store.meta_get(kEvidenceSchemaKey).has_value(); }

Status ensure_evidence_schema(Store& store) {
    if (auto v = store.meta_get(kEvidenceSchemaKey)) {
        const int have = std::atoi(v->c_str());
        if (have > kEvidenceSchemaVersion)
            return Status(Code::kUnsupportedVersion,
                          "the evidence tables were written by a newer liaison-server (version " +
                              *v + ", this build reads up to " +
                              std::to_string(kEvidenceSchemaVersion) + ")");
        if (have == kEvidenceSchemaVersion) return Status::ok();
    }
    // Not a WriteTxn: the record's caches and sequence are not involved.
    Transaction t(store.db());
    LIAISON_TRY(t.begun());
    LIAISON_TRY(store.db().exec(kEvidenceSchemaV1));
    LIAISON_TRY(store.meta_set(kEvidenceSchemaKey, std::to_string(kEvidenceSchemaVersion)));
    return t.commit();
}

Result<EvidenceStored> add_evidence(Store& store, const EvidenceUpload& up) {
    EvidenceStored out;
    out.link = EvidenceLink{
        up.entity,     up.kind,       Sha256::hex(Sha256::of(up.bytes)), up.name,
        up.purpose,    up.media_type, std::int64_t(up.bytes.size()),     up.uploaded_by,
        up.uploaded_at};
    const EvidenceLink& l = out.link;
    Transaction t(store.db());
    LIAISON_TRY(t.begun());

    auto& count = store.db().cached(
        "SELECT count(*), count(CASE WHEN sha=?2 THEN 1 END) FROM server_evidence_links "
        "WHERE eid=?1");
    count.bind_blob_static(1, l.entity.bytes.data(), 16).bind(2, std::string_view(l.sha));
    if (count.step() != Statement::Step::kRow) {
        const std::string error = count.error();
        count.reset();
        return Status::storage(error);
    }
    const std::int64_t files = count.column_int(0), same = count.column_int(1);
    count.reset();
    if (same == 0 && files >= std::int64_t(kMaxEvidencePerEntity))
        return Status(Code::kConflict, "this record carries " +
                                           std::to_string(kMaxEvidencePerEntity) +
                                           " files already: remove one first");

    // The bytes once per content: a second upload of the same file only adds a link. The
    // type is the one recognised from the bytes, so the same bytes always have the same.
    auto& blob = store.db().cached(
        "INSERT OR IGNORE INTO server_evidence_blobs(sha, media_type, size, bytes) "
        "VALUES(?1,?2,?3,?4)");
    blob.bind(1, std::string_view(l.sha))
        .bind(2, std::string_view(l.media_type))
        .bind(3, l.size)
        .bind_blob_static(4, up.bytes.data(), up.bytes.size());
    LIAISON_TRY(finish(blob));
    out.new_blob = store.db().changes() > 0;

    auto& link = store.db().cached(
        "INSERT INTO server_evidence_links(eid, kind, sha, name, purpose, uploaded_by, "
        "uploaded_at) VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(eid, sha) DO UPDATE SET "
        "name=excluded.name, purpose=excluded.purpose, uploaded_by=excluded.uploaded_by, "
        "uploaded_at=excluded.uploaded_at");
    link.bind_blob_static(1, l.entity.bytes.data(), 16)
        .bind(2, std::string_view(kind_name(l.kind)))
        .bind(3, std::string_view(l.sha))
        .bind(4, std::string_view(l.name))
        .bind(5, std::string_view(l.purpose))
        .bind(6, l.uploaded_by)
        .bind(7, l.uploaded_at);
    LIAISON_TRY(finish(link));
    LIAISON_TRY(t.commit());
    return out;
}

Result<std::vector<EvidenceLink>> list_evidence(Store& store, const std::vector<Id128>& entities) {
    std::vector<EvidenceLink> out;
    for (const auto& id : entities) LIAISON_TRY(links_of(store, id, std::nullopt, out));
    std::sort(out.begin(), out.end(), [](const EvidenceLink& a, const EvidenceLink& b) {
        return std::tie(a.uploaded_at, a.sha, a.entity) < std::tie(b.uploaded_at, b.sha, b.entity);
    });
    return out;
}

Result<std::optional<EvidenceFile>> load_evidence(Store& store, const std::vector<Id128>& entities,
                                                  std::string_view sha) {
    std::vector<EvidenceLink> links;
    for (const auto& id : entities) LIAISON_TRY(links_of(store, id, sha, links));
    if (links.empty()) return std::optional<EvidenceFile>{};
    // Linked to several members of a merged person: the latest upload names it.
    auto latest = std::max_element(
        links.begin(), links.end(),
        [](const EvidenceLink& a, const EvidenceLink& b) { return a.uploaded_at < b.uploaded_at; });
    auto& st = store.db().cached("SELECT bytes FROM server_evidence_blobs WHERE sha=?1");
    st.bind(1, sha);
    const auto step = st.step();
    if (step != Statement::Step::kRow) {
        const std::string error = step == Statement::Step::kError ? st.error() : "";
        st.reset();
        return Status::storage(error.empty() ? "evidence: a link without its file" : error);
    }
    EvidenceFile file{std::move(*latest), std::string(st.column_blob(0))};
    st.reset();
    return std::optional<EvidenceFile>{std::move(file)};
}

Result<EvidenceUnlinked> unlink_evidence(Store& store, const std::vector<Id128>& entities,
                                         std::string_view sha) {
    EvidenceUnlinked out;
    Transaction t(store.db());
    LIAISON_TRY(t.begun());
    auto& st = store.db().cached("DELETE FROM server_evidence_links WHERE eid=?1 AND sha=?2");
    for (const auto& id : entities) {
        st.bind_blob_static(1, id.bytes.data(), 16).bind(2, sha);
        LIAISON_TRY(finish(st));
        out.unlinked = out.unlinked || store.db().changes() > 0;
    }
    if (!out.unlinked) return out;  // nothing changed: the transaction rolls back
    auto dropped = drop_if_unlinked(store, std::string(sha));
    if (!dropped) return dropped.status();
    out.blob_deleted = dropped.value();
    LIAISON_TRY(t.commit());
    return out;
}

Status purge_evidence(Store& store, const Id128& entity) {
    if (!has_evidence_schema(store)) return Status::ok();
    std::set<std::string> shas;
    auto& find = store.db().cached("SELECT sha FROM server_evidence_links WHERE eid=?1");
    find.bind_blob_static(1, entity.bytes.data(), 16);
    Statement::Step step;
    while ((step = find.step()) == Statement::Step::kRow) shas.insert(find.column_text(0));
    const std::string error = step == Statement::Step::kError ? find.error() : "";
    find.reset();
    if (!error.empty()) return Status::storage(error);
    if (shas.empty()) return Status::ok();
    auto& del = store.db().cached("DELETE FROM server_evidence_links WHERE eid=?1");
    del.bind_blob_static(1, entity.bytes.data(), 16);
    LIAISON_TRY(finish(del));
    // A file another record still carries stays (a contract signed by two people): it belongs
    // to that record too, and goes when that one does.
    for (const auto& sha : shas) LIAISON_TRY(drop_if_unlinked(store, sha).status());
    return Status::ok();
}

}  // namespace liaison::core
