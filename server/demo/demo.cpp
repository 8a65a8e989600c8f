#include "server/demo/demo.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string_view>

#include "core/model/ids.hpp"
#include "core/query/pipeline.hpp"
#include "core/util/text.hpp"
#include "server/admin/server_clock.hpp"
#include "server/backend/sync_backend.hpp"
#include "sync/pipeline.hpp"

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
    Maker(core::Store& store, sync::Hub& hub, const Id128& replica, std::uint64_t seed,
          std::uint64_t now_ms)
        : store_(store),
          hub_(hub),
          replica_(replica),
          rng_(seed),
          more_(seed ^ 0x6d6f64656c5f3135ULL),
          run_(seed ^ 0x70726f6772616d73ULL),
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

    // Record model 6 (programmes, the pipeline, money, conversions) draws from a third stream,
    // so that what the two streams above made stays as it was.
    std::uint64_t run(std::uint64_t n) { return n ? run_() % n : 0; }
    bool run_chance(int percent) { return int(run(100)) < percent; }
    template <typename T, std::size_t N>
    const T& run_pick(const T (&a)[N]) {
        return a[run(N)];
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
    void set(Kind kind, const Id128& id, std::vector<FieldWrite> fields) {
        submit(sync::field_op(OpType::kSet, kind, id, std::move(fields)));
    }
    void submit(Op op) {
        op.id = core::Stamp{hub_.clock().send(), replica_};
        auto r = hub_.apply_one(ctx_, std::move(op));
        if (r.outcome == sync::Outcome::kRejected)
            reject(std::string(code_name(r.code)) + ": " + r.detail);
        else
            ++summary.operations;
    }
    // Moves a collaboration one step along its pipeline at `at`, as the server's move route
    // writes it (sync::move_ops: the step, then the status). The step's id is derived, so
    // that the ids the demo draws after it stay those it drew before steps existed.
    void move(const Id128& collaboration, std::string to, std::int64_t at, const Id128& staff,
              std::string note = {}) {
        const Id128 step =
            Id128::derive("demo_step", collaboration.to_text(), to + "@" + std::to_string(at));
        auto ops =
            sync::move_ops(store_, collaboration, sync::Move{to, std::move(note), staff}, step, at);
        if (!ops) return reject(ops.status().to_string());
        for (auto& op : ops.value()) submit(std::move(op));
    }

    DemoSummary summary;
    std::uint64_t now() const { return now_; }

private:
    void reject(std::string why) {
        if (summary.rejected++ == 0) summary.first_rejection = std::move(why);
    }

    core::Store& store_;
    sync::Hub& hub_;
    Id128 replica_;
    sync::DeviceContext ctx_;
    std::mt19937_64 rng_, more_, run_;
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
    std::vector<Id128> regions, brands, stores, staff, campaigns, programmes;
    std::vector<std::int64_t> campaign_start, campaign_end;  // ms; the end excluded
    std::vector<std::size_t> campaign_brand;
    std::vector<Person> people;
    std::size_t originals = 0;  // people[0, originals) are nobody's duplicate
    Id128 central;              // head office's staff member, who moves collaborations
};

// What the programmes' part (record model 6) needs to know of the partnerships made before.
struct Collab {
    Id128 id;
    std::size_t person = 0, campaign = 0;
    std::string type, status, promo;
};
struct Partnerships {
    std::vector<Collab> collabs;
    std::vector<Id128> content;
    int orders = 0;  // conversions made: their order references
};

// A campaign's scope keys: its brand and region (the third runs in every region), and for a
// store's campaign its store. Clicks and conversions carry them (docs/PROGRAMMES.md).
std::vector<FieldWrite> campaign_keys(const Company& c, std::size_t camp,
                                      std::optional<std::size_t> store = std::nullopt) {
    std::vector<FieldWrite> fw = {f("campaign", txt(c.campaigns[camp].to_text())),
                                  f("brand", txt(c.brands[c.campaign_brand[camp]].to_text()))};
    if (store) {
        fw.push_back(f("region", txt(c.regions[std::size_t(kStoreRegion[*store])].to_text())));
        fw.push_back(f("store", txt(c.stores[*store].to_text())));
    } else if (camp < 2) {
        fw.push_back(f("region", txt(c.regions[camp].to_text())));
    }
    return fw;
}

// The moves that bring a new (proposed) collaboration to `status`; `bounce`: its content was
// turned down once at validation (delivered → live → delivered).
std::vector<std::string> path_to(std::string_view status, bool bounce) {
    if (status == "proposed") return {};
    if (status == "cancelled") return {"vetted", "cancelled"};
    std::vector<std::string> out;
    for (auto s : core::pipeline_statuses()) {
        if (s == "proposed" || s == "cancelled") continue;
        out.emplace_back(s);
        if (bounce && s == "delivered") out.insert(out.end(), {"live", "delivered"});
        if (s == status) break;
    }
    return out;
}

