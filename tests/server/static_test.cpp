// Static files (server/http/static_files.hpp): types, precompressed siblings chosen by
// Accept-Encoding, caching headers, and no way out of the folder.
#include <catch2/catch.hpp>
#include <filesystem>

#include "rest_fixture.hpp"
#include "server/http/static_files.hpp"

namespace liaison::test::server_static {

TEST_CASE("Accept-Encoding picks brotli, then gzip, and honours q=0", "[server][static]") {
    using server::pick_encoding;
    CHECK(pick_encoding("gzip, deflate, br", true, true) == "br");
    CHECK(pick_encoding("gzip, deflate, br", false, true) == "gzip");
    CHECK(pick_encoding("gzip", true, true) == "gzip");
    CHECK(pick_encoding("br;q=0, gzip;q=0.5", true, true) == "gzip");
    CHECK(pick_encoding("*", true, true) == "br");
    CHECK(pick_encoding("*;q=0", true, true) == "");
    CHECK(pick_encoding("br;q=0, *", true, true) == "gzip");
    CHECK(pick_encoding("identity", true, true) == "");
    CHECK(pick_encoding("", true, true) == "");
    CHECK(pick_encoding("BR", true, false) == "br");
    CHECK(pick_encoding("x-gzip", false, true) == "gzip");
}

TEST_CASE("precompressed siblings are served with the original type and Vary, never twice encoded",
          "[server][static]") {
    Setup setup;
    const std::string web = setup.dir.file("app");
    std::filesystem::create_directories(web + "/assets");
    const std::string js = "console.log('liaison');\n", js_br = "BR-BYTES\x01\x02",
                      js_gz = "\x1f\x8b-GZ-BYTES";
    std::ofstream(web + "/app.js", std::ios::binary) << js;
    std::ofstream(web + "/app.js.br", std::ios::binary) << js_br;
    std::ofstream(web + "/app.js.gz", std::ios::binary) << js_gz;
    std::ofstream(web + "/core.wasm", std::ios::binary) << std::string("\0asm\1\0\0\0", 8);
    std::ofstream(web + "/core.wasm.gz", std::ios::binary) << "\x1f\x8bWASM-GZ";
    std::ofstream(web + "/index.html") << "<!doctype html><title>Liaison</title>";
    std::ofstream(web + "/sw.js") << "self.addEventListener('fetch', () => {});";
    std::ofstream(web + "/assets/app.3f9a1c0b7d.css") << "body{margin:0}";
    std::ofstream(web + "/manifest.webmanifest") << "{}";
    std::ofstream(web + "/data.bin") << "xyz";
    std::ofstream(web + "/.secret") << "hidden";
    std::ofstream(setup.dir.file("outside.txt")) << "outside the folder";
    std::filesystem::create_symlink(setup.dir.file("outside.txt"), web + "/leak.txt");
    ServerProcess server(setup.db, {"--static", web}, setup.log);
    auto client = server.client();
    client->set_decompress(false);

    struct Case {
        const char* accept;
        std::string body;
        const char* encoding;
    };
    for (const auto& c :
         {Case{"gzip, deflate, br", js_br, "br"}, Case{"gzip", js_gz, "gzip"},
          Case{"br;q=0, gzip;q=0", js, ""}, Case{nullptr, js, ""}, Case{"*", js_br, "br"}}) {
        INFO("Accept-Encoding: " << (c.accept ? c.accept : "(none)"));
        httplib::Headers h;
        if (c.accept) h.emplace("Accept-Encoding", c.accept);
        auto res = client->Get("/app.js", h);
        REQUIRE(res);
        CHECK(res->status == 200);
        CHECK(res->body == c.body);
        CHECK(res->get_header_value("Content-Encoding") == c.encoding);
        CHECK(res->get_header_value("Content-Type") == "text/javascript");
        CHECK(res->get_header_value("Vary") == "Accept-Encoding");
        CHECK(res->get_header_value("Content-Length") == std::to_string(c.body.size()));
    }
    auto wasm = client->Get("/core.wasm", {{"Accept-Encoding", "br, gzip"}});
    REQUIRE(wasm);
    CHECK(wasm->get_header_value("Content-Type") == "application/wasm");
    CHECK(wasm->get_header_value("Content-Encoding") == "gzip");
    CHECK(wasm->body == "\x1f\x8bWASM-GZ");

    // Caching: the page and the service worker always revalidate; hashed assets are immutable.
    for (const char* path : {"/", "/index.html", "/sw.js", "/app.js"}) {
        INFO(path);
        auto res = client->Get(path);
        REQUIRE(res);
        CHECK(res->status == 200);
        CHECK(res->get_header_value("Cache-Control") == "no-cache");
        CHECK_FALSE(res->get_header_value("ETag").empty());
    }
    auto index = client->Get("/");
    REQUIRE(index);
    CHECK(index->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK(index->get_header_value("X-Frame-Options") == "DENY");
    auto revalidated = client->Get("/", {{"If-None-Match", index->get_header_value("ETag")}});
    REQUIRE(revalidated);
    CHECK(revalidated->status == 304);
    CHECK(revalidated->body.empty());
    auto css = client->Get("/assets/app.3f9a1c0b7d.css");
    REQUIRE(css);
    CHECK(css->get_header_value("Content-Type") == "text/css; charset=utf-8");
    CHECK(css->get_header_value("Cache-Control") == "public, max-age=31536000, immutable");
    auto manifest = client->Get("/manifest.webmanifest");
    REQUIRE(manifest);
    CHECK(manifest->get_header_value("Content-Type") == "application/manifest+json");
    auto bin = client->Get("/data.bin");
    REQUIRE(bin);
    CHECK(bin->get_header_value("Content-Type") == "application/octet-stream");
    auto plain = client->Get("/index.html", {{"Accept-Encoding", "gzip"}});
    REQUIRE(plain);
    CHECK(plain->get_header_value("Vary").empty());  // no sibling: no variants

    // Nothing outside the folder, nothing hidden.
    for (const char* path :
         {"/../server.db", "/%2e%2e/server.db", "/assets/../../server.db", "/.secret", "/leak.txt",
          "/assets/%2e%2e%2f%2e%2e%2fserver.db", "/app.js%00.png", "/nothing.js", "/assets/"}) {
        INFO(path);
        auto res = client->Get(path);
        REQUIRE(res);
        CHECK(res->status >= 400);
        CHECK(res->status < 500);
        CHECK(res->body.find("SQLite") == std::string::npos);
        CHECK(res->body.find("outside the folder") == std::string::npos);
        CHECK(res->body.find("hidden") == std::string::npos);
    }
}

// An empty file is answered at once with an empty body: cpp-httplib reads a content provider of
// length 0 as one of unknown length and calls it until the sink is closed, which kept one of
// the server's threads spinning and the request unanswered (server/http/server.cpp, write()).
TEST_CASE("an empty static file is served at once with an empty body", "[server][static]") {
    Setup setup;
    const std::string web = setup.dir.file("app");
    std::filesystem::create_directories(web);
    std::ofstream(web + "/index.html") << "<!doctype html><title>Liaison</title>";
    std::ofstream(web + "/empty.js").flush();
    ServerProcess server(setup.db, {"--static", web}, setup.log);
    auto client = server.client();
    client->set_read_timeout(5, 0);
    for (int i = 0; i < 2; ++i) {
        auto res = client->Get("/empty.js");
        REQUIRE(res);
        CHECK(res->status == 200);
        CHECK(res->body.empty());
        CHECK(res->get_header_value("Content-Type") == "text/javascript");
    }
}

}  // namespace liaison::test::server_static
