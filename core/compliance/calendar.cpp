#include "core/compliance/calendar.hpp"

#include <cstdio>

#include "core/model/validate.hpp"

namespace liaison::core::compliance {

Status check_date(std::string_view what, std::string_view date) {
    if (is_date(date)) return Status::ok();
    return Status(Code::kBadFormat, std::string(what) + ": \"" + std::string(date.substr(0, 32)) +
                                        "\" is not a date (YYYY-MM-DD, years 1900 to 2999)");
}

Ymd ymd_of(std::string_view date) {
    auto num = [&](std::size_t at, std::size_t len) {
        int v = 0;
        for (std::size_t i = at; i < at + len; ++i) v = v * 10 + (date[i] - '0');
        return v;
    };
    return {num(0, 4), num(5, 2), num(8, 2)};
}

std::string date_text(const Ymd& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
}

int days_in_month(int year, int month) {
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

Ymd add_months(const Ymd& d, int months) {
    const int index = d.year * 12 + (d.month - 1) + months;
    Ymd out{index / 12, index % 12 + 1, d.day};
    if (out.day > days_in_month(out.year, out.month)) out.day = days_in_month(out.year, out.month);
    return out;
}

}  // namespace liaison::core::compliance
