#include "core/model/ids.hpp"

#include <cstring>
#include <random>

#include "core/util/sha256.hpp"

namespace liaison::core {
namespace {

constexpr char kBase32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// Crockford base32 decoding table: -1 for characters outside the alphabet; lower case, and
// the look-alikes O (0), I and L (1), are accepted.
struct Base32Table {
    signed char v[256];
    constexpr Base32Table() : v() {
        for (auto& x : v) x = -1;
        for (int i = 0; i < 32; ++i) {
            v[static_cast<unsigned char>(kBase32[i])] = static_cast<signed char>(i);
            char c = kBase32[i];
            if (c >= 'A' && c <= 'Z')
                v[static_cast<unsigned char>(c - 'A' + 'a')] = static_cast<signed char>(i);
        }
        v[static_cast<unsigned char>('O')] = v[static_cast<unsigned char>('o')] = 0;
        for (char c : {'I', 'i', 'L', 'l'}) v[static_cast<unsigned char>(c)] = 1;
    }
};
constexpr Base32Table kBase32Table;

int base32_value(char c) { return kBase32Table.v[static_cast<unsigned char>(c)]; }

// xoshiro256**: fast, good statistical quality; seeded from random_device or a test seed.
class Xoshiro {
public:
    explicit Xoshiro(std::uint64_t seed) {
        for (auto& s : s_) {  // splitmix64 expansion
            seed += 0x9e3779b97f4a7c15ULL;
            std::uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            s = z ^ (z >> 31);
        }
    }
    std::uint64_t next() {
        std::uint64_t result = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
};

class XoshiroIdSource final : public IdSource {
public:
    explicit XoshiroIdSource(std::uint64_t seed) : rng_(seed) {}
    Id128 next_entity_id(std::uint64_t now_ms) override {
        Id128 id;
        for (int i = 0; i < 6; ++i) id.bytes[i] = std::uint8_t(now_ms >> (40 - 8 * i));
        fill(id.bytes.data() + 6, 10);
        return id;
    }
    Id128 next_replica_id() override {
        Id128 id;
        fill(id.bytes.data(), 16);
        if (id.is_nil()) id.bytes[15] = 1;  // nil is reserved for "no replica"
        return id;
    }

private:
    void fill(std::uint8_t* p, int n) {
        while (n > 0) {
            std::uint64_t r = rng_.next();
            for (int i = 0; i < 8 && n > 0; ++i, --n) *p++ = std::uint8_t(r >> (8 * i));
        }
    }
    Xoshiro rng_;
};

}  // namespace

bool Id128::is_nil() const {
    for (auto b : bytes)
        if (b) return false;
    return true;
}

std::string Id128::to_text() const {
    // 128 bits as 26 base32 digits: the first digit carries the top 3 bits (ULID layout).
    std::string out(26, '0');
    std::uint64_t hi = 0, lo = 0;
    for (int i = 0; i < 8; ++i) hi = (hi << 8) | bytes[i];
    for (int i = 8; i < 16; ++i) lo = (lo << 8) | bytes[i];
    for (int i = 25; i >= 0; --i) {
        out[i] = kBase32[lo & 31];
        lo = (lo >> 5) | (hi << 59);
        hi >>= 5;
    }
    return out;
}

std::optional<Id128> Id128::from_text(std::string_view text) {
    if (text.size() != 26) return std::nullopt;
    std::uint64_t hi = 0, lo = 0;
    for (std::size_t i = 0; i < 26; ++i) {
        int v = base32_value(text[i]);
        if (v < 0) return std::nullopt;
        if (i == 0 && v > 7) return std::nullopt;  // would overflow 128 bits
        hi = (hi << 5) | (lo >> 59);
        lo = (lo << 5) | std::uint64_t(v);
    }
    Id128 id;
    for (int i = 0; i < 8; ++i) id.bytes[i] = std::uint8_t(hi >> (56 - 8 * i));
    for (int i = 0; i < 8; ++i) id.bytes[8 + i] = std::uint8_t(lo >> (56 - 8 * i));
    return id;
}

std::string link_code(const Id128& id) {
    std::uint64_t bits = 0;  // bytes 6..12: the first 56 random bits, 50 of them used
    for (int i = 6; i < 13; ++i) bits = (bits << 8) | id.bytes[std::size_t(i)];
    bits >>= 6;
    std::string out(kLinkCodeChars, '0');
    for (int i = int(kLinkCodeChars) - 1; i >= 0; --i) {
        out[std::size_t(i)] = kBase32[bits & 31];
        bits >>= 5;
    }
    return out;
}

Id128 Id128::from_bytes(const void* data) {
    Id128 id;
    std::memcpy(id.bytes.data(), data, 16);
    return id;
}

Id128 Id128::derive(std::string_view domain, const Id128& a, const Id128& b) {
    Sha256 h;
    h.update(domain);
    h.update(a.bytes.data(), 16);
    h.update(b.bytes.data(), 16);
    auto d = h.finish();
    Id128 id;
    std::memcpy(id.bytes.data(), d.data(), 16);
    return id;
}

Id128 Id128::derive(std::string_view domain, std::string_view a, std::string_view b) {
    Sha256 h;
    h.update(domain);
    for (std::string_view part : {a, b}) {
        h.update_u64(part.size());
        h.update(part);
    }
    auto d = h.finish();
    Id128 id;
    std::memcpy(id.bytes.data(), d.data(), 16);
    return id;
}

std::size_t Id128Hash::operator()(const Id128& id) const noexcept {
    std::uint64_t a, b;
    std::memcpy(&a, id.bytes.data(), 8);
    std::memcpy(&b, id.bytes.data() + 8, 8);
    return std::size_t(a * 0x9e3779b97f4a7c15ULL ^ b);
}

std::unique_ptr<IdSource> make_random_id_source() {
    std::random_device rd;
    std::uint64_t seed = (std::uint64_t(rd()) << 32) ^ rd();
    return std::make_unique<XoshiroIdSource>(seed);
}

std::unique_ptr<IdSource> make_seeded_id_source(std::uint64_t seed) {
    return std::make_unique<XoshiroIdSource>(seed);
}

std::array<std::uint8_t, Stamp::kEncodedSize> Stamp::encode() const {
    std::array<std::uint8_t, kEncodedSize> out;
    for (int i = 0; i < 8; ++i) out[i] = std::uint8_t(hlc >> (56 - 8 * i));
    std::memcpy(out.data() + 8, replica.bytes.data(), 16);
    return out;
}

std::optional<Stamp> Stamp::decode(const void* data, std::size_t size) {
    if (size != kEncodedSize) return std::nullopt;
    auto p = static_cast<const std::uint8_t*>(data);
    Stamp s;
    for (int i = 0; i < 8; ++i) s.hlc = (s.hlc << 8) | p[i];
    std::memcpy(s.replica.bytes.data(), p + 8, 16);
    return s;
}

std::string Stamp::to_text() const {
    static const char* kHex = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 0; i < 16; ++i) out[i] = kHex[(hlc >> (60 - 4 * i)) & 15];
    return out + "-" + replica.to_text();
}

std::optional<Stamp> Stamp::from_text(std::string_view text) {
    if (text.size() != 16 + 1 + 26 || text[16] != '-') return std::nullopt;
    Stamp s;
    for (int i = 0; i < 16; ++i) {
        char c = text[i];
        int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
        if (v < 0) return std::nullopt;
        s.hlc = (s.hlc << 4) | std::uint64_t(v);
    }
    auto r = Id128::from_text(text.substr(17));
    if (!r) return std::nullopt;
    s.replica = *r;
    return s;
}

}  // namespace liaison::core
