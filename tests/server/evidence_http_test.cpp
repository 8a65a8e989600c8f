// Evidence files against the real server (docs/COMPLIANCE.md, "Evidence files";
// server/api/evidence.hpp): upload, list and download through a record the caller may see, one
// copy per content, the limits on size and type, who may do what, and an erasure that takes
// the person's files with her and leaves no byte of them in the database.
#include <catch2/catch.hpp>

#include "core/storage/store.hpp"
#include "core/util/sha256.hpp"
#include "rest_fixture.hpp"
#include "server/api/evidence.hpp"

namespace liaison::test::server_evidence_http {
namespace {

std::string vetting_of(const std::string& person) {
    return R"({"influencer":")" + person + R"(","reviewed":"2026-01-15","price":"pass"})";
}

std::string sha_of(const std::string& bytes) { return core::Sha256::hex(core::Sha256::of(bytes)); }

std::string pdf(const std::string& text) { return "%PDF-1.7\n" + text + "\n%%EOF\n"; }

struct World {
    Setup setup;
    ServerProcess server{setup.db, {}, setup.log};
    std::unique_ptr<httplib::Client> client = server.client();
    Company co{setup, *client};
    std::string tok = setup.central_token;
    std::string ana_vetting = create(*client, tok, "vettings", vetting_of(co.ana));
    std::string bea_vetting = create(*client, tok, "vettings", vetting_of(co.bea));

