// CSV reader, writer, export and import (csv.hpp).
#include "server/admin/csv.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "core/model/ids.hpp"
#include "core/model/validate.hpp"
#include "core/query/queries.hpp"
#include "core/query/view.hpp"
#include "core/util/text.hpp"
#include "server/admin/server_clock.hpp"
#include "sync/merge.hpp"

namespace liaison::server {
namespace {

using core::FieldDef;
using core::FieldType;
using core::Id128;
using core::Kind;
using core::KindDef;
using core::Value;
using sync::Op;
using sync::OpType;

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::int64_t kDayMs = 86'400'000;
// Values quoted in a reason are cut to this many bytes (a hostile cell must not flood the
// report); the core's own messages cut theirs likewise.
constexpr std::size_t kQuoteMaxBytes = 40;

// A cell value in a message: in double quotes like the core's messages, control bytes
// escaped, cut (on a UTF-8 boundary).
std::string quoted_cell(std::string_view v) {
    std::string out = "\"";
    std::size_t n = 0;
    for (char ch : v) {
        auto c = static_cast<unsigned char>(ch);
        if (n >= kQuoteMaxBytes && (c & 0xC0) != 0x80) {
            out += "…";
            break;
        }
        if (c < 0x20 || c == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            out += buf;
        } else {
            out += ch;
        }
        ++n;
    }
    return out + "\"";
}

bool parse_digits(std::string_view s, std::int64_t& out) {
    if (s.empty() || s.size() > 18) return false;
    std::int64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

// A civil date of days since 1970-01-01 (Howard Hinnant's algorithm; the other way:
// core::days_from_civil, core/query/view.hpp).
void civil_from_days(std::int64_t z, std::int64_t& y, std::int64_t& m, std::int64_t& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = yoe + era * 400 + (m <= 2);
}

// ---- Cells <-> values ------------------------------------------------------------------

Result<Value> cell_to_value(const FieldDef& f, std::string_view raw) {
    const std::string cell = unguard_formula(raw);
    const std::string_view t = core::trim(cell);
    if (t.empty()) return Value{};
    switch (f.type) {
        case FieldType::kInt: {
            std::string_view digits = t;
            bool neg = !digits.empty() && digits.front() == '-';
            if (neg) digits.remove_prefix(1);
            std::int64_t v = 0;
            if (!parse_digits(digits, v))
                return Status(Code::kBadFormat,
                              f.name + ": " + quoted_cell(cell) + " is not a whole number");
            return Value{neg ? -v : v};
        }
        case FieldType::kTime: {
            auto ms = parse_time_cell(t);
            if (!ms)
                return Status(Code::kBadFormat,
                              f.name + ": " + quoted_cell(cell) +
                                  " is not a time (write 2026-11-23T14:05:00Z, in UTC, or "
                                  "milliseconds since 1970)");
            return Value{*ms};
        }
        case FieldType::kBool: {
            std::string l(t);
            for (char& c : l) c = char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            if (l == "true" || l == "1" || l == "yes") return Value{std::int64_t(1)};
            if (l == "false" || l == "0" || l == "no") return Value{std::int64_t(0)};
            return Status(Code::kBadFormat,
                          f.name + ": " + quoted_cell(cell) + " is not true or false");
        }
        default:
            return Value{cell};
    }
}

std::string value_to_cell(const FieldDef& f, const Value& v) {
    if (core::is_null(v)) return "";
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
        if (f.type == FieldType::kTime) return format_time_cell(*n);
        if (f.type == FieldType::kBool) return *n ? "true" : "false";
        return guard_formula(std::to_string(*n));
    }
    return guard_formula(std::get<std::string>(v));
}

// Live elements of each set of an entity, sorted and without repeats; with their dots.
struct LiveSets {
    std::vector<std::map<std::string, std::vector<core::Stamp>>> by_set;  // elem -> live dots
};

Result<LiveSets> live_sets(core::Store& store, const KindDef& k, const Id128& id) {
    LiveSets out;
    out.by_set.resize(k.sets.size());
    if (k.sets.empty()) return out;
    auto dots = store.load_dots(id);
    if (!dots) return dots.status();
    for (const auto& d : dots.value())
        if (!d.removed && d.set >= 0 && std::size_t(d.set) < k.sets.size())
            out.by_set[std::size_t(d.set)][d.elem].push_back(d.dot);
    return out;
}

// ---- Import: the header ----------------------------------------------------------------

struct Columns {
    int id = -1;
    std::vector<int> field;                     // per column: field index or -1
    std::vector<int> set;                       // per column: set index or -1
    std::vector<std::string> missing_required;  // required fields without a column
};

Result<Columns> read_header(const KindDef& k, const CsvRecord& rec) {
    const std::string where = "line " + std::to_string(rec.line) + " (header): ";
    if (!rec.error.empty()) return Status::invalid(where + rec.error);
    Columns c;
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < rec.fields.size(); ++i) {
        std::string name(core::trim(rec.fields[i]));
        if (!core::is_valid_utf8(name))
            return Status(Code::kBadFormat, where + "column " + std::to_string(i + 1) +
                                                " is not UTF-8 text; save the file as UTF-8");
        if (name.empty())
            return Status::invalid(where + "column " + std::to_string(i + 1) + " has no name");
        if (auto it = seen.find(name); it != seen.end())
            return Status::invalid(where + "column " + quoted_cell(name) +
                                   " appears twice (columns " + std::to_string(it->second + 1) +
                                   " and " + std::to_string(i + 1) + ")");
        seen[name] = i;
        int fi = name == "id" ? -1 : k.field_index(name);
        int si = name == "id" ? -1 : k.set_index(name);
        if (name == "id") {
            c.id = int(i);
        } else if (fi < 0 && si < 0) {
            std::string all;
            for (const auto& col : csv_columns(k.kind)) all += (all.empty() ? "" : ", ") + col;
            return Status(Code::kUnknownField, where + "unknown column " + quoted_cell(name) +
                                                   " (the columns of " + k.name + " are: " + all +
                                                   ")");
        }
        c.field.push_back(fi);
        c.set.push_back(si);
    }
    for (const auto& f : k.fields)
        if (f.required && !seen.count(f.name)) c.missing_required.push_back(f.name);
    // Without an id column every row is a create, which needs every required field.
    if (c.id < 0 && !c.missing_required.empty())
        return Status(Code::kRequired, where + "missing required column " +
                                           quoted_cell(c.missing_required.front()) +
                                           " (a file without an id column creates every row)");
    return c;
}

// ---- Import: one row -------------------------------------------------------------------

class RowImporter {
public:
    RowImporter(core::Store& store, sync::Hub& hub, const Id128& replica, const KindDef& k,
                const Columns& cols)
        : store_(store),
          hub_(hub),
          replica_(replica),
          k_(k),
          cols_(cols),
          ids_(core::make_random_id_source()) {
        ctx_.replica = replica;
        ctx_.role = sync::Role::kCentral;
        ctx_.scope = sync::Scope::everything();
    }

