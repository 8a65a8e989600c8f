// A server database opened in process (no server process): the sync store with the server's
// own tables, for tests of the server's modules.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "core/storage/store.hpp"
#include "server/admin/accounts.hpp"

namespace liaison::test {

inline std::unique_ptr<core::Store> server_store(const std::string& path) {
    auto s = core::Store::open(path, core::StoreOptions{true, false});
    REQUIRE(s.is_ok());
    REQUIRE(server::ensure_server_schema(*s.value()).is_ok());
    return std::move(s).value();
}

}  // namespace liaison::test
