/* CPU feature detection, compiled for the baseline ISA. */
#include "internal.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>

static unsigned long long xgetbv0(void)
{
    unsigned eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

unsigned xent_cpu_features(void)
{
    unsigned a, b, c, d, f = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!osxsave || !avx) return 0;
    /* The OS must save the wide registers, not only the CPU have them. */
    const unsigned long long xcr0 = xgetbv0();
    const int ymm_saved = (xcr0 & 0x6) == 0x6, zmm_saved = (xcr0 & 0xe6) == 0xe6;
    if (__get_cpuid_max(0, NULL) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    const int avx2 = (b >> 5) & 1;
    const int avx512 = ((b >> 16) & 1) && ((b >> 17) & 1) && ((b >> 30) & 1) && ((b >> 31) & 1);
    if (ymm_saved && fma) f |= XENT_CPU_FMA;
    if (ymm_saved && avx2 && fma) f |= XENT_CPU_AVX2;
    if ((f & XENT_CPU_AVX2) && zmm_saved && avx512) f |= XENT_CPU_AVX512;
    return f;
}

#elif defined(__aarch64__)
unsigned xent_cpu_features(void) { return XENT_CPU_NEON | XENT_CPU_FMA; } /* ASIMD is mandatory on AArch64 */
#else
unsigned xent_cpu_features(void) { return 0; }
#endif
