#include "server/demo/demo.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string_view>

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
const char* kVettingNotes[] = {
    "Older posts mention a competitor: fine for gifting, not for paid work",
    "Two paid posts in 2025 without a disclosure: ask for #ad on every post",
    "Most of the audience is outside France",
    "Heated statements about a competitor in March: check again in six months"};
const char* kIntermediaries[] = {"Agence Étoile", "Talents & Co", "Nova Management"};
const char* kReferrers[] = {"https://www.instagram.com/", "https://www.tiktok.com/",
                            "https://www.youtube.com/", "https://l.facebook.com/"};
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
          more_(seed ^ 0x6d6f64656c5f3135ULL),
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
    // The rest of the model (consent, vetting, collaborations, content, links, duplicates)
    // draws from a stream of its own, so that the company's people, contacts and check-ins
    // stay those the same seed made before these parts were seeded.
    std::uint64_t more(std::uint64_t n) { return n ? more_() % n : 0; }
    bool more_chance(int percent) { return int(more(100)) < percent; }
    template <typename T, std::size_t N>
    const T& more_pick(const T (&a)[N]) {
        return a[more(N)];
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
    std::mt19937_64 rng_, more_;
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

// "helene.dupont" -> "Helene Dupont" (sep ' ') or "Helene.Dupont" (sep '.').
std::string capitalised(std::string_view dotted, char sep) {
    std::string out;
    bool start = true;
    for (char ch : dotted) {
        if (ch == '.') {
            out += sep;
            start = true;
            continue;
        }
        out += start && ch >= 'a' && ch <= 'z' ? char(ch - 'a' + 'A') : ch;
        start = false;
    }
    return out;
}
std::string ascii_upper(std::string s) {
    for (char& ch : s)
        if (ch >= 'a' && ch <= 'z') ch = char(ch - 'a' + 'A');
    return s;
}

// What the later parts of the demo need to know of a person it made.
struct Person {
    Id128 id;
    std::string name, ascii;       // ascii: "helene.dupont", for e-mails, handles, link codes
    std::string platform, handle;  // her handle: "instagram", "helene.dupont12"
    std::string email, phone;
    std::size_t store = 0;  // 10: region only
    std::size_t region = 0, brand = 0;
};

// What the later parts need to know of the company made so far.
struct Company {
    std::vector<Id128> regions, brands, stores, staff, campaigns;
    std::vector<std::int64_t> campaign_start, campaign_end;  // ms; the end excluded
    std::vector<Person> people;
    std::size_t originals = 0;  // people[0, originals) are nobody's duplicate
};

// One of the brand's campaigns (campaigns alternate brands).
std::size_t campaign_of(Maker& m, const Company& c, std::size_t brand) {
    std::vector<std::size_t> mine;
    for (std::size_t i = 0; i < c.campaigns.size(); ++i)
        if (i % 2 == brand) mine.push_back(i);
    return mine[m.more(mine.size())];
}

// `n` letters and digits, for the ids in content addresses.
std::string token(Maker& m, int n) {
    static const char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string out;
    for (int i = 0; i < n; ++i) out += kChars[m.more(sizeof kChars - 1)];
    return out;
}

// Collaborations of every type and status, the content people published, and tracked links
// with their clicks (some bought something), on the company's people (not its duplicates).
void seed_partnerships(Maker& m, const Company& c, const DemoOptions& opts) {
    if (c.originals == 0) return;
    const auto now_i = std::int64_t(m.now());
    const auto person_of = [&](std::size_t k) {
        const Person& p = c.people[k];
        return std::vector<FieldWrite>{f("influencer", txt(p.id.to_text())),
                                       f("brand", txt(c.brands[p.brand].to_text())),
                                       f("region", txt(c.regions[p.region].to_text()))};
    };
    const char* kTypes[] = {"paid", "gifted", "loan", "affiliate"};
    const char* kStatuses[] = {"proposed", "active", "completed", "cancelled"};
    const char* kDeliverables[] = {"Two posts and three stories, marked #ad",
                                   "A parcel of the new collection; no post required",
                                   "A piece lent for an evening, back within a week",
                                   "12 % commission on sales through her tracked link"};
    const char* kPrefix[] = {"LUM", "VEG"};
    std::vector<std::size_t> partners;
    const int collaborations = std::clamp(opts.influencers / 25, 8, 80);
    for (int j = 0; j < collaborations; ++j) {
        // The top of the pyramid more often: the first hundred get most contacts too.
        const std::size_t k = m.more_chance(50)
                                  ? std::size_t(m.more(std::min<std::size_t>(c.originals, 100)))
                                  : std::size_t(m.more(c.originals));
        const Person& p = c.people[k];
        const std::string_view type = kTypes[j % 4];
        const std::size_t camp = campaign_of(m, c, p.brand);
        auto fw = person_of(k);
        fw.insert(fw.end(),
                  {f("campaign", txt(c.campaigns[camp].to_text())),
                   f("type", txt(std::string(type))), f("status", txt(kStatuses[(j + j / 4) % 4])),
                   f("starts", txt(date_of(c.campaign_start[camp]))),
                   f("ends", txt(date_of(c.campaign_end[camp] - kDayMs))),
                   f("disclosure_required", num(type == "loan" ? 0 : 1)),
                   f("deliverables", txt(kDeliverables[j % 4]))});
        char ref[32];
        std::snprintf(ref, sizeof ref, "%s-%s-%04d", kPrefix[p.brand],
                      type == "paid" ? "CTR" : "AFF", j + 1);
        if (type == "paid") {
            fw.push_back(f("fee", num(30'000 + 10'000 * std::int64_t(m.more(40)))));
            fw.push_back(f("currency", txt("EUR")));
            // Every other paid collaboration goes through an agency.
            if ((j / 4) % 2 == 0)
                fw.push_back(f("intermediary", txt(m.more_pick(kIntermediaries))));
        }
        if (type == "paid" || type == "affiliate") fw.push_back(f("contract_ref", txt(ref)));
        m.create(Kind::kCollaboration, std::move(fw));
        partners.push_back(k);
    }

    // Content: half of it by partners, mostly for a campaign, the rest spontaneous.
    const int contents = std::clamp(opts.influencers / 10, 20, 200);
    for (int j = 0; j < contents; ++j) {
        const bool partner = j % 2 == 0;
        const std::size_t k = partner ? partners[m.more(partners.size())] : m.more(c.originals);
        const Person& p = c.people[k];
        const std::string url =
            p.platform == "tiktok" ? "https://www.tiktok.com/@" + p.handle + "/video/7" +
                                         std::to_string(100'000'000 + m.more(900'000'000))
            : p.platform == "youtube" ? "https://www.youtube.com/watch?v=" + token(m, 11)
                                      : "https://www.instagram.com/p/" + token(m, 11) + "/";
        const std::int64_t reach = 1'000 + std::int64_t(m.more(300'000));
        auto fw = person_of(k);
        fw.insert(fw.end(), {f("platform", txt(p.platform)), f("url", txt(url)),
                             f("published_at", num(now_i - std::int64_t(m.more(80 * kDayMs)))),
                             f("reach", num(reach)),
                             f("engagements", num(reach * std::int64_t(5 + m.more(75)) / 1000)),
                             f("disclosure_found", num(m.more_chance(partner ? 80 : 30) ? 1 : 0)),
                             f("tone", txt(m.more_pick(kTones)))});
        if (partner || m.more_chance(30))
            fw.push_back(f("campaign", txt(c.campaigns[campaign_of(m, c, p.brand)].to_text())));
        const Id128 id = m.create(Kind::kContent, std::move(fw));
        if (m.more_chance(80))
            m.add(Kind::kContent, id, "brands_mentioned", c.brands[p.brand].to_text());
    }

    // Tracked links of partners, and their clicks over the last 45 days.
    const char* kTargets[] = {"https://www.maison-lumiere.example/nouveautes",
                              "https://www.atelier-vega.example/collection"};
    const char* kCodePrefix[] = {"lum-", "vega-"};
    const int links = std::clamp(opts.influencers / 100, 6, 24);
    for (int j = 0; j < links; ++j) {
        const std::size_t k = partners[std::size_t(j) % partners.size()];
        const Person& p = c.people[k];
        std::string code = kCodePrefix[p.brand] + p.ascii + "-" + std::to_string(j + 1);
        for (char& ch : code)
            if (ch == '.') ch = '-';
        auto fw = person_of(k);
        fw.insert(fw.end(),
                  {f("code", txt(code)),
                   f("target", txt(std::string(kTargets[p.brand]) +
                                   "?utm_source=liaison&utm_content=" + code)),
                   f("campaign", txt(c.campaigns[campaign_of(m, c, p.brand)].to_text()))});
        const Id128 link = m.create(Kind::kTrackedLink, std::move(fw));
        const int clicks = 5 + int(m.more(50));
        for (int n = 0; n < clicks; ++n) {
            std::vector<FieldWrite> click = {
                f("link", txt(link.to_text())),
                f("at", num(now_i - std::int64_t(m.more(45 * kDayMs))))};
            if (m.more_chance(80)) click.push_back(f("referrer", txt(m.more_pick(kReferrers))));
            const bool bought = m.more_chance(6);
            click.push_back(f("conversion", num(bought ? 1 : 0)));
            if (bought) click.push_back(f("value", num(2'000 + 500 * std::int64_t(m.more(80)))));
            m.create(Kind::kClick, std::move(click));
        }
    }
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

    Company c;
    auto &regions = c.regions, &brands = c.brands, &stores = c.stores, &staff = c.staff,
         &campaigns = c.campaigns;
    auto &campaign_start = c.campaign_start, &campaign_end = c.campaign_end;
    auto& people = c.people;
    std::vector<Id128> events, programmes;
    for (auto& r : kRegions)
        regions.push_back(m.create(Kind::kRegion, {f("name", txt(r[0])), f("code", txt(r[1]))}));
    for (auto* b : kBrands) brands.push_back(m.create(Kind::kBrand, {f("name", txt(b))}));
    for (int i = 0; i < 10; ++i) {
        const std::string brand = brands[std::size_t(i % 2)].to_text();
        stores.push_back(m.create(
            Kind::kStore,
            {f("name", txt(std::string(kBrands[i % 2]) + " " + kCities[i])),
             f("region", txt(regions[std::size_t(kStoreRegion[i])].to_text())),
             f("brand", txt(brand)), f("city", txt(kCities[i])), f("country", txt("FR"))}));
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
    // The people the demo users act as (docs/SYNC.md A1) who work at no store: head office's
    // (no brand: in every brand's directory, D1), a regional manager and a field organiser.
    struct GroupStaff {
        const char *name, *email, *department;
        int region;  // -1: none
    };
    const GroupStaff kGroupStaff[] = {
        {"Paul Sauvage", "paul.sauvage@liaison.example", "other", -1},     // admin
        {"Margaux Delorme", "margaux.delorme@liaison.example", "pr", -1},  // central
        {"Thomas Aubert", "thomas.aubert@liaison.example", "retail", 0},   // regional
        {"Nadia Haddad", "nadia.haddad@liaison.example", "events", 1},     // field
    };
    std::vector<Id128> group_staff;
    for (const auto& g : kGroupStaff) {
        std::vector<FieldWrite> fw = {f("name", txt(g.name)), f("email", txt(g.email)),
                                      f("department", txt(g.department))};
        if (g.region >= 0) fw.push_back(f("region", txt(regions[std::size_t(g.region)].to_text())));
        group_staff.push_back(m.create(Kind::kStaff, std::move(fw)));
    }
    // Devices: each store's tablet, head office's laptop, the field organiser's phone.
    for (std::size_t s = 0; s < 10; ++s)
        m.create(Kind::kDevice, {f("name", txt(std::string("Tablette ") + kCities[s])),
                                 f("staff", txt(staff[s].to_text())), f("form", txt("tablet")),
                                 f("region", txt(regions[std::size_t(kStoreRegion[s])].to_text())),
                                 f("store", txt(stores[s].to_text()))});
    m.create(Kind::kDevice, {f("name", txt("Portable siège")),
                             f("staff", txt(group_staff[1].to_text())), f("form", txt("laptop"))});
    m.create(Kind::kDevice,
             {f("name", txt("Téléphone terrain")), f("staff", txt(group_staff[3].to_text())),
              f("form", txt("phone")), f("region", txt(regions[1].to_text()))});

    // Programmes, one per brand, each running its brand's campaigns.
    const char* kProgrammes[][2] = {
        {"Ambassadeurs Lumière",
         "A circle of fifty long-term ambassadors; every store knows its local voices."},
        {"Créateurs Véga", "Bring emerging creators into the workshops and the autumn launch."}};
    for (int b = 0; b < 2; ++b)
        programmes.push_back(m.create(
            Kind::kProgramme,
            {f("name", txt(kProgrammes[b][0])), f("starts", txt(date_of(now_i - 120 * kDayMs))),
             f("ends", txt(date_of(now_i + 240 * kDayMs))), f("objectives", txt(kProgrammes[b][1])),
             f("brand", txt(brands[std::size_t(b)].to_text()))}));
    const char* kCampaigns[] = {"Printemps lumineux", "Rentrée Véga", "Fêtes de fin d'année"};
    const char* kObjectives[] = {"Reach and engagement around the spring collection",
                                 "Workshops and creators' posts for the back-to-school range",
                                 "Sales through tracked links over the holidays"};
    for (int i = 0; i < 3; ++i) {
        std::int64_t start = now_i - (60 - 40 * i) * kDayMs;
        std::vector<FieldWrite> fw = {f("name", txt(kCampaigns[i])),
                                      f("programme", txt(programmes[std::size_t(i % 2)].to_text())),
                                      f("starts", txt(date_of(start))),
                                      f("ends", txt(date_of(start + 45 * kDayMs))),
                                      f("budget", num(2'500'000 + 1'000'000 * i)),
                                      f("currency", txt("EUR")),
                                      f("objectives", txt(kObjectives[i])),
                                      f("brand", txt(brands[std::size_t(i % 2)].to_text()))};
        if (i < 2) fw.push_back(f("region", txt(regions[std::size_t(i)].to_text())));
        campaigns.push_back(m.create(Kind::kCampaign, std::move(fw)));
        campaign_start.push_back(start);
        campaign_end.push_back(start + 46 * kDayMs);
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

    // Influencers: most belong to a store (and its region), some to a region only. The last
    // few are likely duplicates: an earlier person registered again at another store of her
    // brand, her name spelled without accents or in capitals, with the same handle.
    const char* kTiers[] = {"top",      "expert",   "expert",   "employee", "advocate", "advocate",
                            "advocate", "prospect", "prospect", "prospect", "prospect", "prospect"};
    const int duplicates = opts.influencers >= 20 ? 4 : 0;
    const int originals = std::max(0, opts.influencers - duplicates);
    c.originals = std::size_t(originals);
    for (int i = 0; i < opts.influencers; ++i) {
        const Name& fn = m.pick(kFirst);
        const Name& ln = m.pick(kLast);
        std::size_t s = std::size_t(m.next(10));
        std::size_t reg = std::size_t(kStoreRegion[s]);
        bool region_only = m.chance(10);
        char phone[32];
        std::snprintf(phone, sizeof phone, "+33 6 %02d %02d %02d %02d", int(m.next(100)),
                      int(m.next(100)), int(m.next(100)), int(m.next(100)));
        // The draws of earlier demos, in their order.
        const bool fr = m.chance(85);
        const char* tier = m.pick(kTiers);
        const std::size_t owner = s + 10 * m.next(5);
        const bool active = m.chance(95);
        const bool granted = m.chance(70);
        // A duplicate's first record: one of the people made before.
        const std::size_t original =
            originals > 0 ? std::size_t(i) * 7919 % std::size_t(originals) : 0;

        Person p;
        p.name = std::string(fn.display) + " " + ln.display;
        p.ascii = std::string(fn.ascii) + "." + ln.ascii;
        p.store = region_only ? 10 : s;
        p.region = reg;
        p.brand = s % 2;
        std::vector<FieldWrite> fw;
        if (i < originals) {
            std::string consent = granted             ? "granted"
                                  : m.more_chance(60) ? "unknown"
                                  : m.more_chance(60) ? "refused"
                                                      : "withdrawn";
            const int r = int(m.more(100));
            const char* basis = std::string_view(tier) == "employee" ? "contract"
                                : r < 4                              ? "legal_obligation"
                                : consent == "unknown" || r < 15     ? "legitimate_interest"
                                                                     : "consent";
            fw = {f("name", txt(p.name)),
                  f("email", txt(p.ascii + "." + std::to_string(i) + "@example.com")),
                  f("phone", txt(phone)),
                  f("country", txt(fr ? "FR" : "BE")),
                  f("tier", txt(tier)),
                  f("owner", txt(staff[owner].to_text())),
                  f("status", txt(!active            ? "do_not_contact"
                                  : m.more_chance(4) ? "inactive"
                                                     : "active")),
                  f("consent", txt(consent)),
                  f("consent_basis", txt(basis)),
                  f("region", txt(regions[reg].to_text())),
                  f("brand", txt(brands[s % 2].to_text()))};
            if (!region_only) fw.push_back(f("store", txt(stores[s].to_text())));
            // Vetting: a third never vetted; the rest mostly approved.
            const int v = int(m.more(100));
            const char* vetting = v < 35   ? nullptr
                                  : v < 55 ? "pending"
                                  : v < 80 ? "approved"
                                  : v < 93 ? "approved_with_reserve"
                                           : "rejected";
            if (vetting) fw.push_back(f("vetting", txt(vetting)));
            if (v >= 80 && m.more_chance(60))
                fw.push_back(f("vetting_notes", txt(m.more_pick(kVettingNotes))));
            // About one person in seven has no relationship owner yet: the central team's "no
            // owner" lists and bulk assignment have work to do. Chosen by a hash of the index,
            // not a draw, so every other value of the demo stays as it was.
            if ((std::uint32_t(i) * 2654435761u >> 8) % 7 == 3)
                fw.erase(std::remove_if(fw.begin(), fw.end(),
                                        [](const FieldWrite& w) { return w.field == "owner"; }),
                         fw.end());
        } else {
            const Person& o = people[original];
            const int variant = (i - originals) % 4;
            // Another store of her brand: a store person seen elsewhere, a region one at hers.
            p.store = o.store != 10 ? (o.store + 2 * (1 + m.more(4))) % 10 : (s / 2) * 2 + o.brand;
            p.region = std::size_t(kStoreRegion[p.store]);
            p.brand = o.brand;
            p.name = variant == 0   ? capitalised(o.ascii, ' ')
                     : variant == 1 ? ascii_upper(capitalised(o.ascii, ' '))
                                    : o.name;
            fw = {f("name", txt(p.name)),
                  f("country", txt("FR")),
                  f("tier", txt("prospect")),
                  f("owner", txt(staff[p.store + 10 * (owner / 10)].to_text())),
                  f("status", txt("active")),
                  f("consent", txt("unknown")),
                  f("consent_basis", txt("legitimate_interest")),
                  f("region", txt(regions[p.region].to_text())),
                  f("brand", txt(brands[p.brand].to_text())),
                  f("store", txt(stores[p.store].to_text()))};
            if (variant == 1) fw.push_back(f("email", txt(ascii_upper(o.email))));
            // The national form of her number ("06 …" for "+33 6 …").
            if (variant == 2) fw.push_back(f("phone", txt("0" + o.phone.substr(4))));
        }
        p.id = m.create(Kind::kInfluencer, std::move(fw));
        const std::string handle = std::string(m.pick(kPlatforms)) + ":" + fn.ascii + "." +
                                   ln.ascii + std::to_string(i) + ":" +
                                   std::to_string(500 + m.next(200'000));
        if (i < originals) {
            m.add(Kind::kInfluencer, p.id, "handles", handle);
            p.email = p.ascii + "." + std::to_string(i) + "@example.com";
            p.phone = phone;
            p.platform = handle.substr(0, handle.find(':'));
            p.handle =
                handle.substr(p.platform.size() + 1, handle.rfind(':') - p.platform.size() - 1);
            // A few are listed under the other brand too (D1: in both brands' directories).
            if (m.more_chance(4))
                m.add(Kind::kInfluencer, p.id, "brands", brands[1 - p.brand].to_text());
        } else {
            // Her handle again, typed with capitals, with the audience of another day.
            const Person& o = people[original];
            m.add(Kind::kInfluencer, p.id, "handles",
                  o.platform + ":" + capitalised(o.handle, '.') + ":" +
                      std::to_string(500 + m.more(200'000)));
            p.platform = o.platform;
            p.handle = o.handle;
        }
        if (m.chance(30)) m.add(Kind::kInfluencer, p.id, "topics", m.pick(kTopics));
        if (m.chance(20)) m.add(Kind::kInfluencer, p.id, "languages", m.chance(50) ? "fr" : "en");
        people.push_back(std::move(p));
    }

    // Interactions over the last 90 days; a few influencers get most of the attention. Some
    // of a store's people are seen at another store of their brand too; a contact made while
    // one of its brand's campaigns ran is often logged for it.
    for (int i = 0; i < opts.interactions && !people.empty(); ++i) {
        std::size_t k = m.chance(40)
                            ? std::size_t(m.next(std::min<std::size_t>(people.size(), 100)))
                            : std::size_t(m.next(people.size()));
        const Person& p = people[k];
        std::size_t s = p.store == 10 ? std::size_t(m.next(10)) : p.store;
        const bool elsewhere = p.store != 10 && m.more_chance(8);
        if (elsewhere) s = (s + 2 * (1 + m.more(4))) % 10;
        const std::int64_t at = now_i - std::int64_t(m.next(std::uint64_t(90 * kDayMs)));
        const char* touchpoint = m.pick(kTouchpoints);
        const char* department = m.pick(kDepartments);
        const Id128& who = staff[s + 10 * m.next(5)];
        const char* summary = m.pick(kSummaries);
        const char* tone = m.pick(kTones);
        std::vector<FieldWrite> fw = {
            f("influencer", txt(p.id.to_text())),
            f("at", num(at)),
            f("touchpoint", txt(touchpoint)),
            f("department", txt(department)),
            f("brand", txt(brands[s % 2].to_text())),
            f("region",
              txt(regions[elsewhere ? std::size_t(kStoreRegion[s]) : p.region].to_text())),
            f("staff", txt(who.to_text())),
            f("summary", txt(summary)),
            f("tone", txt(tone)),
        };
        if (p.store != 10) fw.push_back(f("store", txt(stores[s].to_text())));
        for (std::size_t camp = 0; camp < campaigns.size(); ++camp)
            if (camp % 2 == s % 2 && at >= campaign_start[camp] && at < campaign_end[camp] &&
                m.more_chance(60)) {
                fw.push_back(f("campaign", txt(campaigns[camp].to_text())));
                break;
            }
        m.create(Kind::kInteraction, std::move(fw));
    }

    // Check-ins of known guests: the derived id is the one any device would make.
    std::vector<std::vector<std::size_t>> came(events.size());  // who checked in, by event
    for (std::size_t e = 0; e < events.size(); ++e) {
        if (event_start[e] > now_i) continue;
        int guests = 40 + int(m.next(40));
        std::size_t s = event_store[e];
        for (int g = 0; g < guests && !people.empty(); ++g) {
            const std::size_t k = std::size_t(m.next(people.size()));
            const Id128& guest = people[k].id;
            came[e].push_back(k);
            m.create(
                Kind::kCheckin,
                {f("event", txt(events[e].to_text())), f("influencer", txt(guest.to_text())),
                 f("at", num(event_start[e] + std::int64_t(m.next(3 * 3'600'000)))),
                 f("staff", txt(staff[s + 10 * m.next(5)].to_text())),
                 f("walk_in", num(m.chance(15) ? 1 : 0)), f("brand", txt(brands[s % 2].to_text())),
                 f("region", txt(regions[std::size_t(kStoreRegion[s])].to_text())),
                 f("store", txt(stores[s].to_text()))},
                Id128::derive("checkin", events[e], guest));
        }
    }
    seed_partnerships(m, c, opts);

    // Invitations (record model 5), from the second stream: most guests who came had accepted
    // one, some came uninvited; others declined, did not answer or did not come. The coming
    // event has its list under way: answers, a cancellation or two, no check-in yet.
    for (std::size_t e = 0; e < events.size() && !people.empty(); ++e) {
        const std::size_t s = event_store[e];
        const bool past = event_start[e] <= now_i;
        std::vector<std::size_t> guests;
        for (std::size_t k : came[e])
            if (m.more_chance(85)) guests.push_back(k);
        const std::size_t others = past ? 10 + m.more(15) : 45 + m.more(20);
        for (std::size_t i = 0; i < others; ++i)
            guests.push_back(std::size_t(m.more(people.size())));
        for (std::size_t i = 0; i < guests.size(); ++i) {
            const bool checked_in = i < guests.size() - others;
            const int roll = int(m.more(100));
            const char* status = checked_in ? "accepted"
                                 : past     ? (roll < 45   ? "declined"
                                               : roll < 75 ? "accepted"
                                                           : "invited")
                                            : (roll < 40   ? "accepted"
                                               : roll < 80 ? "invited"
                                               : roll < 95 ? "declined"
                                                           : "cancelled");
            const Id128& guest = people[guests[i]].id;
            std::vector<FieldWrite> fw = {
                f("event", txt(events[e].to_text())),
                f("influencer", txt(guest.to_text())),
                f("at",
                  num(std::min(now_i, event_start[e] - std::int64_t(10 + m.more(20)) * kDayMs))),
                f("staff", txt(staff[s + 10 * m.more(5)].to_text())),
                f("status", txt(status)),
                f("brand", txt(brands[s % 2].to_text())),
                f("region", txt(regions[std::size_t(kStoreRegion[s])].to_text())),
                f("store", txt(stores[s].to_text()))};
            if (std::string_view(status) == "accepted" && m.more_chance(20))
                fw.push_back(f("plus_ones", num(1)));
            m.create(Kind::kInvitation, std::move(fw),
                     Id128::derive("invitation", events[e], guest));
        }
    }
    LIAISON_TRY(store.meta_set("server_clock", std::to_string(hub.clock().state())));
    LIAISON_TRY(txn.commit());

    // One user of every role; the scoped ones see one region, one store, one region. Each
    // acts as a staff member (A1): the store tablet as anyone of its store's team.
    struct U {
        const char* name;
        sync::Role role;
        std::vector<std::string> regions, stores, staff;
    };
    std::vector<std::string> store_team;
    for (std::size_t i = 0; i < staff.size(); ++i)
        if (staff_store[i] == 0) store_team.push_back(staff[i].to_text());
    const U users[] = {
        {"Démo Admin", sync::Role::kAdmin, {}, {}, {group_staff[0].to_text()}},
        {"Démo Siège", sync::Role::kCentral, {}, {}, {group_staff[1].to_text()}},
        {"Démo Région",
         sync::Role::kRegional,
         {regions[0].to_text()},
         {},
         {group_staff[2].to_text()}},
        {"Démo Boutique", sync::Role::kStore, {}, {stores[0].to_text()}, store_team},
        {"Démo Terrain",
         sync::Role::kField,
         {regions[1].to_text()},
         {},
         {group_staff[3].to_text()}},
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
        StaffEdit link;
        link.replace = u.staff;
        LIAISON_TRY(edit_user_staff(store, id.value(), link, "demo"));
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
