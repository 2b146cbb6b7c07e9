/* The avx512 kernels with our own log. */
#define XENT_ISA avx512
#include "avx512/vec.h"
#include "generic/kernels.h"
