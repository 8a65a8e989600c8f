#include "core/util/text.hpp"

#include <algorithm>

namespace liaison::core {

std::string_view trim(std::string_view text, std::string_view chars) {
    const auto begin = text.find_first_not_of(chars);
    if (begin == std::string_view::npos) return text.substr(text.size());
    return text.substr(begin, text.find_last_not_of(chars) - begin + 1);
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += sep;
        out += items[i];
    }
    return out;
}

std::vector<std::string> split(std::string_view text, char sep, std::size_t max_parts) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (out.size() + 1 < max_parts) {
        const auto at = text.find(sep, from);
        if (at == std::string_view::npos) break;
        out.emplace_back(text.substr(from, at - from));
        from = at + 1;
    }
    out.emplace_back(text.substr(from));
    return out;
}

bool contains(const std::vector<std::string>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

std::vector<std::string> split_list(std::string_view text, char sep) {
    std::vector<std::string> out;
    for (const auto& item : split(text, sep)) {
        const std::string_view t = trim(item);
        if (!t.empty()) out.emplace_back(t);
    }
    return out;
}

}  // namespace liaison::core
