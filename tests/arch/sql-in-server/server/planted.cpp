// A planted violation for tests/arch/no_sql_in_server.sh (never compiled): the check must
// find the statement below, or it has stopped finding anything.
#include "server/planted.hpp"

int count_users(liaison::core::Store& store) {
    return int(store.db().query_int("SELECT count(*) FROM server_users").value_or(0));
}
