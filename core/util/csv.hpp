// CSV cells and lines as the exports write them (RFC 4180), with the spreadsheet formula
// guard: shared by the server's CSV exports (server/admin/csv.hpp) and the reports
// (core/query/reports.hpp), which a device also writes as CSV.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace liaison::core {

// One record as a CSV line (CRLF-terminated), quoting fields that need it. No formula guard:
// see guard_formula.
std::string csv_line(const std::vector<std::string>& fields);
// guard_formula(v) is v with a leading `'` when a spreadsheet would evaluate it (first
// character `= + - @`, tab or CR, after any leading `'`); unguard_formula undoes exactly that
// (unguard_formula(guard_formula(v)) == v).
std::string guard_formula(std::string_view cell);
std::string unguard_formula(std::string_view cell);

}  // namespace liaison::core
