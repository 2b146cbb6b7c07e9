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
#define T_EXP_LO (-104.0f)
#define T_EXP_HI 89.0f
#define T_EXPN_LO (-86.0f)
#define T_WIDE_LO (-80.0f) /* row terms below: exp in double (kernels.h dl_addw_f32) */
#define T_HAS_WIDE 1
#define T_LOG2E 1.44269504088896341f
#define T_RND_MAGIC 0x1.8p23f
#define T_RND_MAGIC_BITS 0x4b400000u
#define T_K_OFF 256u
#define T_LN2_HI 0.693359375f
#define T_LN2_LO (-2.12194440e-4f)
#define T_INF __builtin_inff()
#define T_MAXV 0x1.fffffep127f
#define T_LOG1P_SMALL 0x1p-12f
