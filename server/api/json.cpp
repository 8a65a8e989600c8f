#include "server/api/json.hpp"

namespace liaison::server {

std::string json_error(std::string_view code, std::string_view message) {
    return "{\"error\":{\"code\":" + json_string(code) + ",\"message\":" + json_string(message) +
           "}}";
}

std::string json_error(std::string_view code, std::string_view message, std::string_view field) {
    return "{\"error\":{\"code\":" + json_string(code) + ",\"message\":" + json_string(message) +
           ",\"field\":" + json_string(field) + "}}";
}

}  // namespace liaison::server
