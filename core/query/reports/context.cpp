#include "core/query/reports/context.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/model/validate.hpp"
#include "core/query/reports/entry_columns.hpp"
#include "core/query/view.hpp"

namespace liaison::core::reports {
namespace {

using Step = Statement::Step;

bool has_field(Kind kind, std::string_view field) { return kind_def(kind).field_index(field) >= 0; }

// The SQL text of a scope test over row `a`'s own keys (Scope::covers).
// The place part of the scope rule over row `a`'s own store and region: neither set, or one of
// the scope's. TRUE for a kind with neither field.
// `a` empty: the bare column names (a partial index's condition, place_index_ddl).
std::string place_covered(Kind kind, std::string_view a, const std::vector<Id128>& regions,
                          const std::vector<Id128>& stores) {
    const std::string p = a.empty() ? std::string() : std::string(a) + ".";
    const bool st = has_field(kind, "store"), rg = has_field(kind, "region");
    std::string place;
    if (!st && !rg) {
        place = "TRUE";  // TRUE, not 1: a condition must be boolean on PostgreSQL
    } else {
        std::string none, any;
        if (st) {
            none = p + "f_store IS NULL";
            any = p + "f_store IN " + blob_list(stores);
        }
        if (rg) {
            none += std::string(none.empty() ? "" : " AND ") + p + "f_region IS NULL";
            any += std::string(any.empty() ? "" : " OR ") + p + "f_region IN " + blob_list(regions);
        }
        place = "((" + none + ") OR " + any + ")";
    }
    return place;
}

std::string own_keys_covered(Kind kind, std::string_view a, const std::vector<Id128>& regions,
                             const std::vector<Id128>& stores, const std::vector<Id128>& brands) {
    const std::string p(a);
    std::string brand_ok = "TRUE";
    if (!brands.empty() && has_field(kind, "brand"))
        brand_ok = "(" + p + ".f_brand IS NULL OR " + p + ".f_brand IN " + blob_list(brands) + ")";
    return "(" + brand_ok + " AND " + place_covered(kind, a, regions, stores) + ")";
}

// The field naming the parent a keyless entry inherits its scope from (sync/scope.hpp
// scope_parent_field), and the parent's kind.
std::optional<std::pair<std::string, Kind>> scope_parent(Kind kind) {
    switch (kind) {
        case Kind::kClick:
        case Kind::kConversion:
            return std::pair{std::string("link"), Kind::kTrackedLink};
        case Kind::kCollaborationStep:
            return std::pair{std::string("collaboration"), Kind::kCollaboration};
        case Kind::kCheckin:
        case Kind::kInvitation:
            return std::pair{std::string("event"), Kind::kEvent};
        case Kind::kInteraction:
        case Kind::kCollaboration:
        case Kind::kContent:
            return std::pair{std::string("influencer"), Kind::kInfluencer};
        default:
            return std::nullopt;
    }
}

// The scope's regions, and its stores with those the record places in its regions (S1,
// docs/SYNC.md "Scopes"), sorted: the lists of the place test.
Status scope_places(Store& store, const ReportScope& scope, std::vector<Id128>& regions,
                    std::vector<Id128>& stores) {
    for (const auto& t : scope.regions)
        if (auto id = Id128::from_text(t)) regions.push_back(*id);
    for (const auto& t : scope.stores)
        if (auto id = Id128::from_text(t)) stores.push_back(*id);
    if (!regions.empty()) {
        auto st = store.db().prepare(
            "SELECT eid FROM k_store WHERE created IS NOT NULL AND f_region IN " +
            blob_list(regions));
        if (!st) return st.status();
        Step s;
        while ((s = st->step()) == Step::kRow)
            if (auto id = id_at(*st, 0)) stores.push_back(*id);
        if (s == Step::kError) return Status::storage(st->error());
    }
    std::sort(stores.begin(), stores.end());
    stores.erase(std::unique(stores.begin(), stores.end()), stores.end());
    return Status::ok();
}

// The statement that made index `name`, as SQLite keeps it; "" when there is none.
Result<std::string> index_sql(Store& store, const char* name) {
    auto& st = store.db().cached("SELECT sql FROM sqlite_master WHERE type='index' AND name=?1");
    st.reset();
    st.bind(1, std::string_view(name));
    std::string sql;
    const Step s = st.step();
    if (s == Step::kRow) sql = st.column_text(0);
    st.reset();
    if (s == Step::kError) return Status::storage(st.error());
    return sql;
}

Result<std::int64_t> setting_int(const std::string& key, const std::string& v, std::int64_t lo,
                                 std::int64_t hi) {
    char* end = nullptr;
    const long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n < lo || n > hi)
        return Status(Code::kInvalidArgument, "setting " + key + "=\"" + v +
                                                  "\": not a whole number from " +
                                                  std::to_string(lo) + " to " + std::to_string(hi));
    return std::int64_t(n);
}

}  // namespace