// Whether a collaboration at `status` has content to show: live or after.
bool posting(std::string_view status) {
    return status == "live" || status == "delivered" || status == "validated" || status == "closed";
}

// Walks a collaboration along `path`, a few days between moves, from `from` (ms); the last
// move before now.
void walk(Maker& m, const Company& c, const Id128& collab, const std::vector<std::string>& path,
          std::int64_t from) {
    const auto now_i = std::int64_t(m.now());
    std::int64_t at = from;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const std::int64_t latest = now_i - std::int64_t(path.size() - i) * 3'600'000;
        at = std::min(at + kDayMs * std::int64_t(1 + m.run(3)) + std::int64_t(m.run(kDayMs / 2)),
                      latest);
        const bool again = i > 0 && path[i] == "live" && path[i - 1] == "delivered";
        const std::string note = again ? "No #ad on the first reel: posted again"
                                 : path[i] == "contracted" ? "Contract signed"
                                 : path[i] == "validated"  ? "Brief and disclosure checked"
                                 : path[i] == "cancelled"  ? "Dates did not suit her"
                                                           : "";
        m.move(collab, path[i], at, c.central, note);
    }
}

// What record model 6 adds to a collaboration of `type` on its way to `status`: what is
// given and what it is worth, the contract, a promo code, the shipment and a loan's return,
// what is due when. Draws from the third stream only. Returns its promo code, if any.
std::string add_terms(Maker& m, std::vector<FieldWrite>& fw, std::string_view type,
                      std::string_view status, const Person& p, std::size_t j, std::int64_t start) {
    static const char* kProducts[][3] = {
        {"Sérum Éclat 50 ml", "Coffret Lumière d'hiver", "Parfum Aube 100 ml"},
        {"Sac Véga mini", "Foulard soie Véga", "Montre Véga Atelier"}};
    const auto& statuses = core::pipeline_statuses();
    const auto rank =
        std::size_t(std::find(statuses.begin(), statuses.end(), status) - statuses.begin());
    const bool signed_ = rank >= 2 && status != "cancelled";  // contracted or later
    std::string promo;
    if (type == "paid" || type == "affiliate" || type == "loan") {
        fw.push_back(f("contract_status", txt(status == "closed" ? "ended"
                                              : signed_          ? "signed"
                                              : rank == 1        ? "sent"
                                                                 : "draft")));
        if (signed_) fw.push_back(f("contract_date", txt(date_of(start - 20 * kDayMs))));
    }
    if (type == "paid" || type == "affiliate") {
        std::string first = p.ascii.substr(0, p.ascii.find('.'));
        char code[40];
        std::snprintf(code, sizeof code, "%s%02d", ascii_upper(first).c_str(), int(j % 100));
        promo = code;
        fw.push_back(f("promo_code", txt(promo)));
    }
    if (type == "gifted" || type == "seeding" || type == "loan") {
        fw.push_back(f("product", txt(m.run_pick(kProducts[p.brand]))));
        fw.push_back(f("in_kind_value", num(4'500 + 500 * std::int64_t(m.run(80)))));
        fw.push_back(f("currency", txt("EUR")));
        if (signed_) {
            fw.push_back(f("shipped", txt(date_of(start - 5 * kDayMs))));
            fw.push_back(f("tracking", txt("6A" + std::to_string(10'000'000 + m.run(89'999'999)))));
        }
        if (type == "loan") {
            fw.push_back(f("return_due", txt(date_of(start + 16 * kDayMs))));
            if (rank >= 5 && status != "cancelled")
                fw.push_back(f("returned", txt(date_of(start + 14 * kDayMs))));
        }
    }
    return promo;
}

// A collaboration's markets and its deliverables with their due dates (sets).
void add_due(Maker& m, const Id128& id, std::string_view type, std::int64_t start) {
    m.add(Kind::kCollaboration, id, "markets", "FR");
    if (m.run_chance(30)) m.add(Kind::kCollaboration, id, "markets", "BE");
    if (type == "paid" || type == "affiliate") {
        m.add(Kind::kCollaboration, id, "deliverables_due",
              date_of(start + 7 * kDayMs) + " first reel");
        m.add(Kind::kCollaboration, id, "deliverables_due",
              date_of(start + 21 * kDayMs) + " three stories with the link");
    } else if (type == "gifted" || type == "seeding") {
        m.add(Kind::kCollaboration, id, "deliverables_due",
              date_of(start + 10 * kDayMs) + " unboxing story (optional)");
    }
}

// The metrics record model 6 adds to a post: impressions, reactions by kind, video views,
// the handle it came from and the proof of its disclosure.
void add_metrics(Maker& m, std::vector<FieldWrite>& fw, const Person& p, std::int64_t reach,
                 const std::string& url, bool disclosed) {
    const std::int64_t likes = reach * std::int64_t(10 + m.run(60)) / 1000;
    fw.insert(fw.end(),
              {f("handle", txt(p.handle)),
               f("impressions", num(reach + reach * std::int64_t(m.run(120)) / 100)),
               f("likes", num(likes)), f("comments", num(likes / std::int64_t(8 + m.run(30)))),
               f("shares", num(likes / std::int64_t(20 + m.run(40)))),
               f("saves", num(likes / std::int64_t(10 + m.run(30))))});
    if (p.platform != "instagram" || m.run_chance(50))
        fw.push_back(f("video_views", num(reach * std::int64_t(50 + m.run(150)) / 100)));
    if (disclosed) fw.push_back(f("disclosure_proof", txt(url)));
}

// The first-party visitor id of a shopper who agreed to tracking (record model 7): drawn from
// the campaign and the click's number, so that a few shoppers click several of a campaign's
// links (journeys: docs/METRICS.md "Attribution"), and with no random draw, so that every id
// earlier demos drew stays the same. One click in three comes from a shopper who did not agree.
std::string demo_visitor(const Company& c, std::size_t camp, int n) {
    if (n % 3 == 2) return {};
    return "dv" + Id128::derive("visitor", c.campaigns[camp].to_text(), std::to_string(n % 7))
                      .to_text()
                      .substr(0, 20);
}

// An order a click brought (a conversion, its id derived from the shop and the order).
void convert(Maker& m, const Company& c, Partnerships& made, std::size_t camp, const Collab& col,
             const Id128& link, std::int64_t at, std::int64_t value,
             std::optional<std::size_t> store, const std::string& promo = {},
             const std::string& visitor = {}) {
    static const char* kShops[] = {"maison-lumiere.example", "atelier-vega.example"};
    const std::size_t brand = c.campaign_brand[camp];
    char ref[32];
    std::snprintf(ref, sizeof ref, "%s-%06d", brand ? "VG" : "ML", 100'000 + ++made.orders);
    auto fw = campaign_keys(c, camp, store);
    fw.insert(fw.end(),
              {f("shop", txt(kShops[brand])), f("order_ref", txt(ref)),
               f("at", num(std::min(at, std::int64_t(m.now())))), f("value", num(value)),
               f("currency", txt("EUR")), f("influencer", txt(c.people[col.person].id.to_text())),
               f("collaboration", txt(col.id.to_text()))});
    if (promo.empty())
        fw.push_back(f("link", txt(link.to_text())));
    else
        fw.push_back(f("promo_code", txt(promo)));
    if (!visitor.empty()) fw.push_back(f("visitor", txt(visitor)));
    m.create(Kind::kConversion, std::move(fw), Id128::derive("conversion", kShops[brand], ref));
}

// One of the brand's campaigns.
std::size_t campaign_of(Maker& m, const Company& c, std::size_t brand) {
    std::vector<std::size_t> mine;
    for (std::size_t i = 0; i < c.campaigns.size(); ++i)
        if (c.campaign_brand[i] == brand) mine.push_back(i);
    return mine[m.more(mine.size())];
}

// `n` letters and digits, for the ids in content addresses.
std::string token(Maker& m, int n) {
    static const char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string out;
    for (int i = 0; i < n; ++i) out += kChars[m.more(sizeof kChars - 1)];
    return out;
}

// Collaborations of every type, each moved along its pipeline to a status (every status is
// reached), the content people published (a partner's for her collaboration once it is live),
// and tracked links with their clicks, some of which brought an order (a conversion), on the
// company's people (not its duplicates). What record model 6 added draws from the third
// stream, so the people, contacts and invitations are those the seed made before.
Partnerships seed_partnerships(Maker& m, const Company& c, const DemoOptions& opts) {
    Partnerships made;
    if (c.originals == 0) return made;
    const auto now_i = std::int64_t(m.now());
    const auto person_of = [&](std::size_t k) {
        const Person& p = c.people[k];
        return std::vector<FieldWrite>{f("influencer", txt(p.id.to_text())),
                                       f("brand", txt(c.brands[p.brand].to_text())),
                                       f("region", txt(c.regions[p.region].to_text()))};
    };
    const char* kTypes[] = {"paid", "gifted", "loan", "affiliate"};
    const auto& statuses = core::pipeline_statuses();
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
        // One gifted collaboration in two is a seeding (a parcel sent unasked).
        const std::string_view type = j % 8 == 5 ? "seeding" : kTypes[j % 4];
        // Eight consecutive collaborations reach the eight statuses, each type in turn.
        const std::string_view status = statuses[std::size_t(j * 3 + j / 8) % statuses.size()];
        const std::size_t camp = campaign_of(m, c, p.brand);
        auto fw = person_of(k);
        fw.insert(fw.end(), {f("campaign", txt(c.campaigns[camp].to_text())),
                             f("type", txt(std::string(type))), f("status", txt("proposed")),
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
        const std::int64_t start = c.campaign_start[camp];
        std::string promo = add_terms(m, fw, type, status, p, std::size_t(j), start);
        const Id128 id = m.create(Kind::kCollaboration, std::move(fw));
        add_due(m, id, type, start);
        walk(m, c, id, path_to(status, j % 16 == 4), std::min(start, now_i) - 30 * kDayMs);
        made.collabs.push_back(
            Collab{id, k, camp, std::string(type), std::string(status), std::move(promo)});
        partners.push_back(k);
    }

    // Content: half of it by partners, mostly for a campaign, the rest spontaneous.
    const int contents = std::clamp(opts.influencers / 10, 20, 200);
    for (int j = 0; j < contents; ++j) {
        const bool partner = j % 2 == 0;
        const std::size_t which = partner ? std::size_t(m.more(partners.size())) : 0;
        const std::size_t k = partner ? partners[which] : m.more(c.originals);
        const Person& p = c.people[k];
        const std::string url =
            p.platform == "tiktok" ? "https://www.tiktok.com/@" + p.handle + "/video/7" +
                                         std::to_string(100'000'000 + m.more(900'000'000))
            : p.platform == "youtube" ? "https://www.youtube.com/watch?v=" + token(m, 11)
                                      : "https://www.instagram.com/p/" + token(m, 11) + "/";
        const std::int64_t reach = 1'000 + std::int64_t(m.more(300'000));
        // Drawn in the order earlier demos drew them.
        const std::int64_t published = now_i - std::int64_t(m.more(80 * kDayMs));
        const std::int64_t engagements = reach * std::int64_t(5 + m.more(75)) / 1000;
        const bool disclosed = m.more_chance(partner ? 80 : 30);
        const char* tone = m.more_pick(kTones);
        auto fw = person_of(k);
        fw.insert(fw.end(), {f("platform", txt(p.platform)), f("url", txt(url)),
                             f("published_at", num(published)), f("reach", num(reach)),
                             f("engagements", num(engagements)),
                             f("disclosure_found", num(disclosed ? 1 : 0)), f("tone", txt(tone))});
        if (partner || m.more_chance(30)) {
            std::size_t camp = campaign_of(m, c, p.brand);
            // Made for her collaboration once it is live: linked to it, for its campaign.
            const Collab& col = made.collabs[which];
            if (partner && posting(col.status)) {
                camp = col.campaign;
                fw.push_back(f("collaboration", txt(col.id.to_text())));
            }
            fw.push_back(f("campaign", txt(c.campaigns[camp].to_text())));
        }
        add_metrics(m, fw, p, reach, url, disclosed);
        const Id128 id = m.create(Kind::kContent, std::move(fw));
        made.content.push_back(id);
        if (m.more_chance(80))
            m.add(Kind::kContent, id, "brands_mentioned", c.brands[p.brand].to_text());
    }

    // Tracked links of partners, one per collaboration, and their clicks over the last 45 days
    // carrying their campaign's scope keys; a click in about sixteen brought an order.
    const char* kTargets[] = {"https://www.maison-lumiere.example/nouveautes",
                              "https://www.atelier-vega.example/collection"};
    const char* kCodePrefix[] = {"lum-", "vega-"};
    const int links = std::clamp(opts.influencers / 100, 6, 24);
    for (int j = 0; j < links; ++j) {
        const std::size_t k = partners[std::size_t(j) % partners.size()];
        const Collab& col = made.collabs[std::size_t(j) % partners.size()];
        const Person& p = c.people[k];
        std::string code = kCodePrefix[p.brand] + p.ascii + "-" + std::to_string(j + 1);
        for (char& ch : code)
            if (ch == '.') ch = '-';
        auto fw = person_of(k);
        fw.insert(fw.end(), {f("code", txt(code)),
                             f("target", txt(std::string(kTargets[p.brand]) +
                                             "?utm_source=liaison&utm_content=" + code)),
                             f("collaboration", txt(col.id.to_text()))});
        campaign_of(m, c, p.brand);  // the campaign earlier demos drew: now the collaboration's
        fw.push_back(f("campaign", txt(c.campaigns[col.campaign].to_text())));
        const Id128 link = m.create(Kind::kTrackedLink, std::move(fw));
        m.set(Kind::kCollaboration, col.id, {f("link", txt(link.to_text()))});
        const int clicks = 5 + int(m.more(50));
        for (int n = 0; n < clicks; ++n) {
            const std::int64_t at = now_i - std::int64_t(m.more(45 * kDayMs));
            auto click = campaign_keys(c, col.campaign);
            click.insert(click.end(), {f("link", txt(link.to_text())), f("at", num(at))});
            if (m.more_chance(80)) click.push_back(f("referrer", txt(m.more_pick(kReferrers))));
            const std::string visitor = demo_visitor(c, col.campaign, n);
            if (!visitor.empty()) click.push_back(f("visitor", txt(visitor)));
            const bool bought = m.more_chance(6);
            m.create(Kind::kClick, std::move(click));
            if (bought)
                convert(m, c, made, col.campaign, col, link, at + std::int64_t(m.run(7'200'000)),
                        2'000 + 500 * std::int64_t(m.more(80)), std::nullopt, {}, visitor);
        }
    }
    return made;
}

// Made last, so that every id drawn before is the one earlier demos drew: competitors named
// in some posts, and a campaign of the Paris store (campaign.store): the collaborations of a
// few of its people, moved along the pipeline (one step made out of order, as an older app
// would: flagged), their posts, tracked links, clicks and orders, all in the store's scope so
// that its tablet holds them; some orders came in by promo code.
void seed_store_campaign(Maker& m, Company& c, Partnerships& made) {
    const auto now_i = std::int64_t(m.now());
    const Id128 rivals[] = {
        m.create(Kind::kBrand, {f("name", txt("Éclat Rival")), f("competitor", num(1))}),
        m.create(Kind::kBrand,
                 {f("name", txt("Nuit Blanche Cosmétiques")), f("competitor", num(1))})};
    for (const auto& post : made.content)
        if (m.run_chance(15))
            m.add(Kind::kContent, post, "brands_mentioned", m.run_pick(rivals).to_text());

    constexpr std::size_t kStore = 0;  // the demo store user's (Paris)
    std::vector<std::size_t> locals;
    for (std::size_t k = 0; k < c.originals && locals.size() < 5; ++k)
        if (c.people[k].store == kStore) locals.push_back(k);
    if (locals.empty()) return;
    const std::int64_t start = now_i - 10 * kDayMs;
    const std::string brand = c.brands[kStore % 2].to_text();
    const std::string region = c.regions[std::size_t(kStoreRegion[kStore])].to_text();
    const std::string store = c.stores[kStore].to_text();
    const Id128 campaign = m.create(
        Kind::kCampaign,
        {f("name", txt("Carte blanche Paris")), f("programme", txt(c.programmes[0].to_text())),
         f("starts", txt(date_of(start))), f("ends", txt(date_of(start + 30 * kDayMs))),
         f("budget", num(800'000)), f("currency", txt("EUR")),
         f("objectives", txt("Bring the store's own voices to its private evening")),
         f("brand", txt(brand)), f("region", txt(region)), f("store", txt(store)),
         f("product_category", txt("Parfums")),
         f("targets",
           txt("activities.collaborations=5\noutputs.posts=10\noutcomes.conversions=40"))});
    m.add(Kind::kCampaign, campaign, "kpis", "sales");
    m.add(Kind::kCampaign, campaign, "markets", "FR");
    c.campaigns.push_back(campaign);
    c.campaign_start.push_back(start);
    c.campaign_end.push_back(start + 31 * kDayMs);
    c.campaign_brand.push_back(kStore % 2);
    const std::size_t camp = c.campaigns.size() - 1;

    const char* kPlan[][2] = {{"gifted", "live"},
                              {"loan", "delivered"},
                              {"affiliate", "contracted"},
                              {"paid", "validated"},
                              {"seeding", "proposed"}};
    for (std::size_t i = 0; i < locals.size(); ++i) {
        const Person& p = c.people[locals[i]];
        const std::string type = kPlan[i][0], status = kPlan[i][1];
        auto fw = campaign_keys(c, camp, kStore);
        fw.insert(fw.end(), {f("influencer", txt(p.id.to_text())), f("type", txt(type)),
                             f("status", txt("proposed")), f("starts", txt(date_of(start))),
                             f("ends", txt(date_of(start + 30 * kDayMs))),
                             f("disclosure_required", num(type == "loan" ? 0 : 1)),
                             f("deliverables", txt("Two stories on the evening, tagged"))});
        if (type == "paid")
            fw.insert(fw.end(), {f("fee", num(150'000)), f("currency", txt("EUR")),
                                 f("contract_ref", txt("LUM-PAR-0001"))});
        std::string promo = add_terms(m, fw, type, status, p, 90 + i, start);
        const Id128 id = m.create(Kind::kCollaboration, std::move(fw));
        add_due(m, id, type, start);
        auto path = path_to(status, false);
        if (i == 0 && path.size() >= 3) {
            // Vetted and contracted in one go, as an older app or an import would write it:
            // the trail shows the step flagged (P4).
            m.create(Kind::kCollaborationStep,
                     {f("collaboration", txt(id.to_text())), f("influencer", txt(p.id.to_text())),
                      f("from", txt("proposed")), f("to", txt("contracted")),
                      f("at", num(start - 6 * kDayMs)), f("staff", txt(c.central.to_text())),
                      f("brand", txt(brand)), f("region", txt(region)), f("store", txt(store))},
                     Id128::derive("demo_step", id.to_text(), "contracted"));
            m.set(Kind::kCollaboration, id, {f("status", txt("contracted"))});
            path.erase(path.begin(), path.begin() + 2);
        }
        walk(m, c, id, path, start - 5 * kDayMs);
        const Collab col{id, locals[i], camp, type, status, std::move(promo)};
        made.collabs.push_back(col);
        if (status == "proposed") continue;

        std::string code = "par-" + p.ascii + "-" + std::to_string(i + 1);
        std::replace(code.begin(), code.end(), '.', '-');
        auto lw = campaign_keys(c, camp, kStore);
        lw.insert(lw.end(),
                  {f("code", txt(code)),
                   f("target", txt("https://www.maison-lumiere.example/paris?utm_content=" + code)),
                   f("influencer", txt(p.id.to_text())), f("collaboration", txt(id.to_text()))});
        const Id128 link = m.create(Kind::kTrackedLink, std::move(lw));
        m.set(Kind::kCollaboration, id, {f("link", txt(link.to_text()))});
        const int clicks = 10 + int(m.run(30));
        for (int n = 0; n < clicks; ++n) {
            const std::int64_t at = now_i - std::int64_t(m.run(9 * kDayMs));
            auto click = campaign_keys(c, camp, kStore);
            click.insert(click.end(), {f("link", txt(link.to_text())), f("at", num(at)),
                                       f("referrer", txt(m.run_pick(kReferrers)))});
            const std::string visitor = demo_visitor(c, camp, n);
            if (!visitor.empty()) click.push_back(f("visitor", txt(visitor)));
            m.create(Kind::kClick, std::move(click));
            if (m.run_chance(12))
                convert(m, c, made, camp, col, link, at + std::int64_t(m.run(3'600'000)),
                        3'500 + 500 * std::int64_t(m.run(40)), kStore, {}, visitor);
        }
        if (posting(status)) {
            const std::int64_t reach = 2'000 + std::int64_t(m.run(40'000));
            const std::string url = "https://www.instagram.com/p/" + std::string("Par") +
                                    std::to_string(100'000 + m.run(900'000)) + "/";
            auto pw = campaign_keys(c, camp, kStore);
            pw.insert(pw.end(), {f("influencer", txt(p.id.to_text())),
                                 f("platform", txt("instagram")), f("url", txt(url)),
                                 f("published_at", num(now_i - std::int64_t(m.run(5 * kDayMs)))),
                                 f("reach", num(reach)), f("engagements", num(reach / 25)),
                                 f("disclosure_found", num(1)), f("tone", txt("positive")),
                                 f("collaboration", txt(id.to_text()))});
            add_metrics(m, pw, p, reach, url, true);
            made.content.push_back(m.create(Kind::kContent, std::move(pw)));
        }
    }
    // Orders that named a promo code at the checkout, not a link.
    for (const auto& col : made.collabs)
        if (col.campaign == camp && !col.promo.empty() && col.status != "proposed")
            for (int n = 0; n < 3; ++n)
                convert(m, c, made, camp, col, Id128{}, now_i - std::int64_t(m.run(7 * kDayMs)),
                        4'900 + 500 * std::int64_t(m.run(30)), kStore, col.promo);
}

// What the reports read besides the record (record model 7, docs/METRICS.md): the central
// team's exchange rates (a rate a week for the last quarter), an EMV rate card, its settings,
// and an NPS measured for each campaign. No random draw: earlier demos' ids stay the same.
void seed_measurement(Maker& m, const Company& c) {
    const auto now_i = std::int64_t(m.now());
    for (int week = 0; week < 13; ++week) {
        const std::string day = date_of(now_i - std::int64_t(week) * 7 * kDayMs);
        // 1 USD = 0.90–0.93 EUR, 1 GBP = 1.15–1.18 EUR over the quarter.
        for (auto [base, rate] :
             {std::pair{"USD", 900'000 + 2'500 * week}, std::pair{"GBP", 1'150'000 + 2'500 * week}})
            m.create(Kind::kFxRate,
                     {f("date", txt(day)), f("base", txt(base)), f("quote", txt("EUR")),
                      f("rate", num(rate))},
                     Id128::derive("fx_rate", day, std::string(base) + "/EUR"));
    }
    // clang-format off
    static const struct { const char* platform; const char* metric; std::int64_t value; } kCard[] = {
        {"instagram", "impressions", 650}, {"instagram", "likes", 12}, {"instagram", "comments", 60},
        {"instagram", "shares", 40},       {"instagram", "saves", 30}, {"tiktok", "video_views", 250},
        {"tiktok", "likes", 8},            {"tiktok", "shares", 25},   {"youtube", "video_views", 900},
        {"youtube", "comments", 80}};
    // clang-format on
    for (const auto& l : kCard)
        m.create(Kind::kRateCard,
                 {f("version", txt("2026.1")), f("platform", txt(l.platform)),
                  f("metric", txt(l.metric)), f("value", num(l.value)), f("currency", txt("EUR")),
                  f("valid_from", txt("2026-01-01"))},
                 Id128::derive("rate_card", "2026.1", std::string(l.platform) + "/" + l.metric));
    for (auto [key, value] :
         {std::pair{"report_currency", "EUR"}, std::pair{"attribution_window_days", "30"},
          std::pair{"emv_enabled", "true"}})
        m.create(Kind::kSetting, {f("key", txt(key)), f("value", txt(value))},
                 Id128::derive("setting", key, ""));
    for (std::size_t i = 0; i < c.campaigns.size(); ++i) {
        auto fw = campaign_keys(c, i);
        fw.insert(fw.end(),
                  {f("metric", txt("NPS")), f("value", num(3'000 + 700 * std::int64_t(i % 5))),
                   f("unit", txt("score")),
                   f("date", txt(date_of(std::min(now_i, c.campaign_end[i] - kDayMs))))});
        m.create(Kind::kOutcome, std::move(fw));
    }
}

// What record model 8 adds (docs/COMPLIANCE.md): the agencies and an agent collaborations go
// through (one without a recorded mandate), the partners' vettings (most passed, one failed,
// one expired), a few data-subject requests (an access answered, an objection and a
// restriction open, on people at the end of the list, whom the other parts of the demo do not
// single out), the captions of some posts (a few without the mention), and where the data of
// the partners came from. Every id is derived and nothing is drawn: earlier demos' ids stay.
void seed_compliance(Maker& m, const Company& c, const Partnerships& made) {
    const auto now_i = std::int64_t(m.now());
    struct Agency {
        const char *name, *type, *country, *mandate, *remuneration;
    };
    static const Agency kAgencies[] = {
        {"Agence Lumière Talents", "agency", "FR", "MAND-2026-014", "12 % of the fees"},
        {"Studio Éclat", "agency", "FR", nullptr, "15 % of the fees"},
        {"Marc Lefèvre", "agent", "BE", "MAND-2026-031", "10 % of the fees"}};
    std::vector<Id128> agencies;
    for (const auto& a : kAgencies) {
        std::vector<FieldWrite> fw = {f("name", txt(a.name)), f("type", txt(a.type)),
                                      f("country", txt(a.country)),
                                      f("remuneration", txt(a.remuneration))};
        if (a.mandate)
            fw.insert(fw.end(),
                      {f("mandate_ref", txt(a.mandate)), f("mandate_from", txt("2026-01-01")),
                       f("mandate_to", txt("2026-12-31")), f("rebates_passed", num(1)),
                       f("invoices_direct", num(1))});
        agencies.push_back(m.create(Kind::kIntermediary, std::move(fw),
                                    Id128::derive("demo_intermediary", a.name, "")));
    }
    // Paid collaborations: one in three through an agency; each with its objective.
    std::size_t paid = 0;
    for (const auto& col : made.collabs) {
        if (col.type != "paid") continue;
        std::vector<FieldWrite> fw = {
            f("objective", txt("campaign " + std::to_string(col.campaign)))};
        if (paid++ % 3 == 0) fw.push_back(f("agency", txt(agencies[paid % 3].to_text())));
        m.set(Kind::kCollaboration, col.id, std::move(fw));
    }
    // The partners' vettings, one each, in the order they were first partnered.
    std::vector<std::size_t> partners;
    for (const auto& col : made.collabs)
        if (std::find(partners.begin(), partners.end(), col.person) == partners.end())
            partners.push_back(col.person);
    static const char* kGuidelines[] = {"content_safety",  "political_neutrality", "brand_values",
                                        "professionalism", "performance",          "audience_fit",
                                        "price",           "post_campaign"};
    for (std::size_t i = 0; i < partners.size(); ++i) {
        const Person& p = c.people[partners[i]];
        // One in seven failed on politics; one in seven was vetted 13 months ago: expired.
        const std::int64_t days_ago = i % 7 == 6 ? 400 : 30 + std::int64_t(i % 60);
        std::vector<FieldWrite> fw = {
            f("influencer", txt(p.id.to_text())), f("for_brand", txt(c.brands[p.brand].to_text())),
            f("reviewed", txt(date_of(now_i - days_ago * kDayMs))),
            f("reviewer", txt(c.central.to_text())), f("rules_version", txt("vetting/1"))};
        for (const char* g : kGuidelines) {
            const bool failed = i % 7 == 4 && std::string_view(g) == "political_neutrality";
            const bool na = std::string_view(g) == "post_campaign";
            fw.push_back(f(g, txt(failed ? "fail" : na ? "not_applicable" : "pass")));
        }
        if (i % 7 == 4) fw.push_back(f("notes", txt("Campaigned for a party in 2025")));
        m.create(Kind::kVetting, std::move(fw), Id128::derive("demo_vetting", p.id.to_text(), ""));
        m.set(Kind::kInfluencer, p.id,
              {f("data_source", txt("Public profile on " + p.platform)),
               f("notice_sent", txt(date_of(now_i - (days_ago + 5) * kDayMs))),
               f("notice_version", txt("2026-01"))});
    }
    // Data-subject requests on the last people of the list.
    struct Request {
        std::size_t from_end;
        const char *type, *status;
        std::int64_t days_ago;
    };
    static const Request kRequests[] = {
        {1, "access", "done", 40}, {2, "objection", "open", 3}, {3, "restriction", "open", 10}};
    for (const auto& r : kRequests) {
        if (c.originals < r.from_end) break;
        const Person& p = c.people[c.originals - r.from_end];
        std::vector<FieldWrite> fw = {f("influencer", txt(p.id.to_text())), f("type", txt(r.type)),
                                      f("received", txt(date_of(now_i - r.days_ago * kDayMs))),
                                      f("status", txt(r.status)),
                                      f("staff", txt(c.central.to_text()))};
        if (std::string_view(r.status) == "done")
            fw.push_back(f("closed", txt(date_of(now_i - (r.days_ago - 20) * kDayMs))));
        m.create(Kind::kGdprRequest, std::move(fw),
                 Id128::derive("demo_gdpr_request", p.id.to_text(), r.type));
    }
    // Captions: most carry the mention, one post in five does not.
    for (std::size_t i = 0; i < made.content.size(); ++i)
        m.set(Kind::kContent, made.content[i],
              {f("caption",
                 txt(i % 5 == 2 ? "Ma routine du soir, mes essentiels"
                                : "Ma routine du soir #publicité #collaborationcommerciale"))});
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
    Maker m(store, hub, replica.value(), opts.seed, now);
    const auto now_i = std::int64_t(now);

    core::WriteTxn txn(store);
    LIAISON_TRY(txn.begun());

    Company c;
    auto &regions = c.regions, &brands = c.brands, &stores = c.stores, &staff = c.staff,
         &campaigns = c.campaigns;
    auto &campaign_start = c.campaign_start, &campaign_end = c.campaign_end;
    auto& people = c.people;
    std::vector<Id128> events;
    auto& programmes = c.programmes;
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
    c.central = group_staff[1];
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
             f("brand", txt(brands[std::size_t(b)].to_text())),
             f("budget", num(b == 0 ? 12'000'000 : 8'000'000)), f("currency", txt("EUR"))}));
    const char* kCampaigns[] = {"Printemps lumineux", "Rentrée Véga", "Fêtes de fin d'année"};
    const char* kObjectives[] = {"Reach and engagement around the spring collection",
                                 "Workshops and creators' posts for the back-to-school range",
                                 "Sales through tracked links over the holidays"};
    // KPI targets by AMEC stage (core/model/targets.hpp) and what each campaign sells.
    const char* kTargets[] = {
        "outputs.posts=40\noutputs.reach=2000000\nouttakes.engagement_rate=350",
        "activities.events=4\noutputs.reach=800000\nouttakes.engagements=40000",
        "outtakes.clicks=5000\noutcomes.conversions=250\noutcomes.revenue=1500000\nimpact.roi="
        "30000"};
    const char* kCategories[] = {"Soins du visage", "Maroquinerie", "Coffrets cadeaux"};
    for (int i = 0; i < 3; ++i) {
        std::int64_t start = now_i - (60 - 40 * i) * kDayMs;
        std::vector<FieldWrite> fw = {f("name", txt(kCampaigns[i])),
                                      f("programme", txt(programmes[std::size_t(i % 2)].to_text())),
                                      f("starts", txt(date_of(start))),
                                      f("ends", txt(date_of(start + 45 * kDayMs))),
                                      f("budget", num(2'500'000 + 1'000'000 * i)),
                                      f("currency", txt("EUR")),
                                      f("objectives", txt(kObjectives[i])),
                                      f("brand", txt(brands[std::size_t(i % 2)].to_text())),
                                      f("targets", txt(kTargets[i])),
                                      f("product_category", txt(kCategories[i]))};
        if (i < 2) fw.push_back(f("region", txt(regions[std::size_t(i)].to_text())));
        campaigns.push_back(m.create(Kind::kCampaign, std::move(fw)));
        campaign_start.push_back(start);
        campaign_end.push_back(start + 46 * kDayMs);
        c.campaign_brand.push_back(std::size_t(i % 2));
        m.add(Kind::kCampaign, campaigns.back(), "kpis", "reach");
        m.add(Kind::kCampaign, campaigns.back(), "kpis", i == 2 ? "sales" : "engagement");
        m.add(Kind::kCampaign, campaigns.back(), "markets", "FR");
        if (i != 1) m.add(Kind::kCampaign, campaigns.back(), "markets", "BE");
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
    Partnerships made = seed_partnerships(m, c, opts);

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
    seed_store_campaign(m, c, made);
    seed_measurement(m, c);
    seed_compliance(m, c, made);
    LIAISON_TRY(record_server_clock(store, hub.clock()));
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
