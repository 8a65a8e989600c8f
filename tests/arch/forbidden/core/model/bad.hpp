// A planted violation: core must not include sync. tests/arch/include_direction.sh must refuse
// this tree (CTest arch.include_direction_refuses_core_to_sync), or the check checks nothing.
#pragma once
#include "sync/hub.hpp"
