// A planted test source (tests/arch/test_namespaces.sh must find it): its helpers live in the
// shared namespace, where a unity build mixes them with other files'.
namespace liaison::test {
namespace {
int helper() { return 1; }
}  // namespace
}  // namespace liaison::test
