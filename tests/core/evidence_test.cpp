// The server's evidence files (core/storage/evidence.hpp): one copy per content, files served
// only through a record they are linked to, and a blob gone with its last link. The store is
// the hub's (tests/support/harness.hpp): a real SQLite file, or a PostgreSQL database under
// LIAISON_TEST_BACKEND=postgres for the [central] cases; the scan of the files is SQLite's.
#include "core/storage/evidence.hpp"

#include <catch2/catch.hpp>

#include "core/storage/sqlite.hpp"
#include "core/util/sha256.hpp"
#include "support/harness.hpp"

namespace liaison::test::core_evidence {
namespace {

using core::Id128;
using core::Kind;

struct Evidence {
    TempDir dir;
    std::string path = dir.file("server.db");
    std::unique_ptr<core::Store> store = open();

    std::unique_ptr<core::Store> open() {
        return open_server_store(path, core::ensure_evidence_schema);
    }
    core::EvidenceStored add(const Id128& entity, std::string_view bytes,
                             const std::string& name = "contract.pdf", std::int64_t at = 1000) {
        core::EvidenceUpload up{entity, Kind::kVetting, bytes, "application/pdf",
                                name,   "contract",     7,     at};
        auto r = core::add_evidence(*store, up);
        REQUIRE(r.is_ok());
        return std::move(r).value();
    }
    std::int64_t blobs() {
        return store->db().query_int("SELECT count(*) FROM server_evidence_blobs").value_or(-1);
    }
    Status purge(const Id128& entity) {
        core::Transaction t(store->db());
        REQUIRE(t.begun().is_ok());
        LIAISON_TRY(core::purge_evidence(*store, entity));
        return t.commit();
    }
};

Id128 id(const char* name) { return Id128::derive("evidence-test", name, ""); }

}  // namespace

TEST_CASE("the evidence tables are made once and a newer version is refused",
          "[core][evidence][central]") {
    TempDir dir;
    auto s = open_hub_store(dir.file("a.db"));
    core::Store& store = *s;
    CHECK_FALSE(core::has_evidence_schema(store));
    // A device's file (or a server's from before the tables): an erasure has nothing to purge.
    {
        core::Transaction t(store.db());
        CHECK(core::purge_evidence(store, id("ana")).is_ok());
    }
    REQUIRE(core::ensure_evidence_schema(store).is_ok());
    REQUIRE(core::ensure_evidence_schema(store).is_ok());  // again: nothing to do
    CHECK(store.meta_get(core::kEvidenceSchemaKey) == std::to_string(core::kEvidenceSchemaVersion));
    REQUIRE(
        store.meta_set(core::kEvidenceSchemaKey, std::to_string(core::kEvidenceSchemaVersion + 1))
            .is_ok());
    auto refused = core::ensure_evidence_schema(store);
    CHECK(refused.code() == Code::kUnsupportedVersion);
    CHECK_THAT(refused.detail(), Catch::Contains("newer liaison-server"));
}

TEST_CASE("the same bytes uploaded twice are stored once and listed on each record",
          "[core][evidence][central]") {
    Evidence e;
    const std::string bytes = "%PDF-1.7 the signed contract";
    auto first = e.add(id("vetting-a"), bytes, "contract.pdf", 1000);
    CHECK(first.new_blob);
    CHECK(first.link.sha == core::Sha256::hex(core::Sha256::of(bytes)));
    CHECK(first.link.size == std::int64_t(bytes.size()));
    auto again = e.add(id("vetting-b"), bytes, "copy.pdf", 2000);
    CHECK_FALSE(again.new_blob);
    CHECK(again.link.sha == first.link.sha);
    // The same file again on the same record: one link, the latest name.
    e.add(id("vetting-a"), bytes, "contract-signed.pdf", 3000);
    CHECK(e.blobs() == 1);

    auto a = core::list_evidence(*e.store, {id("vetting-a")});
    REQUIRE(a.is_ok());
    REQUIRE(a->size() == 1);
    CHECK(a->front().name == "contract-signed.pdf");
    CHECK(a->front().kind == Kind::kVetting);
    CHECK(a->front().media_type == "application/pdf");
    CHECK(a->front().uploaded_by == 7);
    CHECK(a->front().uploaded_at == 3000);
    // A merged person's files are read over her component, oldest first.
    e.add(id("vetting-b"), "%PDF-1.7 a second file", "second.pdf", 500);
    auto both = core::list_evidence(*e.store, {id("vetting-a"), id("vetting-b")});
    REQUIRE(both.is_ok());
    REQUIRE(both->size() == 3);
    CHECK(both->at(0).name == "second.pdf");
    CHECK(both->at(1).name == "copy.pdf");
    CHECK(both->at(2).name == "contract-signed.pdf");
}

TEST_CASE("a file is loaded only through a record it is linked to", "[core][evidence][central]") {
    Evidence e;
    const std::string bytes = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(1, '\0') + "img";
    const auto sha = e.add(id("content"), bytes).link.sha;
    auto got = core::load_evidence(*e.store, {id("content")}, sha);
    REQUIRE(got.is_ok());
    REQUIRE(got->has_value());
    CHECK(got->value().bytes == bytes);  // binary, a NUL byte included
    CHECK(got->value().link.name == "contract.pdf");
    auto elsewhere = core::load_evidence(*e.store, {id("other")}, sha);
    REQUIRE(elsewhere.is_ok());
    CHECK_FALSE(elsewhere->has_value());
    auto unknown = core::load_evidence(*e.store, {id("content")}, std::string(64, '0'));
    REQUIRE(unknown.is_ok());
    CHECK_FALSE(unknown->has_value());
}

TEST_CASE("unlinking the last link deletes the blob and another record's link keeps it",
          "[core][evidence][central]") {
    Evidence e;
    const auto sha = e.add(id("a"), "%PDF-1.4 shared").link.sha;
    e.add(id("b"), "%PDF-1.4 shared");
    auto none = core::unlink_evidence(*e.store, {id("c")}, sha);
    REQUIRE(none.is_ok());
    CHECK_FALSE(none->unlinked);
    auto first = core::unlink_evidence(*e.store, {id("a")}, sha);
    REQUIRE(first.is_ok());
    CHECK(first->unlinked);
    CHECK_FALSE(first->blob_deleted);
    CHECK(e.blobs() == 1);
    auto last = core::unlink_evidence(*e.store, {id("b")}, sha);
    REQUIRE(last.is_ok());
    CHECK(last->unlinked);
    CHECK(last->blob_deleted);
    CHECK(e.blobs() == 0);
}

TEST_CASE("a record carries a bounded number of files", "[core][evidence][central]") {
    Evidence e;
    for (std::size_t i = 0; i < core::kMaxEvidencePerEntity; ++i)
        e.add(id("full"), "%PDF-1.4 file " + std::to_string(i));
    core::EvidenceUpload up{
        id("full"), Kind::kVetting, "%PDF-1.4 one more", "application/pdf", "x.pdf", "other", 1, 1};
    auto refused = core::add_evidence(*e.store, up);
    CHECK(refused.status().code() == Code::kConflict);
    // Nothing of the refused upload was kept; the same file again is still welcome.
    CHECK(e.blobs() == std::int64_t(core::kMaxEvidencePerEntity));
    up.bytes = "%PDF-1.4 file 0";
    CHECK(core::add_evidence(*e.store, up).is_ok());
}

TEST_CASE("purging an erased record's evidence leaves none of the file's bytes in the database",
          "[core][evidence][erase]") {
    const std::string canary = "%PDF-1.7 Quorbitzane consent proof Plumfeatherby";
    const std::string kept = "%PDF-1.7 Ulvenhartmoss contract kept";
    Evidence e;
    e.add(id("erased"), canary, "Quorbitzane.pdf");
    e.add(id("erased"), kept);
    e.add(id("other"), kept);
    REQUIRE(find_in_db_files(e.path, {"Quorbitzane", "Plumfeatherby"}) != "");
    REQUIRE(e.purge(id("erased")).is_ok());
    CHECK(e.blobs() == 1);
    auto left = core::list_evidence(*e.store, {id("erased"), id("other")});
    REQUIRE(left.is_ok());
    REQUIRE(left->size() == 1);
    CHECK(left->front().entity == id("other"));
    // Scanned while the store is open and after it closed.
    CHECK(find_in_db_files(e.path, {"Quorbitzane", "Plumfeatherby"}) == "");
    CHECK(find_in_db_files(e.path, {"Ulvenhartmoss"}) != "");
    e.store.reset();
    CHECK(find_in_db_files(e.path, {"Quorbitzane", "Plumfeatherby"}) == "");
}

}  // namespace liaison::test::core_evidence