    // Fills `res` (status, id, reason). A Status error aborts the whole import.
    Status import(const CsvRecord& rec, CsvRowResult& res, std::size_t& operations) {
        res.line = rec.line;
        auto reject = [&](std::string why) {
            res.status = "rejected";
            res.reason = std::move(why);
            return Status::ok();
        };
        // A broken record still names its id when the id cell was read, for the report.
        if (cols_.id >= 0 && std::size_t(cols_.id) < rec.fields.size())
            if (auto named = Id128::from_text(core::trim(rec.fields[std::size_t(cols_.id)])))
                res.id = named->to_text();
        if (!rec.error.empty()) return reject(rec.error);
        if (rec.fields.size() != cols_.field.size())
            return reject(std::to_string(rec.fields.size()) + " fields, the header has " +
                          std::to_string(cols_.field.size()));

        // Which entity.
        Id128 id;
        bool named = false;
        if (cols_.id >= 0) {
            std::string_view text = core::trim(rec.fields[std::size_t(cols_.id)]);
            if (!text.empty()) {
                auto parsed = Id128::from_text(text);
                if (!parsed) return reject("id: " + quoted_cell(text) + " is not a record id");
                id = *parsed;
                named = true;
                res.id = id.to_text();
            }
        }
        if (named) {
            if (auto it = first_line_.find(id); it != first_line_.end())
                return reject("id: the same record is on line " + std::to_string(it->second));
            first_line_[id] = rec.line;
            if (store_.is_erased(id))
                return reject("id: this record was erased (GDPR) and cannot be imported again");
        } else {
            id = ids_->next_entity_id(hub_.clock().physical_ms());
        }
        const Id128 eid = k_.mergeable ? store_.root_of(id) : id;
        auto current = store_.load_row(k_.kind, eid);
        if (!current) return current.status();
        if (current.value() && current.value()->deleted)
            return reject("id: this entry was deleted");
        const bool update = current.value() && current.value()->visible();
        if (update && eid != id) res.reason = "merged into " + eid.to_text();
        if (named) res.id = eid.to_text();

        // The operations of the row.
        std::vector<Op> ops;
        Op fields_op = sync::unstamped_op(update ? OpType::kSet : OpType::kCreate, k_.kind, eid);
        LiveSets live;
        if (update) {
            auto l = live_sets(store_, k_, eid);
            if (!l) return l.status();
            live = std::move(l).value();
        } else {
            live.by_set.resize(k_.sets.size());
            if (!cols_.missing_required.empty())
                return reject("cannot create: the file has no column " +
                              quoted_cell(cols_.missing_required.front()) + " (required)");
        }
        std::vector<Op> set_ops;
        for (std::size_t c = 0; c < rec.fields.size(); ++c) {
            const std::string& cell = rec.fields[c];
            if (int fi = cols_.field[c]; fi >= 0) {
                const FieldDef& f = k_.fields[std::size_t(fi)];
                auto v = cell_to_value(f, cell);
                if (!v) return reject(v.status().detail());
                if (update) {
                    Value norm = core::normalize_field(f, v.value());
                    if (norm == current.value()->values[std::size_t(fi)]) continue;
                } else if (core::is_null(v.value())) {
                    continue;
                }
                fields_op.fields.push_back({f.name, std::move(v).value()});
            } else if (int si = cols_.set[c]; si >= 0) {
                const auto& sd = k_.sets[std::size_t(si)];
                std::set<std::string> want;
                for (auto& e : split_set_cell(unguard_formula(cell)))
                    want.insert(core::normalize_elem(sd, e));
                const auto& have = live.by_set[std::size_t(si)];
                for (const auto& e : want)
                    if (!have.count(e))
                        set_ops.push_back(sync::elem_op(OpType::kAdd, k_.kind, eid, sd.name, e));
                for (const auto& [e, dots] : have)
                    if (!want.count(e)) {
                        set_ops.push_back(sync::elem_op(OpType::kRemove, k_.kind, eid, sd.name, e));
                        set_ops.back().observed = dots;
                    }
            }
        }
        if (!update || !fields_op.fields.empty()) ops.push_back(std::move(fields_op));
        for (auto& op : set_ops) ops.push_back(std::move(op));
        if (ops.empty()) {
            res.status = "unchanged";
            res.id = eid.to_text();
            return Status::ok();
        }

        // Check the whole row before applying any of it: accepted whole or rejected whole.
        for (auto& op : ops) {
            op.id = core::Stamp{hub_.clock().send(), replica_};
            Op copy = op;
            if (Status s = sync::validate_op(copy); !s) return reject(s.detail());
            if (Status s = check_subjects(copy); !s) return reject(s.detail());
            // A reference to an id known as another kind (R11: "campaign: 01AB… is an
            // influencer, not a campaign") is this row's mistake, not a failed import.
            if (Status s = hub_.merge().check_kind(copy); !s) return reject(s.detail());
        }
        for (auto& op : ops) {
            auto r = hub_.apply_one(ctx_, std::move(op));
            if (r.outcome == sync::Outcome::kErased && &op == &ops.front())
                return reject("the person this row is about was erased (GDPR)");
            if (r.outcome != sync::Outcome::kApplied)
                return Status(Code::kInternal,
                              "line " + std::to_string(rec.line) +
                                  ": an operation that passed validation was not applied (" +
                                  sync::outcome_name(r.outcome) + ": " + r.detail + ")");
            ++operations;
        }
        res.status = update ? "updated" : "created";
        res.id = eid.to_text();
        return Status::ok();
    }

private:
    // A log entry about a person must name one the record knows (the merge engine accepts
    // entries whose person arrives later, as devices sync in any order; a file has no such
    // excuse, and an entry about nobody would be invisible on every card).
    Status check_subjects(const Op& op) {
        if (op.type != OpType::kCreate && op.type != OpType::kSet) return Status::ok();
        for (const auto& w : op.fields) {
            const FieldDef& f = k_.fields[std::size_t(k_.field_index(w.field))];
            const auto* text = std::get_if<std::string>(&w.value);
            if (!f.subject || !text) continue;
            auto sid = Id128::from_text(*text);
            if (!sid) continue;  // validation reported it
            auto row = core::get_entity(store_, f.ref_kind, *sid);
            if (!row) return row.status();
            if (!row.value())
                return Status(Code::kNotFound, f.name + ": no " + core::kind_name(f.ref_kind) +
                                                   " with id " + *text +
                                                   " (import the influencers first)");
        }
        return Status::ok();
    }

