#include "server/demo/demo.hpp"

#include <cstdio>
#include <cstdlib>
#include <random>

#include "core/model/ids.hpp"
#include "core/util/text.hpp"
#include "server/backend/sync_backend.hpp"

namespace liaison::server {
namespace {

using core::Id128;
using core::Kind;
using core::Value;
using sync::FieldWrite;
using sync::Op;
using sync::OpType;

constexpr const char* kDemoUsersKey = "server_demo_users";
constexpr std::int64_t kDayMs = 86'400'000;

struct Name {
    const char* display;
    const char* ascii;  // for e-mails and handles
};
const Name kFirst[] = {{"Hélène", "helene"},
                       {"Zoë", "zoe"},
                       {"Chloé", "chloe"},
                       {"Jérôme", "jerome"},
                       {"Anaïs", "anais"},
                       {"Noël", "noel"},
                       {"Léa", "lea"},
                       {"Maël", "mael"},
                       {"Björn", "bjorn"},
                       {"Oğuz", "oguz"},
                       {"Ana", "ana"},
                       {"João", "joao"},
                       {"Inès", "ines"},
                       {"François", "francois"},
                       {"Cécile", "cecile"},
                       {"Raphaël", "raphael"},
                       {"Agnès", "agnes"},
                       {"Loïc", "loic"},
                       {"Mélanie", "melanie"},
                       {"Émile", "emile"},
                       {"Gaëlle", "gaelle"},
                       {"Thérèse", "therese"},
                       {"Sébastien", "sebastien"},
                       {"Océane", "oceane"},
                       {"Camille", "camille"},
                       {"Lucas", "lucas"},
                       {"Manon", "manon"},
                       {"Hugo", "hugo"},
                       {"Jeanne", "jeanne"},
                       {"Yasmine", "yasmine"},
                       {"Karim", "karim"},
                       {"Sofía", "sofia"},
                       {"Ingrid", "ingrid"},
                       {"Matéo", "mateo"}};
const Name kLast[] = {
    {"Dupont", "dupont"},     {"Lefèvre", "lefevre"},       {"Bérenger", "berenger"},
    {"Rousseau", "rousseau"}, {"Girard", "girard"},         {"Mercier", "mercier"},
    {"Faure", "faure"},       {"Müller", "muller"},         {"Núñez", "nunez"},
    {"Čapek", "capek"},       {"Østergaard", "ostergaard"}, {"Lemaître", "lemaitre"},
    {"Benoît", "benoit"},     {"Da Silva", "dasilva"},      {"Moreau", "moreau"},
    {"Lambert", "lambert"},   {"Fontaine", "fontaine"},     {"Chevalier", "chevalier"},
    {"Nguyễn", "nguyen"},     {"Benali", "benali"},         {"Łukasik", "lukasik"},
    {"Åberg", "aberg"},       {"Göksel", "goksel"},         {"Marchand", "marchand"}};
const char* kRegions[][2] = {{"Île-de-France", "IDF"},
                             {"Auvergne-Rhône-Alpes", "ARA"},
                             {"Provence-Alpes-Côte d'Azur", "PACA"}};
const char* kBrands[] = {"Maison Lumière", "Atelier Véga"};
const char* kCities[] = {"Paris",           "Versailles", "Saint-Denis", "Lyon",
                         "Grenoble",        "Annecy",     "Marseille",   "Nice",
                         "Aix-en-Provence", "Toulon"};
const int kStoreRegion[] = {0, 0, 0, 1, 1, 1, 2, 2, 2, 2};
const char* kTouchpoints[] = {"store", "event",   "email", "social",
                              "phone", "gifting", "loan",  "meeting"};
const char* kDepartments[] = {"pr", "social", "marketing", "retail", "customer_service", "events"};
const char* kTones[] = {"positive", "positive", "neutral", "neutral", "negative"};
const char* kSummaries[] = {"Came by the store, loved the new collection",
                            "Asked for samples of the autumn range",
                            "Follow-up on the gifting parcel",
                            "Shared a story about the launch",
                            "Met at the preview evening",
                            "Wants to hear about the next event",
                            "Returned the loaned piece, all in order",
                            "Mentioned a competitor's offer",
                            "Thank-you note after the workshop",
                            "Phone call about a collaboration"};
const char* kPlatforms[] = {"instagram", "instagram", "instagram", "tiktok", "youtube"};
const char* kTopics[] = {"beauty", "fashion", "lifestyle", "travel", "food", "wellness", "design"};

// "YYYY-MM-DD" of a time in ms since the epoch (UTC). Howard Hinnant's civil_from_days.
std::string date_of(std::int64_t ms) {
    std::int64_t z = (ms >= 0 ? ms : ms - kDayMs + 1) / kDayMs + 719468;
    std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    std::int64_t doe = z - era * 146097;
    std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    std::int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1,
                 m = mp < 10 ? mp + 3 : mp - 9;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", int(y + (m <= 2)), int(m), int(d));
    return buf;
}

// Applies the demo's operations through the hub, as the server's own replica.
class Maker {
public:
    Maker(sync::Hub& hub, const Id128& replica, std::uint64_t seed, std::uint64_t now_ms)
        : hub_(hub),
          replica_(replica),
          rng_(seed),
          ids_(core::make_seeded_id_source(seed)),
          now_(now_ms) {
        ctx_.replica = replica;
        ctx_.role = sync::Role::kCentral;
        ctx_.scope = sync::Scope::everything();
    }

