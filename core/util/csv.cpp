#include "core/util/csv.hpp"

namespace liaison::core {

std::string csv_line(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        const std::string& f = fields[i];
        if (f.find_first_of(",\"\r\n") == std::string::npos) {
            out += f;
            continue;
        }
        out += '"';
        for (char c : f) {
            if (c == '"') out += '"';
            out += c;
        }
        out += '"';
    }
    return out + "\r\n";
}

namespace {
bool is_formula_start(char c) {
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

bool needs_guard(std::string_view v) {
    std::size_t i = 0;
    while (i < v.size() && v[i] == '\'') ++i;
    return i < v.size() && is_formula_start(v[i]);
}
}  // namespace

std::string guard_formula(std::string_view cell) {
    if (needs_guard(cell)) return "'" + std::string(cell);
    return std::string(cell);
}

std::string unguard_formula(std::string_view cell) {
    if (!cell.empty() && cell.front() == '\'' && needs_guard(cell.substr(1)))
        return std::string(cell.substr(1));
    return std::string(cell);
}

}  // namespace liaison::core
