/* The scalar kernels with our own log. */
#define XENT_ISA scalar
#include "scalar/vec.h"
#include "generic/kernels.h"
