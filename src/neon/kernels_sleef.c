/* The neon kernels with SLEEF's log backend. */
#define XENT_BACKEND_SLEEF 1
#include "neon/kernels.c"