std::optional<Id128> id_at(Statement& st, int col) {
    auto b = st.column_blob(col);
    if (b.size() != 16) return std::nullopt;
    return Id128::from_bytes(b.data());
}

std::int64_t day_of_ms(std::int64_t ms) {
    return ms >= 0 ? ms / kDayMs : (ms - kDayMs + 1) / kDayMs;
}

std::string blob(const Id128& id) {
    static const char* hex = "0123456789ABCDEF";
    std::string out = "X'";
    for (auto b : id.bytes) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out + "'";
}

std::string blob_list(const std::vector<Id128>& ids) {
    if (ids.empty()) return "(NULL)";
    std::string out = "(";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += blob(ids[i]);
    }
    return out + ")";
}

std::int64_t days_of(std::string_view date) {
    const auto num = [&](std::size_t at, std::size_t n) {
        return std::int64_t(std::atoi(std::string(date.substr(at, n)).c_str()));
    };
    return days_from_civil(num(0, 4), num(5, 2), num(8, 2));
}

std::string date_of_days(std::int64_t days) { return iso_date(days * kDayMs); }

std::string hex_of(const Id128& id) { return blob(id).substr(2, 32); }

std::string utc_month(std::int64_t ms) { return iso_date(ms / 1000 * 1000).substr(0, 7); }

void Money::add(const std::string& currency, std::int64_t day, std::int64_t minor) {
    by_day[{currency, day}] += minor;
}

void Money::add(const Money& other) {
    for (const auto& [k, v] : other.by_day) by_day[k] += v;
}

std::map<std::string, std::int64_t> Money::per_currency() const {
    std::map<std::string, std::int64_t> out;
    for (const auto& [k, v] : by_day) out[k.first] += v;
    return out;
}

Result<Rates> Rates::load(Store& store) {
    Rates r;
    auto& st = store.db().cached(
        "SELECT f_base, f_quote, f_date, f_rate FROM k_fx_rate WHERE created IS NOT NULL AND "
        "f_base IS NOT NULL AND f_quote IS NOT NULL AND f_date IS NOT NULL AND f_rate > 0 "
        "ORDER BY f_base, f_quote, f_date, eid");
    Step s;
    while ((s = st.step()) == Step::kRow) {
        auto& v = r.rates_[{std::string(st.column_text(0)), std::string(st.column_text(1))}];
        const std::int64_t day = days_of(st.column_text(2));
        // Two entries for one day (made apart, REST ids not derived): the newest id wins.
        if (!v.empty() && v.back().first == day)
            v.back().second = st.column_int(3);
        else
            v.push_back({day, st.column_int(3)});
    }
    if (s == Step::kError) return Status::storage(st.error());
    return r;
}

