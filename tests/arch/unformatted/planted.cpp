// Planted for arch.format_check_finds_planted: written the way clang-format would not.
int   planted ( int x ){ return x+1 ; }
