#include "server/api/conversions.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <sstream>
#include <unordered_set>

#include "core/model/validate.hpp"
#include "core/query/view.hpp"
#include "core/util/text.hpp"
#include "server/admin/csv.hpp"
#include "server/api/admin.hpp"
#include "server/api/json.hpp"
#include "server/api/links.hpp"
#include "server/api/params.hpp"
#include "sync/scope.hpp"

namespace liaison::server {
namespace {

using core::Id128;
using core::Kind;
using core::RowState;
using core::Store;
using sync::Op;

constexpr std::string_view kConversionsPath = "/api/v1/conversions";
constexpr std::string_view kImportPath = "/api/v1/conversions/import";

// An order as a shop sends it, read but not yet checked against the record.
struct Order {
    std::string shop, order_ref, currency, link_code, promo_code;
    // The first-party visitor id the /l/ redirect gave the shopper (`lv` on the target URL),
    // passed back by the shop: only where she agreed to tracking (server/api/links.hpp).
    std::string visitor;
    std::int64_t at = 0, value = 0;
};

// What one order comes to.
struct Made {
    Id128 id;
    bool duplicate = false;
    std::optional<Op> op;  // the create, unless a duplicate
};

bool may_record(const Principal& who) {
    return who.role == sync::Role::kIntegration || who.role == sync::Role::kCentral ||
           who.role == sync::Role::kAdmin;
}

Status bad_time(std::string_view text) {
    return Status(Code::kBadFormat,
                  "at: '" + std::string(text.substr(0, 40)) +
                      "' is not a time (ISO 8601 UTC, e.g. 2026-03-01T10:00:00Z, or "
                      "milliseconds since 1970)");
}

Result<std::int64_t> time_text(std::string_view text) {
    auto t = parse_time_cell(text);
    if (!t) return bad_time(text);
    return *t;
}

Result<std::int64_t> order_value(std::string_view text) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        return Status(Code::kBadFormat, "value: '" + std::string(text.substr(0, 40)) +
                                            "' is not a whole number of minor units (cents)");
    return n;
}

// C1-C4 for one order: a duplicate, or the create that records it, or why it is refused
// (`unknown_code` set when the refusal is C3's).
Result<Made> conversion_op(Store& store, const Principal& who, const Order& o,
                           const std::unordered_set<Id128, core::Id128Hash>& made_here,
                           bool* unknown_code) {
    *unknown_code = false;
    for (auto [name, v] : {std::pair{"shop", &o.shop}, std::pair{"order_ref", &o.order_ref}})
        if (v->empty()) return Status(Code::kRequired, std::string(name) + ": required");
    Made m;
    m.id = Id128::derive("conversion", o.shop, o.order_ref);
    // C1: the order is recorded already (or was earlier in the same import).
    auto old = store.load_row(Kind::kConversion, m.id);
    if (!old) return old.status();
    if ((old.value() && (old.value()->created || old.value()->deleted)) || made_here.count(m.id)) {
        m.duplicate = true;
        return m;
    }
    // C2: what the link or the collaboration gives it.
    const bool by_link = !o.link_code.empty();
    if (!by_link && o.promo_code.empty())
        return Status(Code::kRequired,
                      "link_code: send the code of the tracked link the order came through, or "
                      "the promo_code it used");
    auto from = by_link ? find_by_code(store, Kind::kTrackedLink, "code", o.link_code)
                        : find_by_code(store, Kind::kCollaboration, "promo_code", o.promo_code);
    if (!from) return from.status();
    if (!from.value()) {
        *unknown_code = true;
        return Status(Code::kNotFound,
                      by_link ? "link_code: no tracked link has the code '" + o.link_code + "'"
                              : "promo_code: no collaboration has the promo "
                                "code '" +
                                    o.promo_code + "'");
    }
    auto a = attribution_of(store, *from.value());
    if (!a) return a.status();

    const auto& k = core::kind_def(Kind::kConversion);
    Op op = sync::unstamped_op(sync::OpType::kCreate, Kind::kConversion, m.id);
    auto put = [&](const char* name, core::Value v) { op.fields.push_back({name, std::move(v)}); };
    put("shop", o.shop);
    put("order_ref", o.order_ref);
    put("at", o.at);
    put("value", o.value);
    put("currency", o.currency.empty() ? core::Value{} : core::Value{o.currency});
    if (!o.promo_code.empty()) put("promo_code", o.promo_code);
    if (!o.visitor.empty()) put("visitor", o.visitor);  // checked below as a code
    // Through a link, `link` is that link; through a promo code the order came by the code,
    // not by the collaboration's link, and names none.
    if (!o.link_code.empty()) put("link", a->link);
    for (auto [name, v] :
         {std::pair{"influencer", &a->influencer}, std::pair{"campaign", &a->campaign},
          std::pair{"collaboration", &a->collaboration}, std::pair{"brand", &a->brand},
          std::pair{"region", &a->region}, std::pair{"store", &a->store}})
        if (!v->empty()) put(name, *v);
    // The model's checks (lengths, formats, ranges, required fields), as the hub makes them,
    // so that a bad row is refused with its reason instead of failing the whole import.
    std::vector<core::Value> values(k.fields.size());
    for (auto& w : op.fields) {
        const auto i = std::size_t(k.field_index(w.field));
        w.value = core::normalize_field(k.fields[i], std::move(w.value));
        values[i] = w.value;
    }
    LIAISON_TRY(core::validate_record(k, values));
    // C4: the caller's scope covers the conversion it makes (by its keys, or its link's).
    auto covered = sync::covers_entry(store, who.scope, Kind::kConversion, m.id, values);
    if (!covered) return covered.status();
    if (!covered.value())
        return Status(Code::kOutOfScope,
                      "this order's " + std::string(o.link_code.empty() ? "promo code" : "link") +
                          " belongs to a campaign outside your scope");
    m.op = std::move(op);
    return m;
}

const std::vector<std::string_view> kOrderFields = {
    "shop", "order_ref", "at", "value", "currency", "link_code", "promo_code", "visitor"};

// The order of a JSON body.
Result<Order> order_of(const rapidjson::Document& doc) {
    Order o;
    for (auto [name, out] :
         {std::pair{"shop", &o.shop}, std::pair{"order_ref", &o.order_ref},
          std::pair{"currency", &o.currency}, std::pair{"link_code", &o.link_code},
          std::pair{"promo_code", &o.promo_code}, std::pair{"visitor", &o.visitor}}) {
        auto v = string_member(doc, name);
        if (!v) return v.status();
        if (v.value()) *out = *v.value();
    }
    auto at = doc.FindMember("at");
    if (at == doc.MemberEnd() || at->value.IsNull())
        return Status(Code::kRequired, "at: required (when the order was placed)");
    if (at->value.IsInt64()) {
        o.at = at->value.GetInt64();
    } else if (at->value.IsString()) {
        auto t = time_text(std::string_view(at->value.GetString(), at->value.GetStringLength()));
        if (!t) return t.status();
        o.at = t.value();
    } else {
        return bad_time("");
    }
    auto value = int_member(doc, "value");
    if (!value) return value.status();
    if (!value.value()) return Status(Code::kRequired, "value: required (in minor units)");
    o.value = *value.value();
    return o;
}

// A refused order: 422 when it names a code that names nothing (C3), else as its status says.
HttpReply refused(const Status& s, bool unknown_code) {
    HttpReply r = field_status_reply(s, kOrderFields);
    if (unknown_code) r.status = 422;
    return r;
}

HttpReply conversion_json(SyncBackend& backend, const Principal& who, const Id128& id,
                          bool duplicate) {
    return backend.read([&](Store& store) -> HttpReply {
        std::string body = "null";
        auto row = store.load_row(Kind::kConversion, id);
        if (!row) return status_reply(row.status());
        if (row.value() && row.value()->visible()) {
            auto covered = sync::covers_entry(store, who.scope, *row.value());
            if (!covered) return status_reply(covered.status());
            if (covered.value()) {
                auto json = core::entity_json(store, Kind::kConversion, id);
                if (!json) return status_reply(json.status());
                body = json.value().value_or("null");
            }
        }
        HttpReply r;
        r.status = duplicate ? 200 : 201;
        r.body =
            "{\"conversion\":" + body + ",\"duplicate\":" + (duplicate ? "true" : "false") + "}";
        if (!duplicate)
            r.headers.emplace_back("Location", std::string(kConversionsPath) + "/" + id.to_text());
        return r;
    });
}

HttpReply forbidden_to() {
    return error_reply(403, code_name(Code::kForbidden),
                       "only a shop's integration or the central team may record orders");
}

// ---- CSV ----------------------------------------------------------------------------------

struct OrderRow {
    std::size_t line = 0;
    Order order;
    Status problem;  // a row that could not even be read as an order
};

// The rows of a shop's CSV, or why the whole file is refused.
Result<std::vector<OrderRow>> read_orders(const std::string& body) {
    std::istringstream in(body);
    CsvReader reader(in);
    CsvRecord rec;
    std::vector<int> col(kOrderFields.size(), -1);
    bool header = false;
    std::vector<OrderRow> rows;
    std::size_t width = 0;
    while (reader.next(rec)) {
        if (rec.blank) continue;
        if (!header) {
            if (!rec.error.empty())
                return Status::invalid("line " + std::to_string(rec.line) + ": " + rec.error);
            width = rec.fields.size();
            for (std::size_t i = 0; i < rec.fields.size(); ++i) {
                std::string name(core::trim(rec.fields[i]));
                if (i == 0 && name.rfind("\xEF\xBB\xBF", 0) == 0) name.erase(0, 3);  // BOM
                auto f = std::find(kOrderFields.begin(), kOrderFields.end(), name);
                if (f == kOrderFields.end())
                    return Status(Code::kUnknownField,
                                  "header: unknown column '" + name.substr(0, 40) +
                                      "' (shop, order_ref, at, value, currency, link_code, "
                                      "promo_code, visitor)");
                if (col[std::size_t(f - kOrderFields.begin())] >= 0)
                    return Status::invalid("header: column '" + name + "' given twice");
                col[std::size_t(f - kOrderFields.begin())] = int(i);
            }
            for (std::size_t i = 0; i < 5; ++i)
                if (col[i] < 0)
                    return Status(Code::kRequired, "header: the column '" +
                                                       std::string(kOrderFields[i]) +
                                                       "' is missing (shop, order_ref, at, value, "
                                                       "currency; then link_code, promo_code, "
                                                       "visitor)");
            header = true;
            continue;
        }
        if (rows.size() == kMaxConversionRows)
            return Status(Code::kTooLarge, "at most " + std::to_string(kMaxConversionRows) +
                                               " orders per file: split it");
        OrderRow row;
        row.line = rec.line;
        auto cell = [&](std::size_t f) -> std::string {
            const int i = col[f];
            return i < 0 ? std::string() : std::string(core::trim(rec.fields[std::size_t(i)]));
        };
        if (!rec.error.empty()) {
            row.problem = Status(Code::kMalformed, rec.error);
        } else if (rec.fields.size() != width) {
            row.problem = Status::invalid("the row has " + std::to_string(rec.fields.size()) +
                                          " cells, the header " + std::to_string(width));
        } else if (std::any_of(rec.fields.begin(), rec.fields.end(),
                               [](const std::string& f) { return !core::is_valid_utf8(f); })) {
            row.problem = Status(Code::kBadFormat, "the row is not UTF-8 text");
        } else {
            Order& o = row.order;
            o.shop = cell(0);
            o.order_ref = cell(1);
            o.currency = cell(4);
            o.link_code = cell(5);
            o.promo_code = cell(6);
            o.visitor = cell(7);
            auto at = cell(2).empty()
                          ? Result<std::int64_t>(Status(Code::kRequired, "at: required"))
                          : time_text(cell(2));
            auto value = cell(3).empty()
                             ? Result<std::int64_t>(Status(Code::kRequired, "value: required"))
                             : order_value(cell(3));
            if (!at)
                row.problem = at.status();
            else if (!value)
                row.problem = value.status();
            else {
                o.at = at.value();
                o.value = value.value();
            }
        }
        rows.push_back(std::move(row));
    }
    if (!header)
        return Status(Code::kRequired, "the file is empty: send the header and the orders");
    return rows;
}

}  // namespace