std::optional<std::int64_t> Rates::convert(std::int64_t minor, const std::string& from,
                                           const std::string& to, std::int64_t day) const {
    if (from == to) return minor;
    auto latest = [&](const std::string& b, const std::string& q) -> std::optional<std::int64_t> {
        auto it = rates_.find({b, q});
        if (it == rates_.end()) return std::nullopt;
        const auto& v = it->second;
        auto after = std::upper_bound(v.begin(), v.end(), std::pair{day, INT64_MAX});
        if (after == v.begin()) return std::nullopt;
        return std::prev(after)->second;
    };
    // Exact: the product and quotient in long double would still round; a 128-bit integer
    // keeps every digit, then rounds half away from zero once.
    auto div_round = [](I128 num, I128 den) {
        const bool neg = (num < 0) != (den < 0);
        if (num < 0) num = -num;
        if (den < 0) den = -den;
        const I128 q = (num + den / 2) / den;
        return std::int64_t(neg ? -q : q);
    };
    if (auto r = latest(from, to)) return div_round(I128(minor) * *r, 1000000);
    if (auto r = latest(to, from)) return div_round(I128(minor) * 1000000, *r);
    return std::nullopt;
}

Result<Ctx> Ctx::make(Store& store, const ReportQuery& q) {
    Ctx c(store, q);
    // Settings.
    auto& st = store.db().cached(
        "SELECT f_key, f_value FROM k_setting WHERE created IS NOT NULL AND f_key IS NOT NULL "
        "ORDER BY eid");
    Step s;
    std::vector<std::pair<std::string, std::string>> raw;
    while ((s = st.step()) == Step::kRow)
        raw.emplace_back(std::string(st.column_text(0)), std::string(st.column_text(1)));
    if (s == Step::kError) return Status::storage(st.error());
    for (const auto& [key, value] : raw) {
        Status bad = Status::ok();
        if (key == "emv_enabled") {
            if (value == "true" || value == "yes" || value == "1")
                c.settings.emv_enabled = true;
            else if (value == "false" || value == "no" || value == "0" || value.empty())
                c.settings.emv_enabled = false;
            else
                bad = Status(Code::kInvalidArgument,
                             "setting emv_enabled=\"" + value + "\": not true or false");
        } else if (key == "emv_credit") {
            if (value == "split" || value == "full")
                c.settings.emv_split = value == "split";
            else
                bad = Status(Code::kInvalidArgument,
                             "setting emv_credit=\"" + value + "\": not full or split");
        } else if (key == "attribution_window_days") {
            auto n = setting_int(key, value, 1, 365);
            if (n)
                c.settings.window_days = n.value();
            else
                bad = n.status();
        } else if (key == "time_decay_half_life_days") {
            auto n = setting_int(key, value, 1, 365);
            if (n)
                c.settings.half_life_days = n.value();
            else
                bad = n.status();
        } else if (key == "retained_quarters") {
            auto n = setting_int(key, value, 1, 12);
            if (n)
                c.settings.retained_quarters = n.value();
            else
                bad = n.status();
        } else if (key == "report_currency") {
            if (value.empty() || is_currency(value))
                c.settings.report_currency = value;
            else
                bad = Status(Code::kInvalidArgument,
                             "setting report_currency=\"" + value + "\": not a currency code");
        }
        if (!bad.is_ok()) c.settings_notes.push_back(bad.detail() + " (the default applies)");
    }
    auto rates = Rates::load(store);
    if (!rates) return rates.status();
    c.rates = std::move(rates).value();
    c.currency = !q.currency.empty() ? q.currency : c.settings.report_currency;

    if (!q.from.empty()) {
        c.from_day = days_of(q.from);
        c.from_ms = c.from_day * kDayMs;
    }
    if (!q.to.empty()) {
        c.to_day = days_of(q.to);
        c.to_ms = (c.to_day + 1) * kDayMs;
    }
    const std::int64_t today = day_of_ms(q.now_ms);
    c.as_of_day = q.to.empty() ? today : c.to_day;

    if (q.programme) {
        auto& ps = store.db().cached(
            "SELECT eid FROM k_campaign WHERE f_programme=?1 AND created IS NOT NULL ORDER BY eid");
        ps.bind_blob(1, q.programme->bytes.data(), 16);
        while ((s = ps.step()) == Step::kRow)
            if (auto id = id_at(ps, 0)) c.campaigns.push_back(*id);
        if (s == Step::kError) return Status::storage(ps.error());
    }
    if (q.region) {
        LIAISON_TRY(c.each("SELECT eid FROM k_store WHERE created IS NOT NULL AND f_region=" +
                               blob(*q.region) + " ORDER BY eid",
                           [&](Statement& r) {
                               if (auto id = id_at(r, 0)) c.region_filter_stores_.push_back(*id);
                           }));
    }
    if (!q.scope.global) {
        LIAISON_TRY(scope_places(store, q.scope, c.regions_, c.stores_));
        for (const auto& t : q.scope.brands)
            if (auto id = Id128::from_text(t)) c.brands_.push_back(*id);
        if (store.db().backend() == Backend::kSqlite) {
            auto held = index_sql(store, kPlaceIndex);
            if (!held) return held.status();
            c.place_indexed = held.value() == place_index_ddl(c.regions_, c.stores_);
        }
    }
    return c;
}