    core::Store& store_;
    sync::Hub& hub_;
    Id128 replica_;
    const KindDef& k_;
    const Columns& cols_;
    std::unique_ptr<core::IdSource> ids_;
    sync::DeviceContext ctx_;
    std::unordered_map<Id128, std::size_t, core::Id128Hash> first_line_;
};

// First byte offset (1-based column of the record's field) that is not UTF-8, or 0.
std::size_t first_non_utf8_field(const CsvRecord& rec) {
    for (std::size_t i = 0; i < rec.fields.size(); ++i)
        if (!core::is_valid_utf8(rec.fields[i])) return i + 1;
    return 0;
}

}  // namespace

// ---- Reader ------------------------------------------------------------------------------

CsvReader::CsvReader(std::istream& in, std::size_t max_record_bytes, std::size_t max_fields)
    : in_(in), max_record_bytes_(max_record_bytes), max_fields_(max_fields), buf_(kReadChunk) {}

bool CsvReader::fill() {
    if (pos_ < len_) return true;
    in_.read(buf_.data(), std::streamsize(buf_.size()));
    len_ = std::size_t(in_.gcount());
    pos_ = 0;
    return len_ > 0;
}

int CsvReader::peek() {
    if (!fill()) return -1;
    return static_cast<unsigned char>(buf_[pos_]);
}