bool integration_may_call(std::string_view method, std::string_view path) {
    return method == "POST" && (path == kConversionsPath || path == kImportPath);
}

HttpReply post_conversion(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    if (!may_record(who)) return forbidden_to();
    if (auto bad = check_json_type(req.content_type)) return *bad;
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    auto body = parse_admin_body(req.body, {"shop", "order_ref", "at", "value", "currency",
                                            "link_code", "promo_code", "visitor"});
    if (!body) return field_status_reply(body.status(), kOrderFields);
    auto order = order_of(body.value());
    if (!order) return field_status_reply(order.status(), kOrderFields);
    Made made;
    bool unknown_code = false;
    Status s =
        backend.submit(device_context(who, {}), [&](Store& store) -> Result<std::vector<Op>> {
            auto m = conversion_op(store, who, order.value(), {}, &unknown_code);
            if (!m) return m.status();
            made = std::move(m).value();
            std::vector<Op> ops;
            if (made.op) ops.push_back(*made.op);
            return ops;
        });
    if (!s) return refused(s, unknown_code);
    HttpReply r = conversion_json(backend, who, made.id, made.duplicate);
    r.log_note = made.duplicate ? ",\"conversion\":\"duplicate\"" : ",\"conversion\":\"recorded\"";
    return r;
}

