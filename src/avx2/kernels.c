/* The avx2 kernels with our own log. */
#define XENT_ISA avx2
#include "avx2/vec.h"
#include "generic/kernels.h"
