#include "server/api/evidence.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "core/model/validate.hpp"
#include "core/storage/evidence.hpp"
#include "server/admin/accounts.hpp"
#include "server/api/admin.hpp"
#include "server/api/json.hpp"
#include "server/api/params.hpp"

namespace liaison::server {
namespace {

using core::Id128;

constexpr std::string_view kEvidencePath = "/api/v1/evidence";
const std::vector<std::string_view> kEvidenceFields = {"entity", "purpose", "name", "sha"};

bool may_handle_evidence(const Principal& who) {
    return who.role == sync::Role::kAdmin || who.role == sync::Role::kCentral ||
           who.role == sync::Role::kRegional;
}

HttpReply reply_for(const Status& s) { return field_status_reply(s, kEvidenceFields); }

// The record a request names, as the caller may see it: its kind and the ids its files may
// be linked under (a merged person's whole component, the survivor first).
struct Record {
    core::Kind kind = core::Kind::kInfluencer;
    Id128 id;
    std::vector<Id128> ids;
};

Result<Record> find_record(core::Store& store, const Principal& who, const Id128& id) {
    for (core::Kind kind : kEvidenceKinds) {
        auto row = visible_row(store, who, kind, id);
        if (!row) return row.status();
        if (!row.value()) continue;
        Record r{kind, row.value()->id, store.component_of(row.value()->id)};
        return r;
    }
    // Unknown, erased, of a kind that carries no files, or outside the caller's scope: the
    // same answer, so that a scoped caller learns nothing of what she may not see.
    return Status::not_found("entity " + id.to_text() +
                             " (a person, vetting, collaboration, post, data-subject request or "
                             "intermediary you may see)");
}

Result<Id128> entity_param(const RestRequest& req) {
    auto text = param(req, "entity");
    if (!text) return Status(Code::kRequired, "entity: required (the record's id)");
    return id_param("entity", *text);
}

Status check_purpose(const std::optional<std::string>& purpose) {
    if (!purpose) return Status(Code::kRequired, "purpose: required");
    if (std::find(kEvidencePurposes.begin(), kEvidencePurposes.end(), *purpose) ==
        kEvidencePurposes.end())
        return Status(Code::kUnknownValue,
                      "purpose: one of contract, disclosure_proof, consent_proof, other");
    return Status::ok();
}

// Checks the query (`allowed` names its parameters, `entity` among them), finds the record the
// caller may see and answers f(store, record) under the backend's lock.
template <typename F>
HttpReply on_record(SyncBackend& backend, const Principal& who, const RestRequest& req,
                    const std::vector<std::string>& allowed, F&& f) {
    if (Status s = check_params(req, allowed); !s) return reply_for(s);
    auto entity = entity_param(req);
    if (!entity) return reply_for(entity.status());
    return backend.read([&](core::Store& store) -> HttpReply {
        auto record = find_record(store, who, entity.value());
        if (!record) return reply_for(record.status());
        return f(store, record.value());
    });
}

HttpReply no_such_file() {
    return error_reply(404, code_name(Code::kNotFound), "no such file on this record: not found");
}

std::string link_json(const core::EvidenceLink& l) {
    return "{\"sha\":" + json_string(l.sha) + ",\"size\":" + std::to_string(l.size) +
           ",\"type\":" + json_string(l.media_type) + ",\"name\":" + json_string(l.name) +
           ",\"purpose\":" + json_string(l.purpose) +
           ",\"uploaded_by\":" + std::to_string(l.uploaded_by) +
           ",\"uploaded_at\":" + std::to_string(l.uploaded_at) + "}";
}

HttpReply upload(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    // The declared type says nothing about the bytes; a form, though, is not the file: its
    // fields were taken for parameters (so this comes first) and its body is not the bytes.
    const std::string declared = media_type(req.content_type);
    if (declared == "multipart/form-data" || declared == "application/x-www-form-urlencoded")
        return error_reply(415, "unsupported_media_type",
                           "send the file's bytes as the request body, not as a form");
    const std::vector<std::string> allowed = {"entity", "purpose", "name"};
    if (Status s = check_params(req, allowed); !s) return reply_for(s);
    if (auto entity = entity_param(req); !entity) return reply_for(entity.status());
    const auto purpose = param(req, "purpose");
    if (Status s = check_purpose(purpose); !s) return reply_for(s);
    const auto raw_name = param(req, "name");
    if (!raw_name) return reply_for(Status(Code::kRequired, "name: required (the file's name)"));
    auto name = clean_evidence_name(*raw_name);
    if (!name) return reply_for(name.status());
    if (req.body.empty())
        return error_reply(400, code_name(Code::kRequired),
                           "the body is empty: send the file's bytes");
    if (req.body.size() > kMaxEvidenceBytes)
        return error_reply(
            413, code_name(Code::kTooLarge),
            "the file is larger than " + std::to_string(kMaxEvidenceBytes >> 20) + " MiB");
    const auto type = sniff_evidence_type(req.body);
    if (!type)
        return error_reply(415, "unsupported_media_type",
                           "the file is not a PDF, PNG, JPEG or WebP image (recognised from its "
                           "content, not its name or declared type)");

    return on_record(backend, who, req, allowed, [&](core::Store& store, const Record& record) {
        core::EvidenceUpload up{record.id,    record.kind, req.body, *type,
                                name.value(), *purpose,    who.user, wall_ms()};
        auto stored = core::add_evidence(store, up);
        if (!stored) return reply_for(stored.status());
        const auto& l = stored->link;
        if (Status a =
                audit(store, user_actor(who), "evidence.upload", l.entity.to_text() + " " + l.sha);
            !a)
            return status_reply(a);
        HttpReply r;
        r.status = 201;
        r.body = "{\"entity\":" + json_string(l.entity.to_text()) +
                 ",\"sha\":" + json_string(l.sha) + ",\"size\":" + std::to_string(l.size) +
                 ",\"type\":" + json_string(l.media_type) + ",\"name\":" + json_string(l.name) +
                 ",\"purpose\":" + json_string(l.purpose) + "}";
        r.headers.emplace_back(
            "Location", std::string(kEvidencePath) + "/" + l.sha + "?entity=" + l.entity.to_text());
        r.log_note = std::string(",\"evidence_new\":") + (stored->new_blob ? "true" : "false");
        return r;
    });
}

HttpReply list_files(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    return on_record(backend, who, req, {"entity"}, [&](core::Store& store, const Record& record) {
        auto links = core::list_evidence(store, record.ids);
        if (!links) return status_reply(links.status());
        std::string body = "{\"entity\":" + json_string(record.id.to_text()) +
                           ",\"kind\":" + json_string(core::kind_name(record.kind)) +
                           ",\"files\":[";
        for (std::size_t i = 0; i < links->size(); ++i) {
            if (i) body += ",";
            body += link_json((*links)[i]);
        }
        HttpReply r;
        r.body = body + "]}";
        return r;
    });
}

HttpReply download(SyncBackend& backend, const Principal& who, const std::string& sha,
                   const RestRequest& req) {
    return on_record(backend, who, req, {"entity"}, [&](core::Store& store, const Record& record) {
        auto file = core::load_evidence(store, record.ids, sha);
        if (!file) return status_reply(file.status());
        if (!file.value()) return no_such_file();
        if (Status a =
                audit(store, user_actor(who), "evidence.download", record.id.to_text() + " " + sha);
            !a)
            return status_reply(a);
        HttpReply r;
        r.content_type = file.value()->link.media_type;
        r.body = std::move(file.value()->bytes);
        // Sent as stored: never compressed on the way (images and PDFs are compressed already)
        // nor opened in the page (attachment; nosniff is every answer's default header).
        r.as_is = true;
        r.headers.emplace_back("Content-Disposition",
                               evidence_disposition(file.value()->link.name));
        r.headers.emplace_back("Cache-Control", "private, no-store");
        return r;
    });
}

HttpReply remove(SyncBackend& backend, const Principal& who, const std::string& sha,
                 const RestRequest& req) {
    if (!is_central(who))
        return error_reply(403, code_name(Code::kForbidden),
                           "only the central team may remove an evidence file");
    return on_record(backend, who, req, {"entity"}, [&](core::Store& store, const Record& record) {
        auto gone = core::unlink_evidence(store, record.ids, sha);
        if (!gone) return status_reply(gone.status());
        if (!gone->unlinked) return no_such_file();
        // The file's bytes leave the write-ahead log too, as an erasure's do (R7 on disk).
        if (gone->blob_deleted)
            if (Status s = store.scrub_log(); !s) return status_reply(s);
        if (Status a =
                audit(store, user_actor(who), "evidence.delete", record.id.to_text() + " " + sha);
            !a)
            return status_reply(a);
        HttpReply r;
        r.body =
            "{\"entity\":" + json_string(record.id.to_text()) + ",\"sha\":" + json_string(sha) +
            ",\"unlinked\":true,\"file_deleted\":" + (gone->blob_deleted ? "true" : "false") + "}";
        return r;
    });
}

bool is_bidi_control(char32_t cp) {
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

}  // namespace

std::optional<std::string> sniff_evidence_type(std::string_view b) {
    auto starts = [&](std::string_view magic, std::size_t at = 0) {
        return b.size() >= at + magic.size() && b.substr(at, magic.size()) == magic;
    };
    if (starts("%PDF-")) return "application/pdf";
    if (starts(std::string_view("\x89PNG\r\n\x1a\n", 8))) return "image/png";
    if (starts("\xFF\xD8\xFF")) return "image/jpeg";
    if (starts("RIFF") && starts("WEBP", 8)) return "image/webp";
    return std::nullopt;
}

Result<std::string> clean_evidence_name(std::string_view raw) {
    if (!core::is_valid_utf8(raw)) return Status(Code::kBadFormat, "name: not valid UTF-8");
    // A path from the sender's disk ("C:\scans\contract.pdf") keeps only its last part.
    if (auto slash = raw.find_last_of("/\\"); slash != std::string_view::npos)
        raw.remove_prefix(slash + 1);
    std::string out;
    for (std::size_t i = 0; i < raw.size();) {
        const auto c = core::decode_utf8(raw, i);
        const bool bad = c.cp < 0x20 || (c.cp >= 0x7F && c.cp <= 0x9F) || is_bidi_control(c.cp) ||
                         (c.cp < 0x80 &&
                          std::string_view("\"*:<>?|").find(char(c.cp)) != std::string_view::npos);
        out += bad ? std::string("_") : std::string(raw.substr(i, c.len));
        i += c.len;
    }
    // Leading dots would hide the file on the downloader's disk; trailing ones and spaces are
    // dropped by some file systems, changing the name.
    const auto first = out.find_first_not_of(" .");
    if (first == std::string::npos)
        return Status(Code::kRequired, "name: required (the file's name)");
    out = out.substr(first, out.find_last_not_of(" .") - first + 1);
    if (core::utf8_length(out) > kMaxEvidenceNameChars)
        return Status(Code::kTooLong,
                      "name: at most " + std::to_string(kMaxEvidenceNameChars) + " characters");
    return out;
}

std::string evidence_disposition(std::string_view name) {
    std::string ascii, encoded;
    for (unsigned char c : name) {
        ascii += (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') ? char(c) : '_';
        const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') ||
                           std::string_view("!#$&+-.^_`|~").find(char(c)) != std::string_view::npos;
        if (plain) {
            encoded += char(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            encoded += buf;
        }
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

HttpReply evidence(SyncBackend& backend, const Principal& who, const RestRequest& req) {
    if (!may_handle_evidence(who))
        return error_reply(403, code_name(Code::kForbidden),
                           "only the central team and regional managers may handle evidence "
                           "files");
    if (req.path == kEvidencePath) {
        if (req.method == "GET") return list_files(backend, who, req);
        if (req.method == "POST") return upload(backend, who, req);
        return method_not_allowed("GET, POST");
    }
    const std::string prefix = std::string(kEvidencePath) + "/";
    if (req.path.rfind(prefix, 0) != 0)
        return error_reply(404, code_name(Code::kNotFound), "there is nothing at this address");
    const std::string sha = req.path.substr(prefix.size());
    if (!core::is_evidence_sha(sha))
        return reply_for(
            Status(Code::kBadFormat, "sha: the file's SHA-256, 64 lower-case hexadecimal digits"));
    if (req.method == "GET") return download(backend, who, sha, req);
    if (req.method == "DELETE") return remove(backend, who, sha, req);
    return method_not_allowed("GET, DELETE");
}

}  // namespace liaison::server
