/* The avx512 kernels with SLEEF's log backend. */
#define XENT_BACKEND_SLEEF 1
#include "avx512/kernels.c"
