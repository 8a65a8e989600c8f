#include "server/api/content.hpp"

#include <map>
#include <sstream>

#include "core/model/schema.hpp"
#include "core/model/validate.hpp"
#include "core/query/duplicates.hpp"
#include "core/query/queries.hpp"
#include "core/util/text.hpp"
#include "server/admin/csv.hpp"
#include "server/api/json.hpp"
#include "server/api/params.hpp"
#include "sync/scope.hpp"

namespace liaison::server {
namespace {

using core::Id128;
using core::Kind;
using core::RowState;
using core::Store;
using core::Value;
using sync::FieldWrite;
using sync::Op;
using sync::OpType;

constexpr std::size_t kRowsPerWrite = 200;

const std::vector<std::string>& columns() {
    static const std::vector<std::string> all = {"url",
                                                 "platform",
                                                 "handle",
                                                 "influencer",
                                                 "published_at",
                                                 "impressions",
                                                 "reach",
                                                 "likes",
                                                 "comments",
                                                 "shares",
                                                 "saves",
                                                 "video_views",
                                                 "engagements",
                                                 "tone",
                                                 "disclosure_found",
                                                 "disclosure_proof",
                                                 "collaboration",
                                                 "campaign",
                                                 "brands_mentioned"};
    return all;
}

struct ContentRow {
    std::size_t line = 0;
    std::map<std::string, std::string> cells;  // non-empty cells by column
    std::string get(const char* c) const {
        auto it = cells.find(c);
        return it == cells.end() ? std::string() : it->second;
    }
};

Status bad(const std::string& column, const std::string& why) {
    return Status::invalid(column + ": " + why);
}

Result<std::optional<std::int64_t>> count_cell(const ContentRow& row, const char* column) {
    const std::string v = row.get(column);
    if (v.empty()) return std::optional<std::int64_t>{};
    std::int64_t n = 0;
    for (char ch : v) {
        if (ch < '0' || ch > '9' || n > INT64_MAX / 10 - 9)
            return bad(column, "\"" + v.substr(0, 40) + "\" is not a whole number");
        n = n * 10 + (ch - '0');
    }
    return std::optional<std::int64_t>(n);
}

// The visible row `text` names, if the caller's scope covers it.
Result<RowState> visible_ref(Store& store, const Principal& who, Kind kind, const char* column,
                             const std::string& text) {
    auto id = Id128::from_text(text);
    if (!id) return bad(column, "\"" + text.substr(0, 40) + "\" is not a record id");
    auto row = visible_row(store, who, kind, *id);
    if (!row) return row.status();
    if (!row.value() || !row.value()->visible())
        return bad(column, text + " is not a " + core::kind_name(kind) + " you can see");
    return std::move(*row.value());
}

// One row as the operations that write its post, or why it is refused.
Result<std::vector<Op>> row_ops(Store& store, const Principal& who, const ContentRow& row,
                                bool& update, std::string& id_text) {
    const std::string url = row.get("url"), platform = core::ascii_lower(row.get("platform"));
    if (url.empty()) return bad("url", "required");
    if (platform.empty()) return bad("platform", "required");
    std::vector<FieldWrite> f = {{"url", url}, {"platform", platform}};
    // The author: by id, else by her handle on that platform.
    std::string person;
    if (const std::string given = row.get("influencer"); !given.empty()) {
        auto p = visible_ref(store, who, Kind::kInfluencer, "influencer", given);
        if (!p) return p.status();
        person = p->id.to_text();
    } else {
        const std::string handle = row.get("handle");
        if (handle.empty()) return bad("handle", "required (the author's handle on the platform)");
        core::DuplicateQuery q;
        q.handles = {platform + ":" + handle};
        auto hits = core::find_duplicates(store, q);
        if (!hits) return hits.status();
        std::vector<Id128> found;
        for (const auto& h : hits.value())
            if (std::find(h.reasons.begin(), h.reasons.end(), "handle") != h.reasons.end())
                found.push_back(h.id);
        if (found.empty())
            return bad("handle",
                       "nobody has the handle " + handle.substr(0, 80) + " on " + platform);
        if (found.size() > 1)
            return bad("handle", std::to_string(found.size()) + " people have the handle " +
                                     handle.substr(0, 80) + " on " + platform +
                                     ": give the influencer's id");
        auto p = visible_ref(store, who, Kind::kInfluencer, "handle", found.front().to_text());
        if (!p) return p.status();
        person = p->id.to_text();
        f.push_back({"handle", handle});
    }
    f.push_back({"influencer", person});
    if (const std::string at = row.get("published_at"); !at.empty()) {
        std::optional<std::int64_t> ms = parse_time_cell(at);
        if (!ms && core::is_date(at)) {
            auto day = day_param("published_at", at);
            if (day) ms = day.value();
        }
        if (!ms) return bad("published_at", "\"" + at.substr(0, 40) + "\" is not a date or time");
        f.push_back({"published_at", *ms});
    }
    std::int64_t by_type = 0;
    bool any_type = false;
    for (const char* c : {"impressions", "reach", "likes", "comments", "shares", "saves",
                          "video_views", "engagements"}) {
        auto n = count_cell(row, c);
        if (!n) return n.status();
        if (!n.value()) continue;
        f.push_back({c, *n.value()});
        if (std::string_view(c) == "likes" || std::string_view(c) == "comments" ||
            std::string_view(c) == "shares" || std::string_view(c) == "saves") {
            by_type += *n.value();
            any_type = true;
        }
    }
    if (row.get("engagements").empty() && any_type) f.push_back({"engagements", by_type});
    if (const std::string tone = row.get("tone"); !tone.empty())
        f.push_back({"tone", core::ascii_lower(tone)});
    if (const std::string d = core::ascii_lower(row.get("disclosure_found")); !d.empty()) {
        if (d == "true" || d == "yes" || d == "1")
            f.push_back({"disclosure_found", std::int64_t(1)});
        else if (d == "false" || d == "no" || d == "0")
            f.push_back({"disclosure_found", std::int64_t(0)});
        else
            return bad("disclosure_found", "\"" + d.substr(0, 20) + "\" is not true or false");
    }
    if (const std::string proof = row.get("disclosure_proof"); !proof.empty())
        f.push_back({"disclosure_proof", proof});
    // Its collaboration (paid or gifted) gives it its campaign and scope keys; else the
    // campaign's; an organic post keeps none of its own.
    std::optional<RowState> parent;
    if (const std::string c = row.get("collaboration"); !c.empty()) {
        auto collab = visible_ref(store, who, Kind::kCollaboration, "collaboration", c);
        if (!collab) return collab.status();
        const std::string* of = collab->text("influencer");
        if (!of || store.root_of(*Id128::from_text(*of)).to_text() != person)
            return bad("collaboration", "is another person's collaboration");
        f.push_back({"collaboration", collab->id.to_text()});
        if (const std::string* camp = collab->text("campaign")) f.push_back({"campaign", *camp});
        parent = std::move(collab).value();
    } else if (const std::string camp = row.get("campaign"); !camp.empty()) {
        auto campaign = visible_ref(store, who, Kind::kCampaign, "campaign", camp);
        if (!campaign) return campaign.status();
        f.push_back({"campaign", campaign->id.to_text()});
        parent = std::move(campaign).value();
    }
    if (parent)
        for (const char* key : {"brand", "region", "store"})
            if (const std::string* v = parent->text(key)) f.push_back({key, *v});

    // A post is its URL: the same post imported again is the same entity.
    const std::string url_key = std::get<std::string>(
        normalize_field(core::kind_def(Kind::kContent)
                            .fields[std::size_t(core::kind_def(Kind::kContent).field_index("url"))],
                        Value(url)));
    const Id128 id = Id128::derive("content", url_key, "");
    id_text = id.to_text();
    auto existing = store.load_row(Kind::kContent, id);
    if (!existing) return existing.status();
    update = existing.value() && existing.value()->created;
    if (existing.value() && existing.value()->deleted)
        return bad("url", "this post was removed from the record");
    if (update) {
        // Its person is its subject: an update names her only to check she is the same.
        const std::string* was = existing.value()->text("influencer");
        if (!was || store.root_of(*Id128::from_text(*was)).to_text() != person)
            return bad("url", "this post is already in the record as another person's");
        f.erase(std::remove_if(f.begin(), f.end(),
                               [](const FieldWrite& w) { return w.field == "influencer"; }),
                f.end());
    }
    std::vector<Op> ops = {
        sync::field_op(update ? OpType::kSet : OpType::kCreate, Kind::kContent, id, std::move(f))};
    if (const std::string brands = row.get("brands_mentioned"); !brands.empty()) {
        for (const auto& name : split_set_cell(brands)) {
            std::optional<Id128> brand = Id128::from_text(name);
            if (!brand) {
                const int nf = core::kind_def(Kind::kBrand).field_index("name");
                auto ids = store.ids_where(Kind::kBrand, nf, name);
                if (!ids) return ids.status();
                if (ids.value().size() != 1)
                    return bad("brands_mentioned",
                               "no brand is named \"" + name.substr(0, 60) + "\"");
                brand = ids.value().front();
            }
            ops.push_back(sync::elem_op(OpType::kAdd, Kind::kContent, id, "brands_mentioned",
                                        brand->to_text()));
        }
    }
    // The values checked here, so that a batch is seldom refused by the hub for one bad row
    // (the hub checks them again: the batch is then written row by row).
    const auto& kind = core::kind_def(Kind::kContent);
    for (const auto& w : ops.front().fields) {
        const auto& field = kind.fields[std::size_t(kind.field_index(w.field))];
        LIAISON_TRY(core::validate_field(field, core::normalize_field(field, w.value)));
    }
    for (std::size_t i = 1; i < ops.size(); ++i)
        LIAISON_TRY(core::validate_elem(kind.sets[std::size_t(kind.set_index("brands_mentioned"))],
                                        ops[i].elem));
    return ops;
}

std::string refused_json(std::size_t line, const std::string& reason) {
    return "{\"row\":" + std::to_string(line) + ",\"reason\":" + json_string(reason) + "}";
}

}  // namespace

HttpReply import_content(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    if (req.content_type.rfind("text/csv", 0) != 0)
        return error_reply(415, "unsupported_media_type", "send the file as text/csv");
    std::istringstream in(req.body);
    CsvReader reader(in);
    CsvRecord rec;
    std::vector<std::string> header;
    std::vector<ContentRow> rows;
    std::vector<std::pair<std::size_t, std::string>> refusals;  // line, reason
    std::size_t refused_n = 0;
    const auto refuse = [&](std::size_t line, const std::string& reason) {
        refusals.emplace_back(line, reason);
        ++refused_n;
    };
    std::map<std::string, std::size_t> seen;  // a post's id -> the line that wrote it
    while (reader.next(rec)) {
        if (rec.blank) continue;
        if (header.empty()) {
            if (!rec.error.empty()) return status_reply(Status::invalid("line 1: " + rec.error));
            for (auto& h : rec.fields) {
                std::string name = core::ascii_lower(core::trim(h));
                if (header.empty() && name.rfind("\xEF\xBB\xBF", 0) == 0) name = name.substr(3);
                if (std::find(columns().begin(), columns().end(), name) == columns().end())
                    return status_reply(
                        Status::invalid("header: unknown column \"" + name.substr(0, 40) +
                                        "\" (columns: " + core::join(columns(), ", ") + ")"));
                header.push_back(name);
            }
            for (const char* need : {"url", "platform"})
                if (std::find(header.begin(), header.end(), need) == header.end())
                    return status_reply(Status::invalid(std::string("header: no column ") + need));
            continue;
        }
        if (rows.size() + refused_n == kMaxContentImportRows)
            return status_reply(Status(Code::kTooLarge, "at most " +
                                                            std::to_string(kMaxContentImportRows) +
                                                            " rows in one import: split the file"));
        if (!rec.error.empty()) {
            refuse(rec.line, rec.error);
            continue;
        }
        if (rec.fields.size() != header.size()) {
            refuse(rec.line, std::to_string(rec.fields.size()) + " cells for " +
                                 std::to_string(header.size()) + " columns");
            continue;
        }
        ContentRow row;
        row.line = rec.line;
        for (std::size_t i = 0; i < header.size(); ++i) {
            std::string v(core::trim(unguard_formula(rec.fields[i])));
            if (!v.empty()) row.cells[header[i]] = std::move(v);
        }
        rows.push_back(std::move(row));
    }
    if (header.empty()) return status_reply(Status::invalid("the file is empty (no header row)"));

    std::size_t created = 0, updated = 0;
    std::vector<std::string> ids;
    for (std::size_t at = 0; at < rows.size(); at += kRowsPerWrite) {
        const std::size_t end = std::min(rows.size(), at + kRowsPerWrite);
        // Each row's operations, or its refusal, read under the store's lock; then the batch
        // written as one group. A batch the hub refuses whole (the record changed in between)
        // is written again row by row, so that only the rows at fault are refused.
        struct Ready {
            std::size_t line;
            std::vector<Op> ops;
            bool update;
            std::string id;
        };
        std::vector<Ready> ready;
        backend.read([&](Store& store) {
            for (std::size_t i = at; i < end; ++i) {
                bool update = false;
                std::string id;
                auto ops = row_ops(store, who, rows[i], update, id);
                if (!ops) {
                    refuse(rows[i].line, ops.status().detail());
                } else if (auto [it, fresh] = seen.emplace(id, rows[i].line); !fresh) {
                    refuse(rows[i].line, "url: the same post as row " + std::to_string(it->second));
                } else {
                    ready.push_back({rows[i].line, std::move(ops).value(), update, id});
                }
            }
            return 0;
        });
        const auto write = [&](std::size_t from, std::size_t to) {
            return backend.submit(device_context(who, {}), [&](Store&) -> Result<std::vector<Op>> {
                std::vector<Op> all;
                for (std::size_t k = from; k < to; ++k)
                    for (const auto& op : ready[k].ops) all.push_back(op);
                return all;
            });
        };
        const auto count = [&](const Ready& r) {
            (r.update ? updated : created) += 1;
            ids.push_back(r.id);
        };
        if (write(0, ready.size())) {
            for (const auto& r : ready) count(r);
            continue;
        }
        for (std::size_t k = 0; k < ready.size(); ++k) {
            if (Status s = write(k, k + 1); !s)
                refuse(ready[k].line, s.detail());
            else
                count(ready[k]);
        }
    }
    std::sort(refusals.begin(), refusals.end());
    std::string refused = "[";
    for (const auto& [line, reason] : refusals)
        refused += (refused.size() > 1 ? "," : "") + refused_json(line, reason);
    HttpReply r;
    r.body = "{\"imported\":" + std::to_string(created) +
             ",\"updated\":" + std::to_string(updated) + ",\"refused\":" + refused +
             "],\"ids\":" + json_string_array(ids) + "}";
    r.log_note = ",\"imported\":" + std::to_string(created + updated) +
                 ",\"refused\":" + std::to_string(refused_n);
    return r;
}

}  // namespace liaison::server