std::string place_index_ddl(const std::vector<Id128>& regions, const std::vector<Id128>& stores) {
    return std::string("CREATE INDEX ") + kPlaceIndex +
           " ON k_interaction(f_at, f_touchpoint, f_department, f_influencer, f_store, f_region, "
           "f_brand, f_campaign, created, deleted, eid, f_follow_up_due, f_follow_up_done) WHERE " +
           place_covered(Kind::kInteraction, "", regions, stores);
}

std::string Ctx::visible(std::string_view a) {
    const std::string p(a);
    return "(" + p + ".created IS NOT NULL AND " + p + ".deleted IS NULL)";
}

std::string Ctx::in_scope(Kind kind, std::string_view a) const {
    if (q.scope.global) return "TRUE";
    const std::string own = own_keys_covered(kind, a, regions_, stores_, brands_);
    auto parent = scope_parent(kind);
    if (!parent) return own;
    const std::string p(a);
    std::string keyless;
    for (const char* key : {"region", "brand", "store"})
        if (has_field(kind, key))
            keyless += std::string(keyless.empty() ? "" : " AND ") + p + ".f_" + key + " IS NULL";
    const std::string pa = p + "_sp";
    // The place test first: every row in scope passes it (a keyless one names no place), and it
    // turns away the rows of other stores and regions — on a device, the marks of the whole
    // company's contacts — before the CASE, which costs SQLite several times more per row (a
    // regional replica's contacts: 476 → 298 ms in the sqlite3 shell, docs/PERFORMANCE.md).
    return "(" + place_covered(kind, a, regions_, stores_) + " AND (CASE WHEN " + keyless +
           " THEN EXISTS(SELECT 1 FROM " + table_name(parent->second) + " " + pa + " WHERE " + pa +
           ".eid=" + p + ".f_" + parent->first + " AND " + visible(pa) + " AND " +
           own_keys_covered(parent->second, pa, regions_, stores_, brands_) + ") ELSE " + own +
           " END))";
}

