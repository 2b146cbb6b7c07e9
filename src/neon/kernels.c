/* The neon kernels with our own log. */
#define XENT_ISA neon
#include "neon/vec.h"
#include "generic/kernels.h"
