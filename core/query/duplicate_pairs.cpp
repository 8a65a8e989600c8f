#include "core/query/duplicate_pairs.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/model/validate.hpp"
#include "core/query/text_match.hpp"

namespace liaison::core {
namespace {

using Step = Statement::Step;

enum PairReason { kByHandle = 0, kByEmail, kByPhone, kByName, kPairReasonCount };
const char* const kPairReasonNames[kPairReasonCount] = {"handle", "email", "phone", "name"};

// Numbers are compared on their last digits (core/query/text_match.hpp), as the duplicate check
// of the create form does (core/query/duplicates.hpp).
std::string phone_key(std::string_view phone) {
    std::string d;
    for (char c : phone)
        if (c >= '0' && c <= '9') d += c;
    if (d.size() < kMinPhoneDigits) return {};
    return d.size() > kPhoneTailDigits ? d.substr(d.size() - kPhoneTailDigits) : d;
}

// DP1: the folded words of a name, sorted: order and punctuation do not matter. Bytes of
// multi-byte characters fold_for_match leaves are word bytes.
std::string name_key(std::string_view name) {
    const std::string folded = fold_for_match(name);
    std::vector<std::string> words;
    std::string word;
    for (char c : folded) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u >= 0x80) {
            word += c;
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    std::sort(words.begin(), words.end());
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

struct PairHash {
    std::size_t operator()(std::uint64_t v) const { return std::hash<std::uint64_t>{}(v); }
};

}  // namespace

Result<std::vector<DuplicatePair>> find_duplicate_pairs(Store& store) {
    const KindDef& k = kind_def(Kind::kInfluencer);
    const FieldDef& name_f = k.fields[std::size_t(k.field_index("name"))];
    const FieldDef& email_f = k.fields[std::size_t(k.field_index("email"))];
    const FieldDef& phone_f = k.fields[std::size_t(k.field_index("phone"))];
    const int handles_set = k.set_index("handles"), distinct_set = k.set_index("distinct_from");

    // DP2: surviving, visible people, numbered.
    std::vector<Id128> ids;
    std::vector<std::string> names;
    std::unordered_map<Id128, std::uint32_t, Id128Hash> index;
    std::unordered_map<std::string, std::vector<std::uint32_t>> keys[kPairReasonCount];
    {
        auto& st = store.db().cached("SELECT eid," + value_column(name_f) + "," +
                                     value_column(email_f) + "," + value_column(phone_f) +
                                     " FROM " + table_name(Kind::kInfluencer) +
                                     " WHERE created IS NOT NULL AND deleted IS NULL");
        Step s;
        while ((s = st.step()) == Step::kRow) {
            auto blob = st.column_blob(0);
            if (blob.size() != 16) continue;
            const Id128 id = Id128::from_bytes(blob.data());
            if (store.root_of(id) != id || store.is_erased(id)) continue;
            const auto n = std::uint32_t(ids.size());
            ids.push_back(id);
            index.emplace(id, n);
            names.push_back(st.column_is_null(1) ? std::string() : st.column_text(1));
            if (std::string key = name_key(names.back()); !key.empty())
                keys[kByName][key].push_back(n);
            if (!st.column_is_null(2)) {
                std::string key = fold_for_match(st.column_text_view(2));
                if (!key.empty()) keys[kByEmail][key].push_back(n);
            }
            if (!st.column_is_null(3)) {
                std::string key = phone_key(st.column_text_view(3));
                if (!key.empty()) keys[kByPhone][key].push_back(n);
            }
        }
        if (s == Step::kError) return Status::storage(st.error());
        st.reset();
    }

    // Handles ("platform:handle:audience") and the people found distinct, by element.
    std::vector<std::pair<Id128, Id128>> distinct;
    {
        auto& st =
            store.db().cached("SELECT eid,sidx,elem FROM sdot WHERE removed=0 AND sidx IN (?1,?2)");
        st.bind(1, std::int64_t(handles_set)).bind(2, std::int64_t(distinct_set));
        Step s;
        while ((s = st.step()) == Step::kRow) {
            auto blob = st.column_blob(0);
            if (blob.size() != 16) continue;
            const Id128 id = Id128::from_bytes(blob.data());
            const std::string_view elem = st.column_text_view(2);
            if (st.column_int(1) == distinct_set) {
                if (auto other = Id128::from_text(elem)) distinct.emplace_back(id, *other);
                continue;
            }
            auto it = index.find(id);
            if (it == index.end()) continue;  // merged away or not visible: DP2
            const auto colon = elem.rfind(':');
            if (colon == std::string_view::npos || colon == 0) continue;
            auto& group = keys[kByHandle][fold_for_match(elem.substr(0, colon))];
            // A handle held by several dots (concurrent adds) counts once.
            if (group.empty() || group.back() != it->second) group.push_back(it->second);
        }
        if (s == Step::kError) return Status::storage(st.error());
        st.reset();
    }

    auto pair_key = [](std::uint32_t x, std::uint32_t y) {
        if (x > y) std::swap(x, y);
        return (std::uint64_t(x) << 32) | y;
    };
    // DP3: dismissed pairs, between survivors.
    std::unordered_set<std::uint64_t, PairHash> dismissed;
    for (const auto& [x, y] : distinct) {
        auto ix = index.find(store.root_of(x)), iy = index.find(store.root_of(y));
        if (ix != index.end() && iy != index.end() && ix->second != iy->second)
            dismissed.insert(pair_key(ix->second, iy->second));
    }

    std::unordered_map<std::uint64_t, unsigned, PairHash> found;
    for (int r = 0; r < kPairReasonCount; ++r) {
        for (auto& [key, group] : keys[r]) {
            std::sort(group.begin(), group.end());
            group.erase(std::unique(group.begin(), group.end()), group.end());
            if (group.size() < 2 || group.size() > kMaxDuplicateGroup) continue;  // DP4
            for (std::size_t i = 0; i < group.size(); ++i)
                for (std::size_t j = i + 1; j < group.size(); ++j) {
                    const auto pk = pair_key(group[i], group[j]);
                    if (!dismissed.count(pk)) found[pk] |= 1u << r;
                }
        }
    }

    struct Found {
        DuplicatePair pair;
        std::string folded;
    };
    std::vector<Found> out;
    out.reserve(found.size());
    for (const auto& [pk, mask] : found) {
        Found f;
        Id128 x = ids[pk >> 32], y = ids[pk & 0xffffffffu];
        const auto first = x < y ? std::uint32_t(pk >> 32) : std::uint32_t(pk & 0xffffffffu);
        f.pair.a = std::min(x, y);
        f.pair.b = std::max(x, y);
        for (int r = 0; r < kPairReasonCount; ++r)
            if (mask & (1u << r)) f.pair.reasons.push_back(kPairReasonNames[r]);
        f.folded = fold_for_match(names[first]);
        out.push_back(std::move(f));
    }
    // DP5.
    std::sort(out.begin(), out.end(), [](const Found& p, const Found& q) {
        if (p.pair.reasons.size() != q.pair.reasons.size())
            return p.pair.reasons.size() > q.pair.reasons.size();
        if (p.folded != q.folded) return p.folded < q.folded;
        if (p.pair.a != q.pair.a) return p.pair.a < q.pair.a;
        return p.pair.b < q.pair.b;
    });
    std::vector<DuplicatePair> pairs;
    pairs.reserve(out.size());
    for (auto& f : out) pairs.push_back(std::move(f.pair));
    return pairs;
}

}  // namespace liaison::core
