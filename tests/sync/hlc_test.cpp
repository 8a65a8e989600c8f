// Hybrid logical clock (sync/hlc.hpp, docs/SYNC.md rule R9).
#include "sync/hlc.hpp"

#include <catch2/catch.hpp>

#include "support/harness.hpp"

namespace liaison::test::sync_hlc {

TEST_CASE("stamps strictly increase even when the wall clock stands still or goes back",
          "[sync][hlc]") {
    sync::ManualTimeSource t(1'000);
    sync::HybridClock c(t);
    std::uint64_t last = c.send();
    CHECK(sync::hlc_millis(last) == 1'000);
    for (int i = 0; i < 100; ++i) {
        if (i == 50) t.set(500);  // the clock is set back
        std::uint64_t s = c.send();
        REQUIRE(s > last);
        last = s;
    }
    CHECK(sync::hlc_millis(last) == 1'000);
}

TEST_CASE("a counter overflow advances the millisecond", "[sync][hlc]") {
    sync::ManualTimeSource t(1'000);
    sync::HybridClock c(t, sync::hlc_from_millis(1'000) | 0xFFFF);
    std::uint64_t s = c.send();
    CHECK(sync::hlc_millis(s) == 1'001);
    CHECK((s & 0xFFFF) == 0);
}

TEST_CASE("receiving a stamp from the future lifts the clock past it", "[sync][hlc]") {
    sync::ManualTimeSource t(1'000);
    sync::HybridClock c(t);
    std::uint64_t remote = sync::hlc_from_millis(9'000) + 3;
    c.receive(remote);
    CHECK(c.send() > remote);
    t.set(20'000);
    CHECK(sync::hlc_millis(c.send()) == 20'000);  // physical time takes over again
}

TEST_CASE("a replica's stamps keep increasing across a reopen", "[sync][hlc]") {
    TempDir dir;
    sync::ManualTimeSource t(1'700'000'000'000ULL);
    auto node = open_node(dir.file("r.db"), t, 3);
    auto a = node->replica->create(core::Kind::kBrand, {{"name", std::string("Maison A")}});
    REQUIRE(a.is_ok());
    std::uint64_t before = node->replica->clock().state();
    t.set(1'600'000'000'000ULL);  // the tablet's clock was reset to an old date
    reopen(*node, t);
    CHECK(node->replica->clock().state() == before);
    auto b = node->replica->create(core::Kind::kBrand, {{"name", std::string("Maison B")}});
    REQUIRE(b.is_ok());
    CHECK(node->replica->clock().state() > before);
}

TEST_CASE("every error code has a stable name and a message", "[core][status]") {
    for (int i = 0; i < kCodeCount; ++i) {
        Code c = Code(i);
        INFO(i);
        CHECK(std::string(code_name(c)).size() > 1);
        CHECK(std::string(code_message(c)).size() > 5);
        CHECK(code_from_name(code_name(c)) == c);
    }
    CHECK(std::string(code_name(Code::kClockAhead)) == "clock_ahead");
    CHECK_FALSE(code_from_name("no_such_code").has_value());
}

}  // namespace liaison::test::sync_hlc
