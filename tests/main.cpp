// The Catch2 runner, in its own translation unit (it dominates compile time).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