int CsvReader::get() {
    if (!fill()) return -1;
    ++bytes_;
    return static_cast<unsigned char>(buf_[pos_++]);
}

bool CsvReader::next(CsvRecord& out) {
    out.fields.clear();
    out.error.clear();
    out.blank = false;
    if (!started_) {
        started_ = true;
        // A UTF-8 byte-order mark (spreadsheets write one) is not part of the first name. The
        // first read fills a whole chunk, so a file's first three bytes are in the buffer.
        if (fill() && len_ - pos_ >= 3 && std::memcmp(buf_.data() + pos_, "\xEF\xBB\xBF", 3) == 0) {
            pos_ += 3;
            bytes_ += 3;
        }
    }
    if (peek() < 0) return false;
    out.line = line_;
    enum class St { kStart, kPlain, kQuoted, kAfterQuote } st = St::kStart;
    std::string field;
    std::size_t record_bytes = 0;
    std::size_t quote_line = 0;
    bool any_byte = false;
    auto fail = [&](std::string why) {
        if (out.error.empty()) out.error = std::move(why);
    };
    auto end_field = [&] {
        if (out.fields.size() >= max_fields_) {
            fail("more than " + std::to_string(max_fields_) + " fields");
        } else {
            out.fields.push_back(std::move(field));
        }
        field.clear();
    };
    auto add = [&](char c) {
        if (record_bytes <= max_record_bytes_) field += c;
    };
    for (;;) {
        int c = get();
        if (c < 0) {
            if (st == St::kQuoted)
                fail("a quoted field opened on line " + std::to_string(quote_line) +
                     " is never closed");
            break;
        }
        if (++record_bytes == max_record_bytes_ + 1) {
            fail("longer than " + std::to_string(max_record_bytes_) + " bytes");
            field.clear();
            field.shrink_to_fit();
        }
        if (st == St::kQuoted) {
            if (c == '"') {
                st = St::kAfterQuote;
            } else {
                if (c == '\n') ++line_;
                add(char(c));
            }
            continue;
        }
        if (c == '\n' || c == '\r') {
            if (c == '\r' && peek() == '\n') get();
            ++line_;
            break;
        }
        any_byte = true;
        if (c == ',') {
            end_field();
            st = St::kStart;
        } else if (c == '"') {
            if (st == St::kStart) {
                st = St::kQuoted;
                quote_line = line_;
            } else if (st == St::kAfterQuote) {
                add('"');  // "" inside a quoted field
                st = St::kQuoted;
            } else {
                fail(
                    "a quote inside an unquoted field (quote the whole field and double the "
                    "quote)");
                add('"');
            }
        } else {
            if (st == St::kAfterQuote) fail("text after the closing quote of a field");
            add(char(c));
            st = St::kPlain;
        }
    }
    end_field();
    out.blank = !any_byte && out.fields.size() == 1 && out.fields[0].empty() && st == St::kStart;
    if (!out.error.empty() && record_bytes > max_record_bytes_) out.fields.clear();
    return true;
}

