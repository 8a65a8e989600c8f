// CSV export and import through the real liaison-server binary (export-csv, import-csv) on
// temporary databases: the report, whole-file refusals, dry runs, updates, the round trip.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "fixture.hpp"
#include "server/admin/csv.hpp"
#include "server/demo/demo.hpp"
#include "server_store.hpp"
#include "sync/hub.hpp"

namespace liaison::test::server_csv_import {
namespace {

std::string fresh_db(const TempDir& dir, const std::string& name) {
    const std::string db = dir.file(name);
    cli_ok({"init", "--db", db});
    return db;
}

std::string export_of(const std::string& db, const char* kind) {
    return cli_ok({"export-csv", "--db", db, "--kind", kind, "--out", "-"}) + "\n";
}

CliResult import(const std::string& db, const char* kind, const std::string& csv,
                 const std::string& report, bool dry_run = false) {
    std::vector<std::string> args = {"import-csv", "--db", db,         "--kind", kind,
                                     "--in",       csv,    "--report", report};
    if (dry_run) args.push_back("--dry-run");
    return run_cli(args);
}

std::string state_hash(const std::string& db) {
    auto store = server_store(db);
    return must(store->state_hash());
}

// A file mixing good rows and every kind of bad row. Ids are given so the report is exact.
const char* kMixed =
    "id,name,email,phone,tier,tags,notes\r\n"
    "01JD0000000000000000000001,Hélène Dupont,helene@example.com,+33 6 12 34 56 78,top,"
    "vip|press,\"Said \"\"bonjour\"\", then left\r\nfor Lyon\"\r\n"
    ",Bob,not-an-email,,,,\r\n"
    "01JD0000000000000000000003,,x@example.com,,,,\r\n"
    "01JD0000000000000000000004,Zoë,,,gold,,\r\n"
    "not-an-id,Ana,,,,,\r\n"
    "01JD0000000000000000000001,Twice,,,,,\r\n"
    "01JD0000000000000000000007,Short,row\r\n"
    "\r\n"
    "01JD0000000000000000000008,'=cmd,,,,,\r\n"
    "01JD0000000000000000000009,Tom,,0612,,,\r\n"
    "01JD000000000000000000000A,Eve \"the\" cat,,,,,\r\n";

const char* kMixedReport =
    "line,status,id,reason\r\n"
    "2,created,01JD0000000000000000000001,\r\n"
    "4,rejected,,\"email: \"\"not-an-email\"\" is not an e-mail address\"\r\n"
    "5,rejected,01JD0000000000000000000003,name: required\r\n"
    "6,rejected,01JD0000000000000000000004,\"tier: \"\"gold\"\" is not one of: top, expert, "
    "employee, advocate, prospect\"\r\n"
    "7,rejected,,\"id: \"\"not-an-id\"\" is not a record id\"\r\n"
    "8,rejected,01JD0000000000000000000001,id: the same record is on line 2\r\n"
    "9,rejected,01JD0000000000000000000007,\"3 fields, the header has 7\"\r\n"
    "11,created,01JD0000000000000000000008,\r\n"
    "12,rejected,01JD0000000000000000000009,PHONE\r\n"
    "13,rejected,01JD000000000000000000000A,a quote inside an unquoted field (quote the whole "
    "field and double the quote)\r\n";

}  // namespace

TEST_CASE("importing good and bad rows gives exactly the expected report", "[server][csv]") {
    TempDir dir;
    const std::string db = fresh_db(dir, "a.db");
    const std::string csv = dir.file("mixed.csv"), report = dir.file("report.csv");
    write_file(csv, kMixed);
    auto r = import(db, "influencer", csv, report);
    INFO(r.err);
    CHECK(r.exit_code == 1);  // some rows rejected
    CHECK(r.out.rfind("imported 2, rejected 8, report: " + report + "\n", 0) == 0);
    CHECK(r.out.find("1 blank lines skipped") != std::string::npos);
    // The phone message is the core's; take it from the file rather than repeat it here.
    std::string got = read_file(report);
    const std::string phone_line = "12,rejected,01JD0000000000000000000009,";
    auto at = got.find(phone_line);
    REQUIRE(at != std::string::npos);
    auto end = got.find("\r\n", at);
    std::string phone_reason = got.substr(at + phone_line.size(), end - at - phone_line.size());
    CHECK(phone_reason.find("phone") != std::string::npos);
    got.replace(at + phone_line.size(), phone_reason.size(), "PHONE");
    CHECK(got == kMixedReport);

    // What was imported is exactly the two good rows, with their values.
    const std::string out = export_of(db, "influencer");
    CHECK(out.find("01JD0000000000000000000001,Hélène Dupont,helene@example.com,'+33 6 12 34 56 "
                   "78,,top,") != std::string::npos);
    CHECK(out.find("\"Said \"\"bonjour\"\", then left\nfor Lyon\"") != std::string::npos);
    CHECK(out.find(",press|vip,\r\n") != std::string::npos);  // tags, then distinct_from
    // '=cmd was guarded in the file: the name is "=cmd", and the export guards it again.
    CHECK(out.find("01JD0000000000000000000008,'=cmd,") != std::string::npos);
    CHECK(std::count(out.begin(), out.end(), '\n') == 4);  // header + 2 rows (one has a newline)
}

TEST_CASE("a file that is not UTF-8 is refused whole: nothing imported", "[server][csv]") {
    TempDir dir;
    const std::string db = fresh_db(dir, "a.db");
    const std::string before = state_hash(db);
    const std::string csv = dir.file("latin1.csv");
    write_file(csv, "name,email\nAna,ana@example.com\nH\xE9l\xE8ne,h@example.com\n");
    auto r = import(db, "influencer", csv, dir.file("r.csv"));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("line 3, column 1: not UTF-8 text") != std::string::npos);
    CHECK(r.err.find("nothing was imported") != std::string::npos);
    CHECK(state_hash(db) == before);
}

