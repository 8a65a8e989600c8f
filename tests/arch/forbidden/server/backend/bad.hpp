// Planted violation for arch.include_direction_refuses_backend_to_http: the backend must not
// reach up to the transport (server/README.md, "Rooms"). Never compiled.
#pragma once
#include "server/http/server.hpp"