    // A regional manager of `region` with a token.
    std::string regional(const std::string& region) {
        const std::string user = cli_ok({"user", "add", "--db", setup.db, "--name", "Rita Regional",
                                         "--role", "regional", "--regions", region});
        return cli_ok({"token", "issue", "--db", setup.db, "--user", user});
    }
    httplib::Result upload(const std::string& token, const std::string& entity,
                           const std::string& bytes, const std::string& name = "contract.pdf",
                           const std::string& purpose = "contract",
                           const char* type = "application/octet-stream") {
        const std::string path = "/api/v1/evidence?entity=" + entity + "&purpose=" + purpose +
                                 "&name=" + httplib::detail::encode_query_param(name);
        auto res = client->Post(path.c_str(), bearer(token), bytes, type);
        REQUIRE(res);
        return res;
    }
    // Requires 201; returns the sha.
    std::string uploaded(const std::string& entity, const std::string& bytes,
                         const std::string& name = "contract.pdf") {
        auto res = upload(tok, entity, bytes, name);
        INFO(res->body);
        REQUIRE(res->status == 201);
        return str_member(parse_json(res->body), "sha");
    }
    httplib::Result get(const std::string& token, const std::string& path) {
        auto res = client->Get(path.c_str(), bearer(token));
        REQUIRE(res);
        return res;
    }
    std::vector<std::string> listed(const std::string& entity) {
        auto res = get(tok, "/api/v1/evidence?entity=" + entity);
        INFO(res->body);
        REQUIRE(res->status == 200);
        auto doc = parse_json(res->body);
        std::vector<std::string> out;
        for (const auto& f : doc["files"].GetArray())
            out.push_back(str_member(f, "sha") + " " + str_member(f, "name"));
        return out;
    }
};

// Rows of the server's tables, read after the server stopped.
std::int64_t count_rows(const std::string& db, const char* sql) {
    auto store = core::Store::open(db, core::StoreOptions{});
    REQUIRE(store.is_ok());
    return store.value()->db().query_int(sql).value_or(-1);
}

}  // namespace

TEST_CASE("an evidence file is uploaded then listed and downloaded as it was sent",
          "[server][evidence]") {
    World w;
    const std::string bytes = pdf("signed by both parties") + std::string(1, '\0') + "\xff";
    auto res = w.upload(w.tok, w.ana_vetting, bytes, "C:\\scans\\Contrat \"signé\".pdf");
    INFO(res->body);
    REQUIRE(res->status == 201);
    auto doc = parse_json(res->body);
    const std::string sha = str_member(doc, "sha");
    CHECK(sha == sha_of(bytes));
    CHECK(doc["size"].GetInt64() == std::int64_t(bytes.size()));
    CHECK(str_member(doc, "type") == "application/pdf");
    CHECK(str_member(doc, "name") == "Contrat _signé_.pdf");  // the path and quotes gone
    CHECK(str_member(doc, "purpose") == "contract");
    CHECK(str_member(doc, "entity") == w.ana_vetting);

    CHECK(w.listed(w.ana_vetting) == std::vector<std::string>{sha + " Contrat _signé_.pdf"});
    CHECK(w.listed(w.bea_vetting).empty());

    auto got = w.get(w.tok, "/api/v1/evidence/" + sha + "?entity=" + w.ana_vetting);
    REQUIRE(got->status == 200);
    CHECK(got->body == bytes);
    CHECK(got->get_header_value("Content-Type") == "application/pdf");
    CHECK(got->get_header_value("X-Content-Type-Options") == "nosniff");
    // As the client reads it (httplib decodes %-escapes in header values): evidence_disposition
    // is checked byte for byte below.
    CHECK(got->get_header_value("Content-Disposition") ==
          "attachment; filename=\"Contrat _sign___.pdf\"; filename*=UTF-8''Contrat _signé_.pdf");
    CHECK(got->get_header_value("Cache-Control") == "private, no-store");
    // Only through a record it is linked to.
    auto elsewhere = w.get(w.tok, "/api/v1/evidence/" + sha + "?entity=" + w.bea_vetting);
    CHECK(elsewhere->status == 404);
    CHECK(api_error(elsewhere->body) == "not_found");

    // Images by their first bytes, whatever the declared type.
    const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + "screenshot";
    auto image = w.upload(w.tok, w.co.ana, png, "story.png", "disclosure_proof", "text/plain");
    REQUIRE(image->status == 201);
    CHECK(str_member(parse_json(image->body), "type") == "image/png");
    const std::string webp("RIFF\x10\0\0\0WEBPVP8 ", 16);
    CHECK(str_member(parse_json(w.upload(w.tok, w.co.ana, webp, "a.webp")->body), "type") ==
          "image/webp");
    CHECK(str_member(parse_json(w.upload(w.tok, w.co.ana, "\xFF\xD8\xFF\xE0jpeg", "b.jpg")->body),
                     "type") == "image/jpeg");
    CHECK(w.listed(w.co.ana).size() == 3);
}

TEST_CASE("the same file uploaded twice is stored once and each upload is audited with ids only",
          "[server][evidence]") {
    World w;
    const std::string bytes = pdf("Brindlewickcontract of the summer campaign");
    const std::string collab = create(
        *w.client, w.tok, "collaborations",
        R"({"influencer":")" + w.co.ana + R"(","type":"paid","store":")" + w.co.store_a + "\"}");
    const std::string sha = w.uploaded(w.ana_vetting, bytes, "Brindlewick.pdf");
    CHECK(w.uploaded(collab, bytes, "Brindlewick copy.pdf") == sha);
    CHECK(w.uploaded(w.ana_vetting, bytes, "Brindlewick.pdf") == sha);  // again: one link
    CHECK(w.listed(w.ana_vetting).size() == 1);
    CHECK(w.listed(collab).size() == 1);
    REQUIRE(w.get(w.tok, "/api/v1/evidence/" + sha + "?entity=" + collab)->status == 200);
    w.server.stop();
    CHECK(count_rows(w.setup.db, "SELECT count(*) FROM server_evidence_blobs") == 1);
    CHECK(count_rows(w.setup.db, "SELECT count(*) FROM server_evidence_links") == 2);
    CHECK(count_rows(w.setup.db,
                     "SELECT count(*) FROM server_audit WHERE action='evidence.upload'") == 3);
    CHECK(count_rows(w.setup.db,
                     "SELECT count(*) FROM server_audit WHERE action='evidence.download'") == 1);
    CHECK(count_rows(w.setup.db,
                     "SELECT count(*) FROM server_audit WHERE action LIKE "
                     "'evidence.%' AND subject LIKE '%Brindlewick%'") == 0);
}

TEST_CASE("an evidence file over 5 MiB is refused 413 and one of exactly 5 MiB is taken",
          "[server][evidence]") {
    World w;
    std::string big = pdf("large scan");
    big.resize(server::kMaxEvidenceBytes, 'x');
    auto at_limit = w.upload(w.tok, w.ana_vetting, big, "scan.pdf");
    CHECK(at_limit->status == 201);
    big.push_back('x');
    auto over = w.upload(w.tok, w.ana_vetting, big, "scan2.pdf");
    CHECK(over->status == 413);
    CHECK(api_error(over->body) == "too_large");
    CHECK_THAT(over->body, Catch::Contains("5 MiB"));
    CHECK(w.listed(w.ana_vetting).size() == 1);
}