TEST_CASE("a hostile 10 MB line is one rejected row, and the rows after it are imported",
          "[server][csv][limits]") {
    TempDir dir;
    const std::string db = fresh_db(dir, "a.db");
    write_file(dir.file("big.csv"),
               "name,notes\nAna,hi\nBob," + std::string(10 << 20, 'x') + "\nChloé,\"ok\"\n");
    auto r = import(db, "influencer", dir.file("big.csv"), dir.file("r.csv"));
    CHECK(r.exit_code == 1);
    CHECK(r.out.rfind("imported 2, rejected 1, report: ", 0) == 0);
    const std::string report = read_file(dir.file("r.csv"));
    CHECK(report.find("3,rejected,,longer than 1048576 bytes\r\n4,created,") != std::string::npos);
}

TEST_CASE("a row is accepted whole or rejected whole", "[server][csv]") {
    TempDir dir;
    const std::string db = fresh_db(dir, "a.db");
    const std::string before = state_hash(db);
    // The fields are fine; the second handle is not: nothing of the row may be stored.
    write_file(dir.file("a.csv"),
               "name,email,handles\n"
               "Ana,ana@example.com,instagram:ana:10|myspace:ana:3\n");
    auto r = import(db, "influencer", dir.file("a.csv"), dir.file("r.csv"));
    CHECK(r.exit_code == 1);
    CHECK(read_file(dir.file("r.csv")).find("2,rejected,,\"handles: ") != std::string::npos);
    CHECK(state_hash(db) == before);
    CHECK(export_of(db, "influencer") ==
          server::csv_line(server::csv_columns(core::Kind::kInfluencer)));
}

