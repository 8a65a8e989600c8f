// Identities: 128-bit ids created offline without coordination, and operation stamps.
//
// Id128 is used for entities (ULID layout: 48-bit milliseconds then 80 random bits, so ids
// made later sort later and B-tree inserts stay local) and for replicas (128 random bits).
// Its text form is 26 characters of Crockford base32, upper case; parsing also accepts lower
// case. Stamp is an operation id: (HLC, replica id), totally ordered by HLC as an unsigned
// integer, then replica id bytes. The pair is unique, so two different operations never tie.
//
// Thread-safety: values. IdSource implementations document their own.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace liaison::core {

struct Id128 {
    std::array<std::uint8_t, 16> bytes{};

    bool is_nil() const;
    std::string to_text() const;  // 26 chars, Crockford base32
    static std::optional<Id128> from_text(std::string_view text);
    static Id128 from_bytes(const void* data);  // Requires: 16 readable bytes.
    // Deterministic id from a name (SHA-256 of the parts, truncated): two devices that check in
    // the same known guest at the same event make the same check-in id.
    static Id128 derive(std::string_view domain, const Id128& a, const Id128& b);
    // From names given as text (a shop and its order reference: one conversion however often
    // the order is sent). Each part is hashed with its length, so ("ab","c") and ("a","bc")
    // differ.
    static Id128 derive(std::string_view domain, std::string_view a, std::string_view b);

    // Byte-wise order (written out: Emscripten 3.1.6's libc++ has no <=> for std::array).
    std::strong_ordering operator<=>(const Id128& o) const {
        int c = std::memcmp(bytes.data(), o.bytes.data(), bytes.size());
        return c < 0   ? std::strong_ordering::less
               : c > 0 ? std::strong_ordering::greater
                       : std::strong_ordering::equal;
    }
    bool operator==(const Id128& o) const { return bytes == o.bytes; }
};

// A tracked link's short code for `id` (docs/PROGRAMMES.md "Links and conversions"): 10
// Crockford base32 characters (upper case) from the first 50 of the id's 80 random bits
// (bytes 6..15; bytes 0..5 are its milliseconds, which links made in the same campaign share).
// A device that creates a link offline takes this code: two links made anywhere have the same
// code with probability 2^-50 per pair, and the server refuses a code already used (409).
std::string link_code(const Id128& id);
inline constexpr std::size_t kLinkCodeChars = 10;

struct Id128Hash {
    std::size_t operator()(const Id128& id) const noexcept;
};

// Source of new ids; injectable so tests are reproducible.
class IdSource {
public:
    virtual ~IdSource() = default;
    // A new entity id (ULID layout) for the given wall-clock milliseconds.
    virtual Id128 next_entity_id(std::uint64_t now_ms) = 0;
    // A new random replica id.
    virtual Id128 next_replica_id() = 0;
};

// Cryptographically seeded (std::random_device), xoshiro256** stream. Not thread-safe.
std::unique_ptr<IdSource> make_random_id_source();
// Deterministic stream for tests and benchmarks. Not thread-safe.
std::unique_ptr<IdSource> make_seeded_id_source(std::uint64_t seed);

// Operation id. Order: hlc, then replica bytes.
struct Stamp {
    std::uint64_t hlc = 0;
    Id128 replica;

    bool is_zero() const { return hlc == 0 && replica.is_nil(); }
    // The greatest stamp: the clock the anonymise rule (docs/SYNC.md R12) gives the fields it
    // empties, so that no write, earlier or later, wins over them (R2). No clock reads it; a
    // replica's clock never takes it up (sync/replica.cpp).
    static Stamp top() {
        Stamp s;
        s.hlc = UINT64_MAX;
        s.replica.bytes.fill(0xFF);
        return s;
    }
    bool is_top() const { return *this == top(); }
    auto operator<=>(const Stamp&) const = default;
    bool operator==(const Stamp&) const = default;

    static constexpr std::size_t kEncodedSize = 24;
    // 8 bytes big-endian HLC then the 16 replica bytes: memcmp order == Stamp order, which lets
    // SQLite compare stamps stored as BLOBs.
    std::array<std::uint8_t, kEncodedSize> encode() const;
    static std::optional<Stamp> decode(const void* data, std::size_t size);
    std::string to_text() const;  // "<hlc hex 16>-<replica text>", for logs and JSON
    static std::optional<Stamp> from_text(std::string_view text);
};

}  // namespace liaison::core