std::string Ctx::filtered(Kind kind, std::string_view a, bool by_campaign, bool by_brand) const {
    const std::string p(a);
    std::string out = "TRUE";
    auto add = [&](const std::string& cond) { out += " AND " + cond; };
    if (!by_campaign) {
    } else if (q.campaign) {
        if (kind == Kind::kCampaign)
            add(p + ".eid=" + blob(*q.campaign));
        else if (has_field(kind, "campaign"))
            add(p + ".f_campaign=" + blob(*q.campaign));
    } else if (q.programme) {
        if (kind == Kind::kProgramme)
            add(p + ".eid=" + blob(*q.programme));
        else if (kind == Kind::kCampaign)
            add(p + ".eid IN " + blob_list(campaigns));
        else if (has_field(kind, "programme") && has_field(kind, "campaign"))
            add("(" + p + ".f_programme=" + blob(*q.programme) + " OR " + p + ".f_campaign IN " +
                blob_list(campaigns) + ")");
        else if (has_field(kind, "campaign"))
            add(p + ".f_campaign IN " + blob_list(campaigns));
    }
    if (!by_brand) {
    } else if (q.brand && kind == Kind::kContent)
        add("(" + p + ".f_brand=" + blob(*q.brand) +
            " OR EXISTS(SELECT 1 FROM sdot WHERE eid=" + p + ".eid AND sidx=" +
            std::to_string(kind_def(Kind::kContent).set_index("brands_mentioned")) + " AND elem='" +
            q.brand->to_text() + "' AND removed=0))");
    else if (q.brand && has_field(kind, "brand"))
        add(p + ".f_brand=" + blob(*q.brand));
    // A region: its entries, and those of its stores that name no region (S1, as the scope).
    if (q.region && has_field(kind, "region")) {
        std::string cond = p + ".f_region=" + blob(*q.region);
        if (has_field(kind, "store") && !region_filter_stores_.empty())
            cond = "(" + cond + " OR (" + p + ".f_region IS NULL AND " + p + ".f_store IN " +
                   blob_list(region_filter_stores_) + "))";
        add(cond);
    }
    if (q.store && has_field(kind, "store")) add(p + ".f_store=" + blob(*q.store));
    return "(" + out + ")";
}

std::string Ctx::in_period_ms(std::string_view a, std::string_view field) const {
    const std::string col = std::string(a) + ".f_" + std::string(field);
    std::string out = "(" + col + " IS NOT NULL";
    if (from_ms != INT64_MIN) out += " AND " + col + ">=" + std::to_string(from_ms);
    if (to_ms != INT64_MAX) out += " AND " + col + "<" + std::to_string(to_ms);
    return out + ")";
}

std::string Ctx::in_period_date(std::string_view a, std::string_view field) const {
    const std::string col = std::string(a) + ".f_" + std::string(field);
    std::string out = "(" + col + " IS NOT NULL";
    if (!q.from.empty()) out += " AND " + col + ">='" + q.from + "'";
    if (!q.to.empty()) out += " AND " + col + "<='" + q.to + "'";
    return out + ")";
}

std::string Ctx::rows(Kind kind, std::string_view a, bool by_brand) const {
    return visible(a) + " AND " + in_scope(kind, a) + " AND " + filtered(kind, a, true, by_brand);
}

Status Ctx::each(const std::string& sql, const std::function<void(Statement&)>& row) const {
    auto st = store.db().prepare(sql);
    if (!st) return st.status();
    Step s;
    while ((s = st->step()) == Step::kRow) row(*st);
    if (s == Step::kError) return Status::storage(st->error());
    return Status::ok();
}

Result<std::int64_t> Ctx::scalar(const std::string& sql) const {
    std::int64_t v = 0;
    auto ok = each(sql, [&](Statement& r) { v = r.column_int(0); });
    if (!ok.is_ok()) return ok;
    return v;
}

std::optional<std::int64_t> Ctx::converted(const Money& m, Report& out) const {
    std::int64_t total = 0;
    bool complete = true;
    for (const auto& [key, minor] : m.by_day) {
        auto v = rates.convert(minor, key.first, currency, key.second);
        if (v) {
            total += *v;
            continue;
        }
        complete = false;
        const std::string note = "no exchange rate from " + key.first + " to " + currency +
                                 " on or before " + date_of_days(key.second) +
                                 ": the totals that include it are left empty";
        if (std::find(out.notes.begin(), out.notes.end(), note) == out.notes.end())
            out.notes.push_back(note);
    }
    if (!complete) return std::nullopt;
    return total;
}

std::vector<MoneyRow> money_rows(const Ctx& c, const Money& m, Report& out) {
    std::vector<MoneyRow> rows;
    if (!c.currency.empty()) {
        rows.push_back({c.currency, c.converted(m, out)});
        return rows;
    }
    for (const auto& [cur, v] : m.per_currency()) rows.push_back({cur, v});
    return rows;
}