TEST_CASE("a bad header is refused with a clear error", "[server][csv]") {
    TempDir dir;
    const std::string db = fresh_db(dir, "a.db");
    const std::string before = state_hash(db);
    struct Case {
        const char* text;
        const char* message;
    };
    const Case cases[] = {
        {"name,colour\nAna,red\n",
         "line 1 (header): unknown column \"colour\" (the columns of "
         "influencer are: id, name, email"},
        {"name,email,name\nA,a@example.com,B\n",
         "line 1 (header): column \"name\" appears twice (columns 1 and 3)"},
        {"email\na@example.com\n", "line 1 (header): missing required column \"name\""},
        {"name,,email\n", "line 1 (header): column 2 has no name"},
        {"", "the file is empty"},
        {"\"name,email\n", "line 1 (header): a quoted field opened on line 1 is never closed"},
    };
    for (const auto& c : cases) {
        write_file(dir.file("h.csv"), c.text);
        auto r = import(db, "influencer", dir.file("h.csv"), dir.file("r.csv"));
        INFO(c.text << " -> " << r.err);
        CHECK(r.exit_code == 1);
        CHECK(r.err.find(c.message) != std::string::npos);
    }
    CHECK(state_hash(db) == before);
    // Usage errors are exit code 2.
    CHECK(run_cli({"import-csv", "--db", db, "--kind", "staff", "--in", dir.file("h.csv")})
              .exit_code == 2);
    CHECK(run_cli({"import-csv", "--db", db, "--kind", "influencer"}).exit_code == 2);
    CHECK(run_cli({"export-csv", "--db", db, "--kind", "influencer"}).exit_code == 2);
}

TEST_CASE("a dry run reports every row and writes nothing", "[server][csv]") {
    TempDir dir;
    const std::string db = fresh_db(dir, "a.db");
    const std::string before = state_hash(db);
    write_file(dir.file("m.csv"), kMixed);
    auto r = import(db, "influencer", dir.file("m.csv"), dir.file("r.csv"), true);
    CHECK(r.exit_code == 1);
    CHECK(r.out.rfind("dry run: would import 2, rejected 8, report: ", 0) == 0);
    CHECK(r.out.find("nothing was written") != std::string::npos);
    CHECK(read_file(dir.file("r.csv")).find("2,created,01JD0000000000000000000001,") !=
          std::string::npos);
    CHECK(state_hash(db) == before);
}

TEST_CASE("an import with an id column updates fields and sets and skips what is unchanged",
          "[server][csv]") {
    TempDir dir;
    const std::string db = fresh_db(dir, "a.db");
    write_file(dir.file("a.csv"),
               "id,name,tier,tags,notes\n01JD0000000000000000000001,Ana,top,vip|press,hello\n");
    CHECK(import(db, "influencer", dir.file("a.csv"), dir.file("r.csv")).exit_code == 0);
    // Only the columns in the file are touched; an empty cell clears; a set cell is the set:
    // one operation for tier and notes, one to add "new", one to remove "press".
    write_file(dir.file("b.csv"),
               "id,tier,tags,notes\n01JD0000000000000000000001,expert,vip|new,\n");
    auto r = import(db, "influencer", dir.file("b.csv"), dir.file("r.csv"));
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("(0 created, 1 updated, 0 unchanged; 3 operations;") != std::string::npos);
    const std::string out = export_of(db, "influencer");
    CHECK(out.find("01JD0000000000000000000001,Ana,,,,expert,") != std::string::npos);
    CHECK(out.find(",new|vip,\r\n") != std::string::npos);
    CHECK(out.find("hello") == std::string::npos);
    // The same file again: nothing to do.
    r = import(db, "influencer", dir.file("b.csv"), dir.file("r.csv"));
    CHECK(r.out.find("(0 created, 0 updated, 1 unchanged; 0 operations;") != std::string::npos);
    // An interaction must name an influencer the record knows.
    write_file(dir.file("i.csv"),
               "influencer,at,touchpoint,department\n"
               "01JD0000000000000000000001,2026-11-20T10:00:00Z,store,retail\n"
               "01JD0000000000000000000002,2026-11-20T10:00:00Z,store,retail\n");
    r = import(db, "interaction", dir.file("i.csv"), dir.file("r.csv"));
    CHECK(r.exit_code == 1);
    CHECK(
        read_file(dir.file("r.csv"))
            .find(
                "3,rejected,,influencer: no influencer with id 01JD0000000000000000000002 (import "
                "the influencers first)") != std::string::npos);
}

