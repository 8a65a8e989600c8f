// Calendar arithmetic on YYYY-MM-DD dates for the compliance rules: months added the way
// legal periods count them (docs/COMPLIANCE.md, "Dates").
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/status.hpp"

namespace liaison::core::compliance {

struct Ymd {
    int year = 0;
    int month = 0;  // 1..12
    int day = 0;    // 1..31
};

// ok, or kBadFormat "<what>: "<date>" is not a date (YYYY-MM-DD, years 1900 to 2999)".
Status check_date(std::string_view what, std::string_view date);
// Requires: check_date(date) is ok.
Ymd ymd_of(std::string_view date);
std::string date_text(const Ymd& d);
int days_in_month(int year, int month);
// `months` calendar months after `d`, the same day of the month, or the last day of the
// month when it has no such day: 2027-01-31 + 1 month = 2027-02-28 (2028-02-29).
Ymd add_months(const Ymd& d, int months);

}  // namespace liaison::core::compliance