TEST_CASE("a file that is not a PDF or an image is refused 415 whatever its name and type",
          "[server][evidence]") {
    World w;
    auto text = w.upload(w.tok, w.ana_vetting, "just some text, not a PDF", "contract.pdf",
                         "contract", "application/pdf");
    CHECK(text->status == 415);
    CHECK(api_error(text->body) == "unsupported_media_type");
    CHECK_THAT(text->body, Catch::Contains("PDF, PNG, JPEG or WebP"));
    auto html = w.upload(w.tok, w.ana_vetting, "<html><script>alert(1)</script>", "x.png", "other",
                         "image/png");
    CHECK(html->status == 415);
    // A form is not the file.
    auto form = w.upload(w.tok, w.ana_vetting, pdf("x"), "x.pdf", "contract",
                         "application/x-www-form-urlencoded");
    CHECK(form->status == 415);
    CHECK(w.listed(w.ana_vetting).empty());
}

TEST_CASE("bad evidence requests are refused with a message naming the input",
          "[server][evidence]") {
    World w;
    auto field_of = [](const httplib::Result& r) {
        auto doc = parse_json(r->body);
        return str_member(doc["error"], "field");
    };
    auto no_entity = w.client->Post("/api/v1/evidence?purpose=contract&name=a.pdf", bearer(w.tok),
                                    pdf("x"), "application/pdf");
    REQUIRE(no_entity);
    CHECK(no_entity->status == 400);
    CHECK(field_of(no_entity) == "entity");
    auto purpose = w.upload(w.tok, w.ana_vetting, pdf("x"), "a.pdf", "selfie");
    CHECK(purpose->status == 400);
    CHECK(field_of(purpose) == "purpose");
    auto name = w.upload(w.tok, w.ana_vetting, pdf("x"), std::string(121, 'n'));
    CHECK(name->status == 400);
    CHECK(field_of(name) == "name");
    auto dots = w.upload(w.tok, w.ana_vetting, pdf("x"), "../..");
    CHECK(dots->status == 400);
    CHECK(field_of(dots) == "name");
    auto empty = w.upload(w.tok, w.ana_vetting, "", "a.pdf");
    CHECK(empty->status == 400);
    auto unknown = w.upload(w.tok, "0000000000000000000000000Z", pdf("x"));
    CHECK(unknown->status == 404);
    // A brand is a record but carries no files.
    auto brand = w.upload(w.tok, w.co.brand, pdf("x"));
    CHECK(brand->status == 404);
    auto bad_sha = w.get(w.tok, "/api/v1/evidence/ABC?entity=" + w.ana_vetting);
    CHECK(bad_sha->status == 400);
    CHECK(field_of(bad_sha) == "sha");
    auto extra = w.get(w.tok, "/api/v1/evidence?entity=" + w.ana_vetting + "&limit=3");
    CHECK(extra->status == 400);
    auto patch = w.client->Patch("/api/v1/evidence?entity=x", bearer(w.tok), "", "application/pdf");
    REQUIRE(patch);
    CHECK(patch->status == 405);
}

TEST_CASE("store users get 403 and a regional manager sees only the files of her regions",
          "[server][evidence]") {
    World w;
    const std::string sha = w.uploaded(w.ana_vetting, pdf("ana's contract"));
    auto store_up = w.upload(w.co.store_a_token, w.co.ana, pdf("from a store"));
    CHECK(store_up->status == 403);
    CHECK_THAT(store_up->body, Catch::Contains("central team and regional managers"));
    CHECK(w.get(w.co.store_a_token, "/api/v1/evidence?entity=" + w.co.ana)->status == 403);

    const std::string elsewhere = create(*w.client, w.tok, "regions", R"({"name":"Provence"})");
    const std::string outsider = w.regional(elsewhere);
    CHECK(w.get(outsider, "/api/v1/evidence?entity=" + w.ana_vetting)->status == 404);
    CHECK(w.get(outsider, "/api/v1/evidence/" + sha + "?entity=" + w.ana_vetting)->status == 404);
    CHECK(w.upload(outsider, w.ana_vetting, pdf("nope"))->status == 404);

    const std::string insider = w.regional(w.co.region);
    auto mine =
        w.upload(insider, w.ana_vetting, pdf("consent form"), "consent.pdf", "consent_proof");
    CHECK(mine->status == 201);
    CHECK(w.get(insider, "/api/v1/evidence/" + sha + "?entity=" + w.ana_vetting)->status == 200);
    // Removing a file is the central team's.
    auto removed = w.client->Delete(
        ("/api/v1/evidence/" + sha + "?entity=" + w.ana_vetting).c_str(), bearer(insider));
    REQUIRE(removed);
    CHECK(removed->status == 403);
    removed = w.client->Delete(("/api/v1/evidence/" + sha + "?entity=" + w.ana_vetting).c_str(),
                               bearer(w.tok));
    REQUIRE(removed);
    CHECK(removed->status == 200);
    CHECK_THAT(removed->body, Catch::Contains("\"file_deleted\":true"));
    CHECK(w.get(w.tok, "/api/v1/evidence/" + sha + "?entity=" + w.ana_vetting)->status == 404);
    CHECK(w.listed(w.ana_vetting).size() == 1);
}

