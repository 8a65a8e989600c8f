#include "server/http/static_files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/util/text.hpp"
#include "server/api/json.hpp"

namespace fs = std::filesystem;

namespace liaison::server {
namespace {

// The q value an Accept-Encoding header gives `coding` (exact name, else "*"), or -1 when absent.
double q_for(std::string_view header, std::string_view coding) {
    double exact = -1, star = -1;
    while (!header.empty()) {
        auto comma = header.find(',');
        std::string_view item = core::trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        auto semi = item.find(';');
        const std::string name = core::ascii_lower(core::trim(item.substr(0, semi)));
        double q = 1;
        if (semi != std::string_view::npos) {
            std::string_view p = core::trim(item.substr(semi + 1));
            if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
                q = std::strtod(std::string(p.substr(2)).c_str(), nullptr);
        }
        if (name == coding)
            exact = q;
        else if (name == "*")
            star = q;
    }
    return exact >= 0 ? exact : star;
}

bool hashed_name(std::string_view name) {
    // "<stem>.<8+ hex>.<ext>"
    auto last = name.rfind('.');
    if (last == std::string_view::npos) return false;
    auto prev = name.rfind('.', last - 1);
    if (prev == std::string_view::npos || last - prev - 1 < 8) return false;
    auto part = name.substr(prev + 1, last - prev - 1);
    return std::all_of(part.begin(), part.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<std::string> read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return std::move(ss).str();
}

HttpReply missing() { return error_reply(404, "not_found", "there is nothing at this address"); }

bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

}  // namespace

std::string static_content_type(std::string_view name) {
    static const std::pair<std::string_view, std::string_view> kTypes[] = {
        {"html", "text/html; charset=utf-8"},
        {"js", "text/javascript"},
        {"mjs", "text/javascript"},
        {"css", "text/css; charset=utf-8"},
        {"wasm", "application/wasm"},
        {"json", "application/json"},
        {"map", "application/json"},
        {"webmanifest", "application/manifest+json"},
        {"svg", "image/svg+xml"},
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"gif", "image/gif"},
        {"webp", "image/webp"},
        {"avif", "image/avif"},
        {"ico", "image/x-icon"},
        {"txt", "text/plain; charset=utf-8"},
        {"xml", "application/xml"},
        {"woff", "font/woff"},
        {"woff2", "font/woff2"},
        {"gz", "application/gzip"},
        {"br", "application/octet-stream"},
    };
    auto dot = name.rfind('.');
    if (dot != std::string_view::npos) {
        const std::string ext = core::ascii_lower(name.substr(dot + 1));
        for (const auto& [e, t] : kTypes)
            if (e == ext) return std::string(t);
    }
    return "application/octet-stream";
}

std::string pick_encoding(std::string_view accept_encoding, bool have_br, bool have_gz) {
    if (have_br && q_for(accept_encoding, "br") > 0) return "br";
    if (have_gz) {
        const double q = std::max(q_for(accept_encoding, "gzip"), q_for(accept_encoding, "x-gzip"));
        if (q > 0) return "gzip";
    }
    return "";
}

HttpReply serve_static(const std::string& root, std::string_view path,
                       std::string_view accept_encoding, std::string_view if_none_match) {
    if (path.empty() || path.front() != '/' || path.size() > 1024) return missing();
    std::string rel(path.substr(1));
    if (rel.empty() || rel.back() == '/') rel += "index.html";
    // Segment by segment: nothing hidden, nothing that climbs, nothing a file system could
    // read differently.
    std::string_view rest = rel;
    while (!rest.empty()) {
        auto slash = rest.find('/');
        std::string_view seg = rest.substr(0, slash);
        if (seg.empty() || seg.front() == '.' ||
            seg.find_first_of(std::string_view("\\\0:", 3)) != std::string_view::npos)
            return missing();
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    }
    std::error_code ec;
    const fs::path base = fs::canonical(root, ec);
    if (ec) return missing();
    fs::path file = base / rel;
    if (!is_file(file)) return missing();
    // A symbolic link must not lead out of the folder.
    const fs::path real = fs::canonical(file, ec);
    if (ec) return missing();
    auto [b, r] = std::mismatch(base.begin(), base.end(), real.begin(), real.end());
    if (b != base.end()) return missing();

    const std::string name = file.filename().string();
    HttpReply reply;
    reply.content_type = static_content_type(name);
    const bool have_br = is_file(file.string() + ".br"), have_gz = is_file(file.string() + ".gz");
    if (have_br || have_gz) reply.headers.emplace_back("Vary", "Accept-Encoding");

    const std::string encoding = pick_encoding(accept_encoding, have_br, have_gz);
    const fs::path sent = encoding == "br"     ? fs::path(file.string() + ".br")
                          : encoding == "gzip" ? fs::path(file.string() + ".gz")
                                               : file;
    const auto size = fs::file_size(sent, ec);
    const auto mtime = fs::last_write_time(sent, ec);
    if (ec) return missing();
    char etag[96];
    std::snprintf(etag, sizeof etag, "\"%llx-%llx%s\"", static_cast<unsigned long long>(size),
                  static_cast<unsigned long long>(mtime.time_since_epoch().count()),
                  encoding.empty()   ? ""
                  : encoding == "br" ? "-br"
                                     : "-gz");
    reply.headers.emplace_back("ETag", etag);
    if (hashed_name(name))
        reply.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
    else
        reply.headers.emplace_back("Cache-Control", "no-cache");
    if (!if_none_match.empty() && if_none_match.find(etag) != std::string_view::npos) {
        reply.status = 304;
        return reply;
    }
    auto body = read_all(sent);
    if (!body) return missing();
    reply.body = std::move(*body);
    reply.as_is = true;
    if (!encoding.empty()) reply.headers.emplace_back("Content-Encoding", encoding);
    return reply;
}

}  // namespace liaison::server
