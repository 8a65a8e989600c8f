#include "core/query/view.hpp"

#include <algorithm>
#include <climits>
#include <cstdio>

#include "core/query/compliance.hpp"
#include "core/query/directory.hpp"
#include "core/query/pipeline.hpp"
#include "core/util/json.hpp"

namespace liaison::core {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::size_t kRecentContent = 5;

void append_value(std::string& out, const FieldDef& f, const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        if (f.type == FieldType::kBool)
            out += *i ? "true" : "false";
        else
            out += std::to_string(*i);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
        out += json_string(*s);
    } else {
        out += "null";
    }
}

Result<std::vector<DotRow>> dots_of(Store& store, const RowState& row) {
    if (kind_def(row.kind).sets.empty()) return std::vector<DotRow>{};
    return store.load_dots(row.id);
}

Result<std::string> render(Store& store, const RowState& row) {
    auto dots = dots_of(store, row);
    if (!dots) return dots.status();
    return row_json(row, dots.value());
}

// A follow-up still to do: the timeline item of the interaction that asked for it.
struct OpenFollowUp {
    std::string due;  // YYYY-MM-DD, or empty
    std::string item;
};

// Called for each interaction of the timeline, newest first: the newest contact of a
// department that asks for a follow-up (a text or a due date) leaves it open; any older one
// of that department was followed by that contact, so it is done (view.hpp).
void note_follow_up(const RowState& row, const std::string& item, std::vector<std::string>& seen,
                    std::vector<OpenFollowUp>& open) {
    const std::string* dept = row.text("department");
    const std::string department = dept ? *dept : std::string();
    if (std::find(seen.begin(), seen.end(), department) != seen.end()) return;
    seen.push_back(department);
    const std::string* text = row.text("follow_up");
    const std::string* due = row.text("follow_up_due");
    const auto* done = std::get_if<std::int64_t>(
        &row.values[std::size_t(kind_def(Kind::kInteraction).field_index("follow_up_done"))]);
    if (done && *done) return;
    if ((text && !text->empty()) || (due && !due->empty()))
        open.push_back({due ? *due : std::string(), item});
}

// The card's paid warning (view.hpp): a paid collaboration under way (core/query/pipeline.hpp).
bool active_paid(const RowState& c) {
    const std::string* type = c.text("type");
    const std::string* status = c.text("status");
    return type && *type == "paid" && status && collaboration_active(*status);
}

// The name of the campaign the entry names, when this replica holds it ("" otherwise).
Result<std::string> campaign_name(Store& store, const RowState& row) {
    const std::string* ref = row.text("campaign");
    const auto id = ref ? Id128::from_text(*ref) : std::nullopt;
    if (!id) return std::string();
    auto campaign = get_entity(store, Kind::kCampaign, *id);
    if (!campaign) return campaign.status();
    const std::string* name = campaign.value() ? campaign.value()->text("name") : nullptr;
    return name ? *name : std::string();
}

// The visible rows of `kind` whose subject is one of `members`, newest first (ids begin
// with their creation time).
Result<std::vector<RowState>> rows_of(Store& store, Kind kind, const std::vector<Id128>& members) {
    EntityIdQuery q;
    q.filters.push_back({kind_def(kind).field_index("influencer"), members});
    q.newest_first = true;
    auto ids = entity_ids(store, kind, q);
    if (!ids) return ids.status();
    std::vector<RowState> out;
    for (const auto& id : ids.value()) {
        auto row = get_entity(store, kind, id);
        if (!row) return row.status();
        if (row.value()) out.push_back(std::move(*row.value()));
    }
    return out;
}

// How many visible entries of `kind` name `link` (clicks, conversions).
Result<std::size_t> count_of_link(Store& store, Kind kind, const Id128& link) {
    EntityIdQuery q;
    q.filters.push_back({kind_def(kind).field_index("link"), {link}});
    auto ids = entity_ids(store, kind, q);
    if (!ids) return ids.status();
    return ids.value().size();
}

// A JSON array of JSON values already rendered.
std::string raw_array(const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
    return out + ']';
}