TEST_CASE(
    "erasing a person takes the evidence on her vetting and leaves no byte of it in the "
    "database while another person's evidence stays",
    "[server][evidence][erase]") {
    World w;
    const std::string erased_bytes = pdf("Quorbitzane consent Plumfeatherby signed");
    const std::string kept_bytes = pdf("Ulvenhartmoss contract kept");
    w.uploaded(w.ana_vetting, erased_bytes, "Quorbitzane.pdf");
    w.uploaded(w.co.ana, pdf("Kestrelmoor consent proof"), "Kestrelmoor.pdf");
    const std::string kept = w.uploaded(w.bea_vetting, kept_bytes, "Ulvenhartmoss.pdf");
    const std::vector<std::string> canaries = {"Quorbitzane", "Plumfeatherby", "Kestrelmoor"};
    REQUIRE(find_in_db_files(w.setup.db, canaries) != "");  // the scan sees them

    auto erased = send_json(*w.client, w.tok, "POST", "/api/v1/influencers/" + w.co.ana + "/erase");
    REQUIRE(erased);
    REQUIRE(erased->status == 200);
    CHECK(find_in_db_files(w.setup.db, canaries) == "");
    CHECK(w.get(w.tok, "/api/v1/evidence?entity=" + w.ana_vetting)->status == 404);
    CHECK(w.listed(w.bea_vetting) == std::vector<std::string>{kept + " Ulvenhartmoss.pdf"});
    auto still = w.get(w.tok, "/api/v1/evidence/" + kept + "?entity=" + w.bea_vetting);
    REQUIRE(still->status == 200);
    CHECK(still->body == kept_bytes);
    w.server.stop();
    CHECK(count_rows(w.setup.db, "SELECT count(*) FROM server_evidence_blobs") == 1);
    CHECK(find_in_db_files(w.setup.db, canaries) == "");
}

TEST_CASE("evidence file names and types are checked without a server", "[server][evidence]") {
    using server::clean_evidence_name;
    CHECK(clean_evidence_name("/home/ana/scan.pdf").value() == "scan.pdf");
    CHECK(clean_evidence_name("  .hidden.pdf. ").value() == "hidden.pdf");
    CHECK(clean_evidence_name("a\tb<c>.pdf").value() == "a_b_c_.pdf");
    // A right-to-left override would show "fdp.exe" as "exe.pdf".
    CHECK(clean_evidence_name("contract\xE2\x80\xAE"
                              "fdp.exe")
              .value() == "contract_fdp.exe");
    CHECK(clean_evidence_name("\xC3").status().code() == Code::kBadFormat);
    CHECK(clean_evidence_name("").status().code() == Code::kRequired);
    CHECK(clean_evidence_name(std::string(120, 'e')).is_ok());
    CHECK(clean_evidence_name(std::string(121, 'e')).status().code() == Code::kTooLong);
    CHECK(server::evidence_disposition("Contrat _signé_.pdf") ==
          "attachment; filename=\"Contrat _sign___.pdf\"; "
          "filename*=UTF-8''Contrat%20_sign%C3%A9_.pdf");
    CHECK(server::evidence_disposition("a;b\\c.pdf") ==
          "attachment; filename=\"a;b_c.pdf\"; filename*=UTF-8''a%3Bb%5Cc.pdf");
    CHECK(server::sniff_evidence_type("%PDF") == std::nullopt);  // cut short
    CHECK(server::sniff_evidence_type(std::string_view("RIFF\0\0\0\0WAVE", 12)) == std::nullopt);
    CHECK(server::sniff_evidence_type("GIF89a") == std::nullopt);
}

}  // namespace liaison::test::server_evidence_http
