// Planted for arch.file_local_names_finds_planted: the same helper name, another signature.
namespace liaison::core {

static long tail_digits(long n) { return n % 100; }

}  // namespace liaison::core