// One item of the card's lists: {"entry":{…},"campaign_name":"…"<extra>} (the name when held).
Result<std::string> card_item(Store& store, const RowState& row, const std::string& extra = "") {
    auto entry = render(store, row);
    if (!entry) return entry.status();
    auto name = campaign_name(store, row);
    if (!name) return name.status();
    std::string out = "{\"entry\":" + entry.value();
    if (!name.value().empty()) out += ",\"campaign_name\":" + json_string(name.value());
    return out + extra + '}';
}

}  // namespace

// Civil date (YYYY-MM-DD, proleptic Gregorian, UTC) of a time in ms (H. Hinnant's algorithm).
std::string iso_date(std::int64_t ms) {
    std::int64_t z = (ms >= 0 ? ms : ms - kDayMs + 1) / kDayMs + 719468;
    std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    std::int64_t doe = z - era * 146097;
    std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    std::int64_t mp = (5 * doy + 2) / 153;
    std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
    std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
    std::int64_t y = yoe + era * 400 + (m <= 2);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", int(y), int(m), int(d));
    return buf;
}

// Howard Hinnant's days_from_civil.
std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

std::string iso_time(std::int64_t ms) {
    const std::int64_t in_day = ((ms % kDayMs) + kDayMs) % kDayMs;
    char buf[24];
    std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d.%03dZ", int(in_day / 3'600'000),
                  int(in_day / 60'000 % 60), int(in_day / 1000 % 60), int(in_day % 1000));
    return iso_date(ms) + buf;
}

std::string value_json(const FieldDef& f, const Value& v) {
    std::string out;
    append_value(out, f, v);
    return out;
}

std::string row_json(const RowState& row, const std::vector<DotRow>& dots) {
    const KindDef& k = kind_def(row.kind);
    std::string out =
        "{\"kind\":" + json_string(k.name) + ",\"id\":" + json_string(row.id.to_text());
    if (row.created)
        out += ",\"created_at\":" + std::to_string(std::int64_t(row.created->hlc >> 16));
    for (std::size_t i = 0; i < k.fields.size() && i < row.values.size(); ++i) {
        if (is_null(row.values[i])) continue;
        out += ',' + json_string(k.fields[i].name) + ':';
        append_value(out, k.fields[i], row.values[i]);
    }
    if (!k.sets.empty()) {
        std::vector<std::vector<std::string>> live(k.sets.size());
        for (const auto& d : dots)
            if (!d.removed && d.set >= 0 && std::size_t(d.set) < live.size())
                live[std::size_t(d.set)].push_back(d.elem);
        for (std::size_t s = 0; s < k.sets.size(); ++s) {
            auto& elems = live[s];
            std::sort(elems.begin(), elems.end());
            elems.erase(std::unique(elems.begin(), elems.end()), elems.end());
            out += ',' + json_string(k.sets[s].name) + ':' + json_string_array(elems);
        }
    }
    return out + '}';
}

Result<std::optional<std::string>> entity_json(Store& store, Kind kind, const Id128& id) {
    auto row = get_entity(store, kind, id);
    if (!row) return row.status();
    if (!row.value()) return std::optional<std::string>{};
    auto json = render(store, *row.value());
    if (!json) return json.status();
    return std::optional<std::string>(std::move(json.value()));
}

Result<std::string> entities_json(Store& store, Kind kind, const std::vector<Id128>& ids) {
    std::string out = "[";
    bool first = true;
    for (const auto& id : ids) {
        auto one = entity_json(store, kind, id);
        if (!one) return one.status();
        if (!one.value()) continue;
        if (!first) out += ',';
        first = false;
        out += *one.value();
    }
    return out + ']';
}

Result<std::optional<std::string>> card_json(Store& store, const Id128& influencer,
                                             const CardOptions& opts) {
    auto found = get_entity(store, Kind::kInfluencer, influencer);
    if (!found) return found.status();
    if (!found.value()) return std::optional<std::string>{};
    const RowState& person = *found.value();

    auto person_json = render(store, person);
    if (!person_json) return person_json.status();
    std::string out = "{\"influencer\":" + person_json.value();
    // D2 (docs/SYNC.md "Directory"): a person this device holds only as her directory record.
    auto listed = store.directory_only(person.id);
    if (!listed) return listed.status();
    out += std::string(",\"directory\":") + (listed.value() ? "true" : "false");

    out += ",\"owner\":";
    std::optional<std::string> owner;
    if (const std::string* o = person.text("owner")) {
        if (auto oid = Id128::from_text(*o)) {
            auto staff = entity_json(store, Kind::kStaff, *oid);
            if (!staff) return staff.status();
            owner = staff.value();
        }
    }
    out += owner ? *owner : "null";

    auto recent = contact_count(store, person.id,
                                opts.now_ms - std::int64_t(opts.contact_window_days) * kDayMs);
    if (!recent) return recent.status();
    out += ",\"contacts_recent\":" + std::to_string(recent.value()) +
           ",\"contact_window_days\":" + std::to_string(opts.contact_window_days) +
           ",\"contact_cap\":" + std::to_string(opts.contact_cap);

    // Collaborations, content and links of the person and of every duplicate merged into
    // them. The lists keep what the filter accepts; the paid warning considers every entry.
    const std::vector<Id128> members = store.component_of(person.id);
    const auto shown = [&](const RowState& row) {
        return !opts.timeline_filter || opts.timeline_filter(row);
    };
    auto collaborations = rows_of(store, Kind::kCollaboration, members);
    if (!collaborations) return collaborations.status();
    bool paid_warning = false;
    std::vector<std::string> paid, active;
    for (const auto& c : collaborations.value()) {
        const std::string* status = c.text("status");
        if (!status || !collaboration_active(*status)) continue;
        paid_warning = paid_warning || active_paid(c);
        if (!shown(c)) continue;
        if (active_paid(c)) {
            auto cj = render(store, c);
            if (!cj) return cj.status();
            paid.push_back(std::move(cj.value()));
        }
        auto item = card_item(store, c);
        if (!item) return item.status();
        active.push_back(std::move(item.value()));
    }
    out +=
        ",\"active_paid\":" + raw_array(paid) + ",\"active_collaborations\":" + raw_array(active);

    // Her latest publications by date (undated ones last), newest first.
    auto posts = rows_of(store, Kind::kContent, members);
    if (!posts) return posts.status();
    std::vector<RowState> latest;
    for (auto& c : posts.value())
        if (shown(c)) latest.push_back(std::move(c));
    std::stable_sort(latest.begin(), latest.end(), [](const RowState& a, const RowState& b) {
        return a.integer("published_at").value_or(INT64_MIN) >
               b.integer("published_at").value_or(INT64_MIN);
    });
    if (latest.size() > kRecentContent) latest.resize(kRecentContent);
    std::vector<std::string> content;
    for (const auto& c : latest) {
        auto item = card_item(store, c);
        if (!item) return item.status();
        content.push_back(std::move(item.value()));
    }
    out += ",\"recent_content\":" + raw_array(content);

    // Her tracked links, with the clicks and conversions this replica holds for each.
    auto links = rows_of(store, Kind::kTrackedLink, members);
    if (!links) return links.status();
    std::vector<std::string> link_items;
    for (const auto& l : links.value()) {
        if (!shown(l)) continue;
        auto clicks = count_of_link(store, Kind::kClick, l.id);
        if (!clicks) return clicks.status();
        auto conversions = count_of_link(store, Kind::kConversion, l.id);
        if (!conversions) return conversions.status();
        auto item = card_item(store, l,
                              ",\"clicks\":" + std::to_string(clicks.value()) +
                                  ",\"conversions\":" + std::to_string(conversions.value()));
        if (!item) return item.status();
        link_items.push_back(std::move(item.value()));
    }
    out += ",\"links\":" + raw_array(link_items);

    std::vector<std::string> warnings;
    const std::string* status = person.text("status");
    if (status && *status == "do_not_contact") warnings.push_back("do_not_contact");
    if (paid_warning) warnings.push_back("active_paid_collaboration");
    if (recent.value() >= opts.contact_cap) warnings.push_back("contact_pressure");
    // Consent matters only where it is the lawful basis (docs/COMPLIANCE.md, gdpr): a person
    // under contract or legitimate interest needs none. No basis recorded is read as consent,
    // the one basis that needs nothing else on record to be claimed.
    const std::string* consent = person.text("consent");
    const std::string* basis = person.text("consent_basis");
    const bool consent_based = !basis || *basis == "consent";
    if (consent_based && (!consent || *consent != "granted")) warnings.push_back("consent_missing");
    // A data-subject request binds whatever her status says (core/query/compliance.hpp).
    auto privacy = privacy_of(store, person.id);
    if (!privacy) return privacy.status();
    if (privacy->objected) warnings.push_back("objection");
    if (privacy->restricted) warnings.push_back("restricted");
    out += ",\"warnings\":" + json_string_array(warnings);

    // Her vetting status today (docs/COMPLIANCE.md, "Vetting"): what a store sees of it.
    const auto& rules = compliance::RuleSet::builtin_people();
    auto vetting = vetting_of(store, person.id, iso_date(opts.now_ms), rules);
    if (!vetting) return vetting.status();
    out +=
        ",\"vetting\":{\"state\":" + json_string(compliance::vetting_state_name(vetting->state)) +
        ",\"reviewed\":" + (vetting->date.empty() ? "null" : json_string(vetting->date)) +
        ",\"expires\":" + (vetting->expiry.empty() ? "null" : json_string(vetting->expiry)) +
        ",\"failed\":" + json_string_array(vetting->failed) + "}";

    std::vector<std::string> merged;
    for (const auto& m : members)
        if (m != person.id) merged.push_back(m.to_text());
    out += ",\"merged_ids\":" + json_string_array(merged);

    auto entries = timeline(store, person.id, opts.timeline_limit);
    if (!entries) return entries.status();
    // The last contact anywhere: on a device, a mark of one logged elsewhere counts (D6).
    out += ",\"last_contact\":";
    std::string last = "null";
    for (const auto& e : entries.value()) {
        if (e.row.kind != Kind::kInteraction && e.row.kind != Kind::kCheckin) continue;
        last =
            "{\"at\":" + std::to_string(e.at) + ",\"kind\":" + json_string(kind_name(e.row.kind));
        for (const char* place : {"store", "event"})
            if (const std::string* id = e.row.text(place))
                last += ",\"" + std::string(place) + "\":" + json_string(*id);
        last += '}';
        break;
    }
    out += last;

    std::string items;
    std::vector<OpenFollowUp> follow_ups;
    std::vector<std::string> departments_seen;
    for (const auto& e : entries.value()) {
        if (opts.timeline_filter && !opts.timeline_filter(e.row)) continue;
        auto ej = render(store, e.row);
        if (!ej) return ej.status();
        auto mark = store.directory_only(e.row.id);
        if (!mark) return mark.status();
        std::string item = "{\"at\":" + std::to_string(e.at) +
                           (mark.value() ? ",\"mark\":true" : "") + ",\"entry\":" + ej.value() +
                           '}';
        if (e.row.kind == Kind::kInteraction)
            note_follow_up(e.row, item, departments_seen, follow_ups);
        items += (items.empty() ? "" : ",") + item;
    }
    std::stable_sort(
        follow_ups.begin(), follow_ups.end(), [](const OpenFollowUp& a, const OpenFollowUp& b) {
            if (a.due.empty() != b.due.empty()) return b.due.empty();  // dated ones first
            return a.due < b.due;  // ISO dates sort as text; undated ones stay newest first
        });
    std::vector<std::string> open;
    for (auto& f : follow_ups) open.push_back(std::move(f.item));
    out += ",\"follow_ups\":" + raw_array(open) + ",\"timeline\":[" + items + "]}";
    return std::optional<std::string>(std::move(out));
}

}  // namespace liaison::core
