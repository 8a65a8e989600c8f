// Static files of the web app (the --static folder, laid out like public/ or build/wasm/app/).
//
// - Types by extension (html, js, mjs, css, wasm, json, webmanifest, svg, png, …; others
//   application/octet-stream); "/" and "<dir>/" serve index.html.
// - Precompressed siblings: when "<file>.br" or "<file>.gz" exists beside the requested file
//   and the request's Accept-Encoding allows it (q > 0, "*" included), that sibling is sent
//   with Content-Encoding and the original file's Content-Type; brotli is preferred. Every
//   file that has a sibling is answered with Vary: Accept-Encoding, compressed or not.
// - Caching: a file whose name carries a content hash ("app.3f9a1c0b.js": 8+ hex digits
//   between dots) is immutable for a year; everything else — index.html and sw.js included —
//   is "no-cache" with an ETag (size and modification time), answered 304 when unchanged.
// - Safety: only regular files under the folder; no "..", no hidden names (".git"), no
//   backslashes or NULs, and symbolic links that lead outside the folder are refused (404).
//
// Thread-safety: pure functions over the file system.
#pragma once

#include <string>
#include <string_view>

#include "server/api/reply.hpp"

namespace liaison::server {

// The media type for a file name, by its extension.
std::string static_content_type(std::string_view name);

// Which precompressed encoding to send given an Accept-Encoding header: "br", "gzip" or "".
std::string pick_encoding(std::string_view accept_encoding, bool have_br, bool have_gz);

// Answers GET `path` (decoded, no query string) from `root`; 404 JSON when there is no such file.
HttpReply serve_static(const std::string& root, std::string_view path,
                       std::string_view accept_encoding, std::string_view if_none_match);

}  // namespace liaison::server