    std::uint64_t next(std::uint64_t n) { return n ? rng_() % n : 0; }
    bool chance(int percent) { return int(next(100)) < percent; }
    template <typename T, std::size_t N>
    const T& pick(const T (&a)[N]) {
        return a[next(N)];
    }

    Id128 create(Kind kind, std::vector<FieldWrite> fields,
                 std::optional<Id128> id = std::nullopt) {
        Id128 made = id ? *id : ids_->next_entity_id(now_);
        submit(sync::field_op(OpType::kCreate, kind, made, std::move(fields)));
        return made;
    }
    void add(Kind kind, const Id128& id, std::string set, std::string elem) {
        submit(sync::elem_op(OpType::kAdd, kind, id, std::move(set), std::move(elem)));
    }
    void submit(Op op) {
        op.id = core::Stamp{hub_.clock().send(), replica_};
        auto r = hub_.apply_one(ctx_, std::move(op));
        if (r.outcome == sync::Outcome::kRejected) {
            if (summary.rejected++ == 0)
                summary.first_rejection = std::string(code_name(r.code)) + ": " + r.detail;
        } else {
            ++summary.operations;
        }
    }

    DemoSummary summary;
    std::uint64_t now() const { return now_; }

private:
    sync::Hub& hub_;
    Id128 replica_;
    sync::DeviceContext ctx_;
    std::mt19937_64 rng_;
    std::unique_ptr<core::IdSource> ids_;
    std::uint64_t now_;
};

FieldWrite f(const char* name, Value v) { return FieldWrite{name, std::move(v)}; }
Value txt(std::string s) { return Value{std::move(s)}; }
Value num(std::int64_t n) { return Value{n}; }

std::vector<std::int64_t> demo_users(core::Store& store) {
    std::vector<std::int64_t> out;
    if (auto v = store.meta_get(kDemoUsersKey))
        for (const auto& s : core::split_list(*v)) out.push_back(std::atoll(s.c_str()));
    return out;
}

}  // namespace

bool database_is_empty(core::Store& store) {
    if (store.last_seq() != 0) return false;
    auto n = core::count_users(store);
    return !n || n.value() == 0;
}

Result<DemoSummary> load_demo(core::Store& store, sync::Hub& hub, const DemoOptions& opts) {
    auto replica = server_replica_id(store);
    if (!replica) return replica.status();
    const std::uint64_t now = opts.now_ms ? opts.now_ms : hub.clock().physical_ms();
    Maker m(hub, replica.value(), opts.seed, now);
    const auto now_i = std::int64_t(now);

    core::WriteTxn txn(store);
    LIAISON_TRY(txn.begun());

    std::vector<Id128> regions, brands, stores, staff, events, campaigns, influencers;
    for (auto& r : kRegions)
        regions.push_back(m.create(Kind::kRegion, {f("name", txt(r[0])), f("code", txt(r[1]))}));
    for (auto* b : kBrands) brands.push_back(m.create(Kind::kBrand, {f("name", txt(b))}));
    for (int i = 0; i < 10; ++i) {
        const std::string brand = brands[std::size_t(i % 2)].to_text();
        stores.push_back(m.create(
            Kind::kStore, {f("name", txt(std::string(kBrands[i % 2]) + " " + kCities[i])),
                           f("region", txt(regions[std::size_t(kStoreRegion[i])].to_text())),
                           f("brand", txt(brand)), f("city", txt(kCities[i]))}));
    }
    // Staff: five per store; their e-mails are the company's, not personal ones.
    std::vector<std::size_t> staff_store;
    for (int i = 0; i < 50; ++i) {
        std::size_t s = std::size_t(i % 10);
        const Name& fn = m.pick(kFirst);
        const Name& ln = m.pick(kLast);
        staff.push_back(m.create(
            Kind::kStaff,
            {f("name", txt(std::string(fn.display) + " " + ln.display)),
             f("email", txt(std::string(fn.ascii) + "." + ln.ascii + std::to_string(i) +
                            "@liaison.example")),
             f("department", txt(m.pick(kDepartments))),
             f("region", txt(regions[std::size_t(kStoreRegion[s])].to_text())),
             f("store", txt(stores[s].to_text())), f("brand", txt(brands[s % 2].to_text()))}));
        staff_store.push_back(s);
    }
    const char* kCampaigns[] = {"Printemps lumineux", "Rentrée Véga", "Fêtes de fin d'année"};
    for (int i = 0; i < 3; ++i) {
        std::int64_t start = now_i - (60 - 40 * i) * kDayMs;
        std::vector<FieldWrite> fw = {f("name", txt(kCampaigns[i])),
                                      f("starts", txt(date_of(start))),
                                      f("ends", txt(date_of(start + 45 * kDayMs))),
                                      f("budget", num(2'500'000 + 1'000'000 * i)),
                                      f("currency", txt("EUR")),
                                      f("brand", txt(brands[std::size_t(i % 2)].to_text()))};
        if (i < 2) fw.push_back(f("region", txt(regions[std::size_t(i)].to_text())));
        campaigns.push_back(m.create(Kind::kCampaign, std::move(fw)));
        m.add(Kind::kCampaign, campaigns.back(), "kpis", "reach");
        m.add(Kind::kCampaign, campaigns.back(), "kpis", i == 2 ? "sales" : "engagement");
    }
    const char* kEvents[] = {"Soirée de lancement", "Atelier découverte", "Brunch créateurs",
                             "Avant-première été", "Masterclass maquillage"};
    std::vector<std::size_t> event_store;
    std::vector<std::int64_t> event_start;
    for (int i = 0; i < 5; ++i) {
        std::size_t s = std::size_t(2 * i + (i % 2));
        std::int64_t start = now_i - (70 - 18 * i) * kDayMs + 18 * 3'600'000;
        events.push_back(m.create(
            Kind::kEvent, {f("name", txt(std::string(kEvents[i]) + " — " + kCities[s])),
                           f("starts", num(start)), f("ends", num(start + 3 * 3'600'000)),
                           f("venue", txt(std::string("Boutique ") + kCities[s])),
                           f("capacity", num(80 + 20 * i)),
                           f("campaign", txt(campaigns[std::size_t(i % 3)].to_text())),
                           f("brand", txt(brands[s % 2].to_text())),
                           f("region", txt(regions[std::size_t(kStoreRegion[s])].to_text())),
                           f("store", txt(stores[s].to_text()))}));
        event_store.push_back(s);
        event_start.push_back(start);
    }

    // Influencers: most belong to a store (and its region), some to a region only.
    const char* kTiers[] = {"top",      "expert",   "expert",   "employee", "advocate", "advocate",
                            "advocate", "prospect", "prospect", "prospect", "prospect", "prospect"};
    std::vector<std::size_t> inf_store;  // 10: region only
    std::vector<std::size_t> inf_region;
    for (int i = 0; i < opts.influencers; ++i) {
        const Name& fn = m.pick(kFirst);
        const Name& ln = m.pick(kLast);
        std::size_t s = std::size_t(m.next(10));
        std::size_t reg = std::size_t(kStoreRegion[s]);
        bool region_only = m.chance(10);
        char phone[32];
        std::snprintf(phone, sizeof phone, "+33 6 %02d %02d %02d %02d", int(m.next(100)),
                      int(m.next(100)), int(m.next(100)), int(m.next(100)));
        std::vector<FieldWrite> fw = {
            f("name", txt(std::string(fn.display) + " " + ln.display)),
            f("email", txt(std::string(fn.ascii) + "." + ln.ascii + "." + std::to_string(i) +
                           "@example.com")),
            f("phone", txt(phone)),
            f("country", txt(m.chance(85) ? "FR" : "BE")),
            f("tier", txt(m.pick(kTiers))),
            f("owner", txt(staff[s + 10 * m.next(5)].to_text())),
            f("status", txt(m.chance(95) ? "active" : "do_not_contact")),
            f("consent", txt(m.chance(70) ? "granted" : "unknown")),
            f("consent_basis", txt("consent")),
            f("region", txt(regions[reg].to_text())),
            f("brand", txt(brands[s % 2].to_text())),
        };
        if (!region_only) fw.push_back(f("store", txt(stores[s].to_text())));
        Id128 id = m.create(Kind::kInfluencer, std::move(fw));
        influencers.push_back(id);
        inf_store.push_back(region_only ? 10 : s);
        inf_region.push_back(reg);
        m.add(Kind::kInfluencer, id, "handles",
              std::string(m.pick(kPlatforms)) + ":" + fn.ascii + "." + ln.ascii +
                  std::to_string(i) + ":" + std::to_string(500 + m.next(200'000)));
        if (m.chance(30)) m.add(Kind::kInfluencer, id, "topics", m.pick(kTopics));
        if (m.chance(20)) m.add(Kind::kInfluencer, id, "languages", m.chance(50) ? "fr" : "en");
    }

    // Interactions over the last 90 days; a few influencers get most of the attention.
    for (int i = 0; i < opts.interactions && !influencers.empty(); ++i) {
        std::size_t k = m.chance(40)
                            ? std::size_t(m.next(std::min<std::size_t>(influencers.size(), 100)))
                            : std::size_t(m.next(influencers.size()));
        std::size_t s = inf_store[k] == 10 ? std::size_t(m.next(10)) : inf_store[k];
        std::vector<FieldWrite> fw = {
            f("influencer", txt(influencers[k].to_text())),
            f("at", num(now_i - std::int64_t(m.next(std::uint64_t(90 * kDayMs))))),
            f("touchpoint", txt(m.pick(kTouchpoints))),
            f("department", txt(m.pick(kDepartments))),
            f("brand", txt(brands[s % 2].to_text())),
            f("region", txt(regions[inf_region[k]].to_text())),
            f("staff", txt(staff[s + 10 * m.next(5)].to_text())),
            f("summary", txt(m.pick(kSummaries))),
            f("tone", txt(m.pick(kTones))),
        };
        if (inf_store[k] != 10) fw.push_back(f("store", txt(stores[s].to_text())));
        m.create(Kind::kInteraction, std::move(fw));
    }

    // Check-ins of known guests: the derived id is the one any device would make.
    for (std::size_t e = 0; e < events.size(); ++e) {
        if (event_start[e] > now_i) continue;
        int guests = 40 + int(m.next(40));
        std::size_t s = event_store[e];
        for (int g = 0; g < guests && !influencers.empty(); ++g) {
            std::size_t k = std::size_t(m.next(influencers.size()));
            m.create(
                Kind::kCheckin,
                {f("event", txt(events[e].to_text())),
                 f("influencer", txt(influencers[k].to_text())),
                 f("at", num(event_start[e] + std::int64_t(m.next(3 * 3'600'000)))),
                 f("staff", txt(staff[s + 10 * m.next(5)].to_text())),
                 f("walk_in", num(m.chance(15) ? 1 : 0)), f("brand", txt(brands[s % 2].to_text())),
                 f("region", txt(regions[std::size_t(kStoreRegion[s])].to_text())),
                 f("store", txt(stores[s].to_text()))},
                Id128::derive("checkin", events[e], influencers[k]));
        }
    }
    LIAISON_TRY(store.meta_set("server_clock", std::to_string(hub.clock().state())));
    LIAISON_TRY(txn.commit());

    // One user of every role; the scoped ones see one region, one store, one region.
    struct U {
        const char* name;
        sync::Role role;
        std::vector<std::string> regions, stores;
    };
    const U users[] = {
        {"Démo Admin", sync::Role::kAdmin, {}, {}},
        {"Démo Siège", sync::Role::kCentral, {}, {}},
        {"Démo Région", sync::Role::kRegional, {regions[0].to_text()}, {}},
        {"Démo Boutique", sync::Role::kStore, {}, {stores[0].to_text()}},
        {"Démo Terrain", sync::Role::kField, {regions[1].to_text()}, {}},
    };
    std::string ids;
    for (const auto& u : users) {
        UserSpec spec;
        spec.name = u.name;
        spec.role = u.role;
        spec.regions = u.regions;
        spec.stores = u.stores;
        auto id = add_user(store, spec, "demo");
        if (!id) return id.status();
        m.summary.users.push_back(id.value());
        ids += (ids.empty() ? "" : ",") + std::to_string(id.value());
    }
    LIAISON_TRY(store.meta_set(kDemoUsersKey, ids));
    return m.summary;
}

Result<std::vector<DemoLogin>> issue_demo_tokens(core::Store& store) {
    std::vector<DemoLogin> out;
    for (std::int64_t user : demo_users(store)) {
        auto row = core::find_user(store, user);
        auto role =
            row.is_ok() && row.value() ? sync::role_from_name(row.value()->role) : std::nullopt;
        if (!role) continue;  // removed by hand: nothing to sign in as
        if (auto revoked = core::revoke_device_tokens(store, user, "demo", wall_ms()); !revoked)
            return revoked.status();
        auto tok = issue_token(store, user, "demo", "demo");
        if (!tok) return tok.status();
        out.push_back(DemoLogin{*role, user, tok.value()});
    }
    return out;
}

}  // namespace liaison::server
