// GET /api/v1/admin/export (archive.hpp).
#include "server/api/archive.hpp"

#include <sstream>

#include "server/admin/accounts.hpp"
#include "server/admin/archive.hpp"
#include "server/api/audit.hpp"

namespace liaison::server {

HttpReply handle_export(SyncBackend& backend, const Principal& who) {
    std::ostringstream out;
    ArchiveExportOptions opts;
    opts.now_ms = wall_ms();
    auto counts = backend.read([&](core::Store& store) -> Result<ArchiveCounts> {
        auto c = export_archive(store, out, opts);
        if (!c) return c;
        LIAISON_TRY(audit_export(store, who, "archive", "lines:" + std::to_string(c->lines)));
        return c;
    });
    if (!counts) return status_reply(counts.status());
    HttpReply r{200, kArchiveType, std::move(out).str(), ""};
    r.log_note = ",\"lines\":" + std::to_string(counts->lines);  // counts only: no personal data
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"liaison-archive.jsonl\"");
    return r;
}

}  // namespace liaison::server