HttpReply import_conversions(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    if (!may_record(who)) return forbidden_to();
    if (media_type(req.content_type) != "text/csv")
        return error_reply(415, "unsupported_media_type",
                           "send the orders as text/csv (header shop,order_ref,at,value,currency,"
                           "link_code,promo_code,visitor)");
    if (req.body.size() > kMaxConversionCsvBytes)
        return error_reply(413, code_name(Code::kTooLarge),
                           "the file is larger than " +
                               std::to_string(kMaxConversionCsvBytes / (1024 * 1024)) +
                               " MiB: split it");
    if (Status s = check_params(req, {}); !s) return status_reply(s);
    auto rows = read_orders(req.body);
    if (!rows) return status_reply(rows.status());

    std::size_t imported = 0, duplicates = 0;
    std::string refused_json;
    Status s =
        backend.submit(device_context(who, {}), [&](Store& store) -> Result<std::vector<Op>> {
            imported = duplicates = 0;
            refused_json.clear();
            std::unordered_set<Id128, core::Id128Hash> made_here;
            std::vector<Op> ops;
            auto refuse = [&](const OrderRow& row, const Status& why) {
                refused_json +=
                    std::string(refused_json.empty() ? "" : ",") +
                    "{\"row\":" + std::to_string(row.line) + ",\"reason\":" +
                    json_string(why.detail().empty() ? plain_message(why) : why.detail()) + "}";
            };
            for (const OrderRow& row : rows.value()) {
                if (!row.problem.is_ok()) {
                    refuse(row, row.problem);
                    continue;
                }
                bool unknown_code = false;
                auto m = conversion_op(store, who, row.order, made_here, &unknown_code);
                if (!m) {
                    // A failing store is the import's failure, not the row's.
                    if (m.status().code() == Code::kStorage) return m.status();
                    refuse(row, m.status());
                    continue;
                }
                if (m->duplicate) {
                    ++duplicates;
                    continue;
                }
                made_here.insert(m->id);
                ops.push_back(std::move(*m->op));
                ++imported;
            }
            return ops;
        });
    if (!s) return status_reply(s);
    HttpReply r;
    r.body = "{\"imported\":" + std::to_string(imported) +
             ",\"duplicates\":" + std::to_string(duplicates) + ",\"refused\":[" + refused_json +
             "]}";
    r.log_note = ",\"imported\":" + std::to_string(imported);
    return r;
}

}  // namespace liaison::server