// ---- Writer and cells --------------------------------------------------------------------

std::string join_set_cell(const std::vector<std::string>& elems) {
    std::string out;
    for (std::size_t i = 0; i < elems.size(); ++i) {
        if (i) out += '|';
        for (char c : elems[i]) {
            if (c == '|' || c == '\\') out += '\\';
            out += c;
        }
    }
    return out;
}

std::vector<std::string> split_set_cell(std::string_view cell) {
    std::vector<std::string> out;
    std::string cur;
    auto flush = [&] {
        std::string_view t = core::trim(cur);
        if (!t.empty()) out.emplace_back(t);
        cur.clear();
    };
    for (std::size_t i = 0; i < cell.size(); ++i) {
        char c = cell[i];
        if (c == '\\' && i + 1 < cell.size() && (cell[i + 1] == '|' || cell[i + 1] == '\\')) {
            cur += cell[++i];
        } else if (c == '|') {
            flush();
        } else {
            cur += c;
        }
    }
    flush();
    return out;
}

std::string format_time_cell(std::int64_t ms) {
    std::int64_t days = (ms >= 0 ? ms : ms - kDayMs + 1) / kDayMs;
    std::int64_t rem = ms - days * kDayMs;
    std::int64_t y = 0, m = 0, d = 0;
    civil_from_days(days, y, m, d);
    char buf[96];  // room for any int64 (the schema bounds times to years 1970..2999)
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
                  static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                  static_cast<long long>(rem / 3'600'000),
                  static_cast<long long>(rem / 60'000 % 60),
                  static_cast<long long>(rem / 1000 % 60), static_cast<long long>(rem % 1000));
    return buf;
}

std::optional<std::int64_t> parse_time_cell(std::string_view s) {
    s = core::trim(s);
    std::int64_t ms = 0;
    if (parse_digits(s, ms)) return ms;
    // YYYY-MM-DD[T ]HH:MM[:SS[.f{1,3}]]Z
    auto num = [&](std::size_t at, std::size_t n, std::int64_t& out) {
        return at + n <= s.size() && parse_digits(s.substr(at, n), out);
    };
    std::int64_t y, mo, d, h, mi, sec = 0, frac = 0;
    if (!num(0, 4, y) || s.size() < 17 || s[4] != '-' || !num(5, 2, mo) || s[7] != '-' ||
        !num(8, 2, d) || (s[10] != 'T' && s[10] != ' ') || !num(11, 2, h) || s[13] != ':' ||
        !num(14, 2, mi))
        return std::nullopt;
    std::size_t i = 16;
    if (i < s.size() && s[i] == ':') {
        if (!num(i + 1, 2, sec)) return std::nullopt;
        i += 3;
        if (i < s.size() && s[i] == '.') {
            std::size_t j = i + 1;
            std::int64_t scale = 100;
            while (j < s.size() && s[j] >= '0' && s[j] <= '9' && j - i <= 3) {
                frac += (s[j] - '0') * scale;
                scale /= 10;
                ++j;
            }
            if (j == i + 1) return std::nullopt;
            i = j;
        }
    }
    if (i + 1 != s.size() || s[i] != 'Z') return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return std::nullopt;
    const std::int64_t days = core::days_from_civil(y, mo, d);
    std::int64_t cy, cm, cd;
    civil_from_days(days, cy, cm, cd);
    if (cd != d || cm != mo) return std::nullopt;  // 2026-02-30
    return days * kDayMs + h * 3'600'000 + mi * 60'000 + sec * 1000 + frac;
}

std::vector<std::string> csv_columns(Kind kind) {
    const KindDef& k = core::kind_def(kind);
    std::vector<std::string> cols = {"id"};
    for (const auto& f : k.fields) cols.push_back(f.name);
    for (const auto& s : k.sets) cols.push_back(s.name);
    return cols;
}

