// SHA-256 (FIPS 180-4), incremental. Used for state hashes (identical on native and
// WebAssembly builds: only fixed-width integer arithmetic), derived ids and token hashes.
// Thread-safety: a value; one instance per thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace liaison::core {

class Sha256 {
public:
    using Digest = std::array<std::uint8_t, 32>;
    Sha256();
    void update(const void* data, std::size_t size);
    void update(std::string_view s) { update(s.data(), s.size()); }
    void update_u64(std::uint64_t v);  // 8 bytes big-endian
    Digest finish();                   // the object must not be updated afterwards

    static Digest of(std::string_view s);
    static std::string hex(const Digest& d);

private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> h_;
    std::array<std::uint8_t, 64> buf_{};
    std::size_t buf_len_ = 0;
    std::uint64_t total_ = 0;
};

}  // namespace liaison::core
