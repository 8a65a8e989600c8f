// The database seam's old name: Database, Statement and Transaction speak to SQLite or
// PostgreSQL now, and are declared in database.hpp.
#pragma once

#include "core/storage/database.hpp"