// ---- Export ------------------------------------------------------------------------------

Result<std::size_t> export_csv(core::Store& store, Kind kind, std::ostream& out) {
    const KindDef& k = core::kind_def(kind);
    // One read transaction: every row comes from the same snapshot.
    auto snapshot = store.read_txn();
    auto ids = core::entity_ids(store, kind, core::EntityIdQuery{});
    if (!ids) return ids.status();
    out << csv_line(csv_columns(kind));
    std::size_t rows = 0;
    std::vector<std::string> cells;
    for (const auto& id : ids.value()) {
        if (store.is_erased(id) || (k.mergeable && store.root_of(id) != id)) continue;
        auto row = store.load_row(kind, id);
        if (!row) return row.status();
        if (!row.value() || !row.value()->visible()) continue;
        auto sets = live_sets(store, k, id);
        if (!sets) return sets.status();
        cells.assign(1, id.to_text());
        for (std::size_t i = 0; i < k.fields.size(); ++i)
            cells.push_back(value_to_cell(k.fields[i], row.value()->values[i]));
        for (const auto& elems : sets.value().by_set) {
            std::vector<std::string> names;
            for (const auto& [e, dots] : elems) names.push_back(e);
            cells.push_back(guard_formula(join_set_cell(names)));
        }
        out << csv_line(cells);
        ++rows;
    }
    if (!out) return Status::storage("writing the CSV failed");
    return rows;
}

// ---- Import ------------------------------------------------------------------------------

Result<CsvImportSummary> import_csv(core::Store& store, sync::Hub& hub, const Id128& replica,
                                    std::istream& in, const CsvImportOptions& opts) {
    const KindDef& k = core::kind_def(opts.kind);
    CsvReader reader(in);
    CsvRecord rec;
    auto too_big = [&] {
        return Status(Code::kTooLarge, "the file is larger than " +
                                           std::to_string(opts.max_file_bytes / (1024 * 1024)) +
                                           " MiB; split it");
    };
    CsvImportSummary sum;
    // The header: the first line that is not blank.
    bool have_header = false;
    while (reader.next(rec)) {
        if (rec.blank) continue;
        have_header = true;
        break;
    }
    if (reader.bytes_read() > opts.max_file_bytes) return too_big();
    if (!have_header)
        return Status::invalid("the file is empty: expected a header row (" +
                               csv_line(csv_columns(opts.kind)).substr(0, 60) + "...)");
    auto cols = read_header(k, rec);
    if (!cols) return cols.status();

    core::WriteTxn txn(store);
    LIAISON_TRY(txn.begun());
    // Under the writer lock: past every stamp a server gave (server/admin/server_clock.hpp).
    resume_server_clock(store, hub.clock());
    RowImporter importer(store, hub, replica, k, cols.value());
    std::size_t done = 0;
    while (reader.next(rec)) {
        if (reader.bytes_read() > opts.max_file_bytes) return too_big();
        if (rec.blank) {
            ++sum.blank_lines;
            continue;
        }
        if (std::size_t col = first_non_utf8_field(rec))
            return Status(Code::kBadFormat, "line " + std::to_string(rec.line) + ", column " +
                                                std::to_string(col) +
                                                ": not UTF-8 text; save the file as UTF-8 "
                                                "(nothing was imported)");
        CsvRowResult res;
        LIAISON_TRY(importer.import(rec, res, sum.operations));
        if (res.status == "created")
            ++sum.created;
        else if (res.status == "updated")
            ++sum.updated;
        else if (res.status == "unchanged")
            ++sum.unchanged;
        else
            ++sum.rejected;
        sum.rows.push_back(std::move(res));
        if (opts.progress && ++done % opts.progress_every == 0) opts.progress(done);
    }
    if (in.bad()) return Status::storage("reading the file failed");
    if (!opts.dry_run) {
        LIAISON_TRY(record_server_clock(store, hub.clock()));
        LIAISON_TRY(txn.commit());
    }
    return sum;  // a dry run rolls back here
}

std::string csv_report(const CsvImportSummary& summary) {
    std::string out = csv_line({"line", "status", "id", "reason"});
    for (const auto& r : summary.rows)
        out += csv_line({std::to_string(r.line), r.status, r.id, guard_formula(r.reason)});
    return out;
}

}  // namespace liaison::server
