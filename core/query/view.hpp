// JSON views of the record for the apps (the web façade and the REST API). Both hosts render
// entities the same way, so a screen and an integration see the same document.
//
// An entity is one flat object:
//   {"kind":"influencer","id":"01JD…","created_at":1732350000000,
//    "name":"Hélène Dupont","email":"helene@example.fr","tier":"top", …,
//    "handles":["instagram:helene.dupont:125000"],"roles":["customer"], …}
// - every non-null field under its schema name: text-like fields (text, e-mail, phone, url,
//   date, enum, ref, …) as strings, int and time (ms since the epoch) as numbers, bool as
//   true/false; null fields are left out;
// - every set of the kind under its name, as a sorted array of its live elements (possibly []);
// - created_at: the create stamp's physical time (ms), omitted if no create was seen.
//
// The influencer card (the store screen and GET /api/v1/influencers/<id>):
//   {"influencer":{entity},
//    "owner":{staff entity}|null,
//    "contacts_recent":<contacts at or after now - window>, "contact_window_days":30,
//    "contact_cap":<cap>,
//    "active_paid":[{collaboration entity}, …],   // type paid, active (below), not deleted
//    "active_collaborations":[{"entry":{collaboration entity},"campaign_name":"…"}, …],
//                   // every type, active: contracted, live or delivered (collaboration_active,
//                   // core/query/pipeline.hpp); newest first; campaign_name when held
//    "recent_content":[{"entry":{content entity},"campaign_name":"…"}, …],
//                   // her latest 5 by published_at (undated ones last), newest first
//    "links":[{"entry":{tracked_link entity},"campaign_name":"…","clicks":n,"conversions":n}, …],
//                   // newest first; clicks and conversions naming the link that this replica
//                   // holds (a store device holds its own campaigns')
//    "warnings":["do_not_contact","active_paid_collaboration","contact_pressure",
//                "consent_missing","objection","restricted"],  // in this order, those that apply
//    "vetting":{"state":"missing"|"passed"|"failed"|"expired"|"incomplete",
//               "reviewed":"YYYY-MM-DD"|null,"expires":"YYYY-MM-DD"|null,
//               "failed":["political_neutrality", …]},  // her latest vetting on now_ms's date
//                                                  // (core/query/compliance.hpp)
//    "merged_ids":["01J…", …],                    // duplicates merged into this record
//    "last_contact":{"at":<ms>,"kind":"interaction"|"checkin","store":"01J…","event":"01J…"}
//                   |null,                         // the newest contact anywhere (store and
//                                                  // event when it names them)
//    "follow_ups":[{"at":<ms>,"entry":{interaction entity}}, …],  // open follow-ups (below)
//    "timeline":[{"at":<ms>,"mark":true,"entry":{entity}}, …]} // newest first, up to
//                                                  // timeline_limit; "mark" on a device's
//                                                  // contact mark (docs/SYNC.md D6: no summary,
//                                                  // note or staff)
// Warnings: do_not_contact when status is do_not_contact; active_paid_collaboration when she
// has an active paid collaboration (shown or not); contact_pressure when contacts_recent >=
// contact_cap; consent_missing when consent is unknown, refused, withdrawn or null and the
// lawful basis (consent_basis) is consent or not recorded — not under contract, legitimate
// interest or legal obligation; objection when an objection to direct marketing is open or
// done, restricted when a restriction of processing is (data-subject requests, read from the
// request log: no edit of her status undoes them; core/query/compliance.hpp). Open
// follow-ups: a follow-up (an interaction with a follow_up text or a follow_up_due date) is open
// until it is marked done (follow_up_done, record model 4) or the same department logs its next
// contact with the person; a contact by another department does not close it. At most one per
// department, taken from the timeline as shown (same limit and filter); dated ones first, the
// soonest due first (overdue ones included: they are still to do), then undated, newest first.
//
// Thread-safety: as the Store.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/query/queries.hpp"
#include "core/storage/store.hpp"

namespace liaison::core {

// Civil date (YYYY-MM-DD, proleptic Gregorian, UTC) of a time in ms since the epoch.
std::string iso_date(std::int64_t ms);
// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12, day 1-31): the way back.
std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d);
// ISO 8601 time in UTC with milliseconds ("2026-11-02T09:30:00.000Z").
std::string iso_time(std::int64_t ms);
// A field's value as JSON, as entities show it (a bool field as true/false, null for none).
std::string value_json(const FieldDef& f, const Value& v);

// The entity object of `row` given its dots (removed dots are ignored).
std::string row_json(const RowState& row, const std::vector<DotRow>& dots);

// The visible entity (following duplicate merges for influencers), or nullopt if it does not
// exist, is deleted or erased.
Result<std::optional<std::string>> entity_json(Store& store, Kind kind, const Id128& id);

// A JSON array of entities, in the order given; ids that are not visible are skipped.
Result<std::string> entities_json(Store& store, Kind kind, const std::vector<Id128>& ids);

struct CardOptions {
    std::int64_t now_ms = 0;
    int contact_window_days = 30;
    std::int64_t contact_cap = 4;
    std::size_t timeline_limit = 100;
    // When set, the timeline and the lists (active_paid, active_collaborations,
    // recent_content, links) keep only the entries it accepts (a scoped caller sees the
    // entries its scope covers). Counts and warnings always consider every entry.
    std::function<bool(const RowState&)> timeline_filter;
};
// The influencer card above, or nullopt if the influencer is not visible.
Result<std::optional<std::string>> card_json(Store& store, const Id128& influencer,
                                             const CardOptions& opts);

}  // namespace liaison::core
