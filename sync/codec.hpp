// Encodings of operations and protocol messages, with cereal.
//
// Binary (compact, the default on the wire): one type byte, one format version byte, then a
// cereal PortableBinary payload (little-endian on every host). Decoding checks the type, the
// version, every length against the limits of protocol.hpp before allocating, and that the
// whole input was consumed. JSON (for people and tools) carries the same fields by name, with
// ids and stamps as text; it is read by a strict reader that keeps every text's exact bytes
// (a \u0000 included) and refuses a number its binary field could not hold, so both forms
// decide an operation alike (R10). Encoders write what they are given (an unknown kind too);
// the checks are the decoders'.
//
// Decoders never throw and never crash on hostile input: every failure is a Status
// (malformed, unsupported_version, too_large). Golden fixtures in tests/fixtures/ pin the
// formats; they are added, never edited.
#pragma once

#include <string>
#include <string_view>

#include "core/util/status.hpp"
#include "sync/op.hpp"
#include "sync/protocol.hpp"

namespace liaison::sync {

enum class MessageType : std::uint8_t { kOp = 0x01, kPushRequest = 0x02, kPushReply = 0x03 };
// Binary format of push requests and replies: the protocol's number (each protocol's new
// fields follow the fields of the format before). Decoders read formats 1 to 3; the encoder writes
// the format of the message's `protocol` (1 for a protocol 1 message, so the previous release can
// be answered and tested byte for byte).
inline constexpr std::uint8_t kFormatVersion = 3;
inline constexpr std::uint8_t kOldestFormatVersion = 1;
// Operations (outbox rows, the `op` message) are unchanged since format 1 and keep writing it:
// an outbox written by the previous release reads as it is.
inline constexpr std::uint8_t kOpFormatVersion = 1;
// The binary format version a message of `protocol` is written in.
inline constexpr std::uint8_t format_for_protocol(std::uint32_t protocol) {
    return protocol >= 3 ? 3 : protocol >= 2 ? 2 : 1;
}

std::string encode_op(const Op& op);
Result<Op> decode_op(std::string_view bytes);

std::string encode_request(const PushRequest& m);
Result<PushRequest> decode_request(std::string_view bytes);
std::string encode_reply(const PushReply& m);
Result<PushReply> decode_reply(std::string_view bytes);

std::string request_to_json(const PushRequest& m);
Result<PushRequest> request_from_json(std::string_view json);
std::string reply_to_json(const PushReply& m);
Result<PushReply> reply_from_json(std::string_view json);
std::string op_to_json(const Op& op);
Result<Op> op_from_json(std::string_view json);

}  // namespace liaison::sync