TEST_CASE("interactions import and export their campaign column", "[server][csv][schema]") {
    TempDir dir;
    const std::string db = fresh_db(dir, "a.db");
    write_file(dir.file("a.csv"), "id,name\n01JD0000000000000000000001,Ana\n");
    REQUIRE(import(db, "influencer", dir.file("a.csv"), dir.file("r.csv")).exit_code == 0);
    // A campaign this server does not know yet may be one made offline: accepted (R11).
    write_file(dir.file("i.csv"),
               "id,influencer,at,touchpoint,department,campaign\n"
               "01JD00000000000000000000A1,01JD0000000000000000000001,2026-11-20T10:00:00Z,"
               "event,pr,01JD00000000000000000000C1\n"
               "01JD00000000000000000000A2,01JD0000000000000000000001,2026-11-20T11:00:00Z,"
               "event,pr,01JD0000000000000000000001\n");
    auto r = import(db, "interaction", dir.file("i.csv"), dir.file("r.csv"));
    CHECK(r.exit_code == 1);
    CHECK(read_file(dir.file("r.csv")) ==
          "line,status,id,reason\r\n"
          "2,created,01JD00000000000000000000A1,\r\n"
          "3,rejected,01JD00000000000000000000A2,\"campaign: 01JD0000000000000000000001 is an "
          "influencer, not a campaign\"\r\n");
    const std::string out = export_of(db, "interaction");
    CHECK(out.rfind("id,influencer,at,touchpoint,department,brand,region,store,event,staff,"
                    "summary,tone,follow_up,follow_up_due,campaign,follow_up_done\r\n",
                    0) == 0);
    CHECK(out.find("01JD00000000000000000000A1,01JD0000000000000000000001,"
                   "2026-11-20T10:00:00.000Z,event,pr,,,,,,,,,,01JD00000000000000000000C1,\r\n") !=
          std::string::npos);
}

TEST_CASE("export then import into a fresh database gives the same visible content",
          "[server][csv][slow]") {
    TempDir dir;
    const std::string db = fresh_db(dir, "demo.db");
    {
        // The demo company, made in process through the hub (as serve --demo does).
        auto store = server_store(db);
        sync::SystemTimeSource time;
        sync::Hub hub(*store, time);
        server::DemoOptions o;
        o.influencers = 500;
        o.interactions = 3000;
        auto sum = server::load_demo(*store, hub, o);
        REQUIRE(sum.is_ok());
        REQUIRE(sum->rejected == 0);
    }
    const std::string inf = export_of(db, "influencer"), inter = export_of(db, "interaction");
    CHECK(std::count(inf.begin(), inf.end(), '\n') == 501);
    write_file(dir.file("inf.csv"), inf);
    write_file(dir.file("int.csv"), inter);

    const std::string copy = fresh_db(dir, "copy.db");
    auto r = import(copy, "influencer", dir.file("inf.csv"), dir.file("r1.csv"));
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.rfind("imported 500, rejected 0", 0) == 0);
    r = import(copy, "interaction", dir.file("int.csv"), dir.file("r2.csv"));
    CHECK(r.exit_code == 0);
    CHECK(r.out.rfind("imported 3000, rejected 0", 0) == 0);
    CHECK(export_of(copy, "influencer") == inf);
    CHECK(export_of(copy, "interaction") == inter);

    // Importing the export into the database it came from changes nothing.
    const std::string before = state_hash(db);
    r = import(db, "influencer", dir.file("inf.csv"), dir.file("r3.csv"));
    CHECK(r.out.find("(0 created, 0 updated, 500 unchanged; 0 operations;") != std::string::npos);
    CHECK(state_hash(db) == before);
}

TEST_CASE("import is refused while a server serves the database, but export is not",
          "[server][csv]") {
    TempDir dir;
    const std::string db = fresh_db(dir, "a.db");
    write_file(dir.file("a.csv"), "name\nAna\n");
    {
        ServerProcess server(db, {}, dir.file("server.log"));
        auto r = import(db, "influencer", dir.file("a.csv"), dir.file("r.csv"));
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("another liaison-server (serve, import-csv or restore) is using") !=
              std::string::npos);
        CHECK(run_cli({"export-csv", "--db", db, "--kind", "influencer", "--out", "-"}).exit_code ==
              0);
    }
    CHECK(import(db, "influencer", dir.file("a.csv"), dir.file("r.csv")).exit_code == 0);
}

}  // namespace liaison::test::server_csv_import
