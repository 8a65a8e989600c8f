// Planted for arch.file_local_names_finds_planted: a helper another source also defines.
namespace liaison::core {
namespace {

int tail_digits(int n) { return n % 1000; }

}  // namespace
}  // namespace liaison::core
