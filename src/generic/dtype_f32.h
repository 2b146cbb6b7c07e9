/* The float32 side of the generic kernels: names and constants that
 * vmath_t.h and kernels_t.h are written in.  dtype_end.h undoes it. */
#define T float
#define VT VF
#define MT MF
#define VIT VIF
#define TN VF_N
#define OP(x) vf_##x
#define MOP(x) mf_##x
#define IOP(x) vif_##x
#define FN(x) x##_f32
#define I_AS_T(x) vi_as_f(x)
#define XARGS xent_bce_args_f32
#define T_EXP_BIAS 127.0f
#define T_MIN_NORMAL 0x1p-126f
#define T_SUB_SCALE 0x1p23f
#define T_SUB_SCALE_EXP 23.0f
#define T_SQRTHALF_BITS 0x3f3504f3u
#define T_ONE_BITS 0x3f800000u
#define T_MANT_BITS 23
#define T_EXP_MASK 0xff800000u
#define T_MAGIC_BITS 0x4b000000u
#define T_MAGIC 0x1p23f
#define T_TWO_BIAS 254u
