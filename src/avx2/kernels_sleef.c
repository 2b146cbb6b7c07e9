/* The avx2 kernels with SLEEF's log backend. */
#define XENT_BACKEND_SLEEF 1
#include "avx2/kernels.c"