Result<std::map<Id128, std::string>> names_of(const Ctx& c, Kind kind,
                                              const std::vector<Id128>& ids) {
    std::map<Id128, std::string> out;
    if (ids.empty()) return out;
    LIAISON_TRY(
        c.each("SELECT eid, f_name FROM " + table_name(kind) + " WHERE eid IN " + blob_list(ids),
               [&](Statement& r) {
                   if (auto id = id_at(r, 0)) out[*id] = r.column_text(1);
               }));
    return out;
}

BrandIndex::BrandIndex(const std::vector<Id128>& brands) {
    for (std::size_t i = 0; i < brands.size(); ++i) {
        by_text_[brands[i].to_text()] = i;
        by_id_[brands[i]] = i;
    }
}

std::string BrandIndex::sql(std::string_view a) {
    // string_agg: PostgreSQL's, and SQLite's since 3.44 (the build's own SQLite is newer).
    const std::string p(a);
    return ", " + p + ".f_brand, (SELECT string_agg(s.elem, ' ') FROM sdot s WHERE s.eid=" + p +
           ".eid AND s.sidx=" +
           std::to_string(kind_def(Kind::kContent).set_index("brands_mentioned")) +
           " AND s.removed=0)";
}

void BrandIndex::named(Statement& row, int col, std::vector<std::size_t>& out) const {
    out.clear();
    auto name = [&](std::size_t i) {
        if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
    };
    if (auto brand = id_at(row, col)) {
        auto it = by_id_.find(*brand);
        if (it != by_id_.end()) name(it->second);
    }
    // The set's elements are brand ids as text (no space in them), joined by spaces.
    const std::string_view elems = row.column_text_view(col + 1);
    for (std::size_t pos = 0; pos < elems.size();) {
        std::size_t stop = elems.find(' ', pos);
        if (stop == std::string_view::npos) stop = elems.size();
        auto it = by_text_.find(std::string(elems.substr(pos, stop - pos)));
        if (it != by_text_.end()) name(it->second);
        pos = stop + 1;
    }
}

BrandIndex::OverColumns::OverColumns(const BrandIndex& index, const EntryColumns& posts)
    : posts_(posts), by_id_(posts.ids() + 1, kNot), by_text_(posts.text_count() + 1, kNot) {
    for (const auto& [id, i] : index.by_id_)
        if (auto n = posts.number(id)) by_id_[*n] = i;
    for (const auto& [text, i] : index.by_text_)
        if (auto n = posts.find_text(text)) by_text_[*n] = i;
}

void BrandIndex::OverColumns::named(std::size_t r, std::vector<std::size_t>& out) const {
    out.clear();
    auto name = [&](std::size_t i) {
        if (i != kNot && std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
    };
    name(by_id_[posts_.brand[r]]);
    for (std::uint32_t n : posts_.elems(kBrandsMentioned, r)) name(by_text_[n]);
}

Cell ratio(double a, double b) { return b == 0 ? Cell::null() : Cell::fixed(a / b); }
Cell percent(double a, double b) { return b == 0 ? Cell::null() : Cell::fixed(a * 100 / b); }

}  // namespace liaison::core::reports

namespace liaison::core {

Status index_report_place(Store& store, const ReportScope& scope) {
    if (scope.global || store.db().backend() != Backend::kSqlite) return Status::ok();
    std::vector<Id128> regions, stores;
    LIAISON_TRY(reports::scope_places(store, scope, regions, stores));
    const std::string want = reports::place_index_ddl(regions, stores);
    auto held = reports::index_sql(store, reports::kPlaceIndex);
    if (!held) return held.status();
    if (held.value() == want) return Status::ok();
    return store.db().exec(std::string("DROP INDEX IF EXISTS ") + reports::kPlaceIndex + ";\n" +
                           want);
}

}  // namespace liaison::core
