/* The scalar kernels with SLEEF's log backend. */
#define XENT_BACKEND_SLEEF 1
#include "scalar/kernels.c"
