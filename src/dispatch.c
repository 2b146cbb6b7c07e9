/* The variant table and its selection: detected once, forced by the
 * XENT_VARIANT environment variable or xent_set_variant(). */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "xent.h"

typedef struct {
    const xent_kernels *k;
    unsigned need; /* XENT_CPU_* bits the variant requires */
} variant;

/* Fastest first within each backend; own-log variants first. */
static const variant variants[] = {
#ifdef XENT_HAVE_AVX512
    {&xent_kernels_avx512, XENT_CPU_AVX512},
#endif
#ifdef XENT_HAVE_AVX2
    {&xent_kernels_avx2, XENT_CPU_AVX2},
#endif
#ifdef XENT_HAVE_NEON
    {&xent_kernels_neon, XENT_CPU_NEON},
#endif
    {&xent_kernels_scalar, 0},
#ifdef XENT_HAVE_AVX512
    {&xent_kernels_avx512_sleef, XENT_CPU_AVX512},
#endif
#ifdef XENT_HAVE_AVX2
    {&xent_kernels_avx2_sleef, XENT_CPU_AVX2},
#endif
#ifdef XENT_HAVE_NEON
    {&xent_kernels_neon_sleef, XENT_CPU_NEON},
#endif
    {&xent_kernels_scalar_sleef, XENT_CPU_FMA}, /* SLEEF's purecfma */
};
#define NVARIANTS (sizeof variants / sizeof variants[0])

/* Marks a bad XENT_VARIANT: losses fail until a variant is set. */
static const xent_kernels invalid = {.name = "invalid"};
static _Atomic(const xent_kernels *) active; /* NULL until first use */

static unsigned features(void)
{
    static atomic_uint cached; /* bit 31 set once detected */
    unsigned f = atomic_load_explicit(&cached, memory_order_relaxed);
    if (!(f & 0x80000000u)) {
        f = xent_cpu_features() | 0x80000000u;
        atomic_store_explicit(&cached, f, memory_order_relaxed);
    }
    return f;
}

static const xent_kernels *lookup(const char *name)
{
    const unsigned f = features();
    for (size_t i = 0; i < NVARIANTS; i++) {
        if ((variants[i].need & f) != variants[i].need) continue;
        if (!name || !strcmp(name, "auto") || !strcmp(name, variants[i].k->name)) return variants[i].k;
    }
    return NULL;
}

const xent_kernels *xent_active(void)
{
    const xent_kernels *k = atomic_load_explicit(&active, memory_order_acquire);
    if (!k) {
        const char *env = getenv("XENT_VARIANT");
        const xent_kernels *want = lookup(env && *env ? env : NULL), *expected = NULL;
        if (!want) want = &invalid;
        atomic_compare_exchange_strong(&active, &expected, want);
        k = atomic_load_explicit(&active, memory_order_acquire);
    }
    return k == &invalid ? NULL : k;
}

xent_status xent_set_variant(const char *name)
{
    if (!name) return XENT_EINVAL;
    const xent_kernels *k = lookup(name);
    if (!k) return XENT_EUNSUPPORTED;
    atomic_store_explicit(&active, k, memory_order_release);
    return XENT_OK;
}

xent_status xent_get_variant(const char **name)
{
    if (!name) return XENT_EINVAL;
    const xent_kernels *k = xent_active();
    if (!k) return XENT_EUNSUPPORTED;
    *name = k->name;
    return XENT_OK;
}

xent_status xent_list_variants(const char **names, size_t cap, size_t *count)
{
    if (!count || (cap && !names)) return XENT_EINVAL;
    const unsigned f = features();
    size_t m = 0;
    for (size_t i = 0; i < NVARIANTS; i++) {
        if ((variants[i].need & f) != variants[i].need) continue;
        if (m < cap) names[m] = variants[i].k->name;
        m++;
    }
    *count = m;
    return XENT_OK;
}
