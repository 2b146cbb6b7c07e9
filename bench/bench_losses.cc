// The losses beyond BCE on probabilities, timed against their baselines in
// the same run on the same inputs (bench_bce.cc has main() and BCE).
//
// Names are  <loss>/<implementation>/<size>:
//   bce_logits_f32, bce_logits_f64   BCE on logits, reduction mean, hard 0/1
//                   targets, logits normal with mean 0 and variance 4 (std
//                   2); size = n elements, 1K .. 16M; time per element
//   ce_f32_k10, ce_f32_k1000, ce_f32_k32000   cross-entropy on logits with
//                   index targets (int64, uniform in [0, k)), reduction mean,
//                   logits as above; size = n*k nominal (1M, 16M; k = 10 at
//                   1M only): n = size / k rows (rounded down), time per logit
//   nll_f32_k10     NLL on log-probabilities (log-softmax of normal logits),
//                   k = 10; size = n rows (1M); time per row
//   log_loss_f32_k10  sklearn log_loss on float32 probabilities (random rows
//                   normalised to sum 1), k = 10, eps auto, normalize; size =
//                   n*k nominal (1M); time per probability
//   implementation  every name xent_list_variants() returns (forced with
//                   xent_set_variant), base_libm_scalar and (bce_logits, ce)
//                   base_libmvec_fastmath (bench/base_losses.c), and for
//                   bce_logits and ce the read-only pass over the same input
//                   bytes (base_read_only_avx2, _avx512 when the CPU has it)
//
// Every mean is checked against a float64 reference computed from the same
// inputs at set-up (relative 1e-5): a wrong result is reported as an error,
// not timed.

#include <benchmark/benchmark.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "baselines.h"
#include "bench_common.h"
#include "xent.h"

namespace xent_bench {
namespace {

constexpr size_t K1 = size_t(1) << 10, K4 = size_t(1) << 12, K64 = size_t(1) << 16;
constexpr size_t M1 = size_t(1) << 20, M16 = size_t(1) << 24;
constexpr size_t kLogitSizes[] = {K1, K4, K64, M1, M16};
constexpr double kLogitStd = 2.0;

// ---- inputs (built on first use, kept for the run) ----------------------

// BCE on logits: z normal (std 2), hard targets; float32 and float64 copies
// of the same values (the float64 logits are the float32 ones widened).
struct LogitsData {
  size_t n;
  Buf<float> z, y;
  Buf<double> zd, yd;
  double ref_f32 = NAN, ref_f64 = NAN;
  explicit LogitsData(size_t n_) : n(n_), z(n_), y(n_), zd(n_), yd(n_) {
    Rng r(0x6c6f67u ^ n_);  // "log"
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
      z.ptr[i] = (float)(kLogitStd * r.normal());
      y.ptr[i] = (float)(r.next() >> 63);
      zd.ptr[i] = z.ptr[i];
      yd.ptr[i] = y.ptr[i];
      const double zi = zd.ptr[i];
      s += std::fmax(zi, 0.0) - zi * yd.ptr[i] + std::log1p(std::exp(-std::fabs(zi)));
    }
    // The same values in both dtypes: one reference.
    ref_f32 = ref_f64 = s / (double)n;
  }
};

// Logits z[rows, k] with index targets (cross-entropy), or log-probabilities
// (NLL), or probabilities (log-loss).
enum class Rows { LOGITS, LOG_PROBS, PROBS };

struct RowData {
  size_t rows, k;
  Buf<float> x;
  Buf<int64_t> t;
  double ref = NAN;
  RowData(Rows kind, size_t rows_, size_t k_) : rows(rows_), k(k_), x(rows_ * k_), t(rows_) {
    Rng r(0x726f7773u ^ (rows_ * 131 + k_) ^ ((uint64_t)kind << 40));  // "rows"
    std::vector<double> e(k);
    double s = 0.0;
    for (size_t i = 0; i < rows; i++) {
      float *row = x.ptr + i * k;
      const size_t ti = (size_t)(r.next() % k);
      t.ptr[i] = (int64_t)ti;
      if (kind == Rows::LOGITS) {
        double m = -INFINITY;
        for (size_t c = 0; c < k; c++) {
          row[c] = (float)(kLogitStd * r.normal());
          m = std::fmax(m, row[c]);
        }
        double se = 0.0;
        for (size_t c = 0; c < k; c++) se += std::exp((double)row[c] - m);
        s += std::log(se) + m - (double)row[ti];
      } else if (kind == Rows::LOG_PROBS) {
        double m = -INFINITY, se = 0.0;
        for (size_t c = 0; c < k; c++) m = std::fmax(m, e[c] = kLogitStd * r.normal());
        for (size_t c = 0; c < k; c++) se += std::exp(e[c] - m);
        const double lse = m + std::log(se);
        for (size_t c = 0; c < k; c++) row[c] = (float)(e[c] - lse);
        s -= (double)row[ti];
      } else {
        double se = 0.0;
        for (size_t c = 0; c < k; c++) se += (e[c] = r.uniform());
        for (size_t c = 0; c < k; c++) row[c] = (float)(e[c] / se);
        // sklearn 1.2: clip to [eps, 1 - eps] in float32, renormalise, log.
        auto clip = [](float p) {
          return (double)std::fmin(std::fmax(p, FLT_EPSILON), 1.0f - FLT_EPSILON);
        };
        double sum = 0.0;
        for (size_t c = 0; c < k; c++) sum += clip(row[c]);
        s -= std::log(clip(row[ti]) / sum);
      }
    }
    ref = s / (double)rows;
  }
};

LogitsData &logits_data(size_t n) {
  static std::map<size_t, std::unique_ptr<LogitsData>> cache;
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, std::make_unique<LogitsData>(n)).first;
  return *it->second;
}

RowData &row_data(Rows kind, size_t rows, size_t k) {
  static std::map<std::tuple<int, size_t, size_t>, std::unique_ptr<RowData>> cache;
  const auto key = std::make_tuple((int)kind, rows, k);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, std::make_unique<RowData>(kind, rows, k)).first;
  return *it->second;
}

// ---- the timed loop -----------------------------------------------------

// Times call(&r), which computes the loss into r and returns a status.
// variant: the xent variant to force first, or nullptr for a baseline.
// check: compare the last result with ref (not for the read-only passes).
template <typename Call>
void run(benchmark::State &st, const char *variant, Call call, double ref, bool check,
         size_t elems, size_t bytes) {
  if (variant && xent_set_variant(variant) != XENT_OK) {
    st.SkipWithError("xent_set_variant failed");
    return;
  }
  double r = NAN;
  xent_status s = XENT_OK;
  for (auto _ : st) {
    s = call(&r);
    benchmark::DoNotOptimize(r);
    benchmark::ClobberMemory();
  }
  if (s != XENT_OK) {
    st.SkipWithError(xent_strerror(s));
    return;
  }
  if (check && !close_enough(r, ref)) {
    st.SkipWithError("result differs from the float64 reference by > 1e-5");
    return;
  }
  set_counters(st, elems, bytes);
}

template <typename Fn>
void reg(const std::string &loss, const std::string &impl, size_t size, Fn fn) {
  finish(benchmark::RegisterBenchmark((loss + "/" + impl + "/" + std::to_string(size)).c_str(),
                                      fn));
}

using BceLogitsF32 = double (*)(const float *, const float *, size_t);
using BceLogitsF64 = double (*)(const double *, const double *, size_t);
using RowsFn = double (*)(const float *, size_t, size_t, const int64_t *);
using Read2F32 = double (*)(const float *, const float *, size_t);
using Read2F64 = double (*)(const double *, const double *, size_t);
using Read1F32 = double (*)(const float *, size_t);

struct Base {
  const char *name;
  bool ok;
  BceLogitsF32 bce32;
  BceLogitsF64 bce64;
  RowsFn ce, nll, log_loss;
};

struct Read {
  const char *name;
  bool ok;
  Read2F32 two32;
  Read2F64 two64;
  Read1F32 one32;
};

void register_bce_logits(const std::vector<std::string> &variants, const std::vector<Base> &bases,
                         const std::vector<Read> &reads, size_t n) {
  for (const bool f64 : {false, true}) {
    const std::string loss = f64 ? "bce_logits_f64" : "bce_logits_f32";
    const size_t bytes = n * 2 * (f64 ? sizeof(double) : sizeof(float));
    for (const std::string &v : variants)
      reg(loss, v, n, [v, n, f64, bytes](benchmark::State &st) {
        LogitsData &d = logits_data(n);
        if (f64)
          run(st, v.c_str(), [&](double *r) {
            return xent_bce_logits_f64(d.zd.ptr, d.yd.ptr, nullptr, nullptr, n, 0,
                                       XENT_REDUCTION_MEAN, r, nullptr, nullptr, nullptr);
          }, d.ref_f64, true, n, bytes);
        else
          run(st, v.c_str(), [&](double *r) {
            return xent_bce_logits_f32(d.z.ptr, d.y.ptr, nullptr, nullptr, n, 0,
                                       XENT_REDUCTION_MEAN, r, nullptr, nullptr, nullptr);
          }, d.ref_f32, true, n, bytes);
      });
    for (const Base &b : bases)
      if (b.ok)
        reg(loss, b.name, n, [b, n, f64, bytes](benchmark::State &st) {
          LogitsData &d = logits_data(n);
          if (f64)
            run(st, nullptr, [&](double *r) {
              *r = b.bce64(d.zd.ptr, d.yd.ptr, n);
              return XENT_OK;
            }, d.ref_f64, true, n, bytes);
          else
            run(st, nullptr, [&](double *r) {
              *r = b.bce32(d.z.ptr, d.y.ptr, n);
              return XENT_OK;
            }, d.ref_f32, true, n, bytes);
        });
    for (const Read &b : reads)
      if (b.ok)
        reg(loss, b.name, n, [b, n, f64, bytes](benchmark::State &st) {
          LogitsData &d = logits_data(n);
          if (f64)
            run(st, nullptr, [&](double *r) {
              *r = b.two64(d.zd.ptr, d.yd.ptr, n);
              return XENT_OK;
            }, NAN, false, n, bytes);
          else
            run(st, nullptr, [&](double *r) {
              *r = b.two32(d.z.ptr, d.y.ptr, n);
              return XENT_OK;
            }, NAN, false, n, bytes);
        });
  }
}

// Cross-entropy, k classes, size = n*k nominal.
void register_ce(const std::vector<std::string> &variants, const std::vector<Base> &bases,
                 const std::vector<Read> &reads, size_t k, size_t size) {
  const std::string loss = "ce_f32_k" + std::to_string(k);
  const size_t rows = size / k, elems = rows * k;
  const size_t bytes = elems * sizeof(float) + rows * sizeof(int64_t);
  for (const std::string &v : variants)
    reg(loss, v, size, [v, rows, k, elems, bytes](benchmark::State &st) {
      RowData &d = row_data(Rows::LOGITS, rows, k);
      run(st, v.c_str(), [&](double *r) {
        return xent_cross_entropy_f32(d.x.ptr, rows, k, k, d.t.ptr, nullptr, -100, 0.0,
                                      XENT_REDUCTION_MEAN, r, nullptr, nullptr, 0, nullptr);
      }, d.ref, true, elems, bytes);
    });
  for (const Base &b : bases)
    if (b.ok)
      reg(loss, b.name, size, [b, rows, k, elems, bytes](benchmark::State &st) {
        RowData &d = row_data(Rows::LOGITS, rows, k);
        run(st, nullptr, [&](double *r) {
          *r = b.ce(d.x.ptr, rows, k, d.t.ptr);
          return XENT_OK;
        }, d.ref, true, elems, bytes);
      });
  // The memory limit: a read-only pass over the logits alone.
  for (const Read &b : reads)
    if (b.ok)
      reg(loss, b.name, size, [b, rows, k, elems](benchmark::State &st) {
        RowData &d = row_data(Rows::LOGITS, rows, k);
        run(st, nullptr, [&](double *r) {
          *r = b.one32(d.x.ptr, elems);
          return XENT_OK;
        }, NAN, false, elems, elems * sizeof(float));
      });
}

// NLL over `rows` rows of k log-probabilities (time per row).
void register_nll(const std::vector<std::string> &variants, const Base &base, size_t k,
                  size_t rows) {
  const std::string loss = "nll_f32_k" + std::to_string(k);
  const size_t bytes = rows * (sizeof(float) + sizeof(int64_t));
  for (const std::string &v : variants)
    reg(loss, v, rows, [v, rows, k, bytes](benchmark::State &st) {
      RowData &d = row_data(Rows::LOG_PROBS, rows, k);
      run(st, v.c_str(), [&](double *r) {
        return xent_nll_f32(d.x.ptr, rows, k, k, d.t.ptr, nullptr, -100, XENT_REDUCTION_MEAN, r,
                            nullptr, nullptr, 0, nullptr);
      }, d.ref, true, rows, bytes);
    });
  reg(loss, base.name, rows, [base, rows, k, bytes](benchmark::State &st) {
    RowData &d = row_data(Rows::LOG_PROBS, rows, k);
    run(st, nullptr, [&](double *r) {
      *r = base.nll(d.x.ptr, rows, k, d.t.ptr);
      return XENT_OK;
    }, d.ref, true, rows, bytes);
  });
}

// log_loss, k classes, size = n*k nominal (time per probability).
void register_log_loss(const std::vector<std::string> &variants, const Base &base, size_t k,
                       size_t size) {
  const std::string loss = "log_loss_f32_k" + std::to_string(k);
  const size_t rows = size / k, elems = rows * k;
  const size_t bytes = elems * sizeof(float) + rows * sizeof(int64_t);
  for (const std::string &v : variants)
    reg(loss, v, size, [v, rows, k, elems, bytes](benchmark::State &st) {
      RowData &d = row_data(Rows::PROBS, rows, k);
      run(st, v.c_str(), [&](double *r) {
        return xent_log_loss_f32(d.x.ptr, rows, k, k, d.t.ptr, nullptr, XENT_EPS_AUTO, 1, 0u, r,
                                 nullptr);
      }, d.ref, true, elems, bytes);
    });
  reg(loss, base.name, size, [base, rows, k, elems, bytes](benchmark::State &st) {
    RowData &d = row_data(Rows::PROBS, rows, k);
    run(st, nullptr, [&](double *r) {
      *r = base.log_loss(d.x.ptr, rows, k, d.t.ptr);
      return XENT_OK;
    }, d.ref, true, elems, bytes);
  });
}

}  // namespace

void register_loss_benchmarks(const std::vector<std::string> &variants, const Cpu &cpu) {
  const Base libm = {"base_libm_scalar", true,
                     base_libm_scalar_bce_logits_f32, base_libm_scalar_bce_logits_f64,
                     base_libm_scalar_ce_f32, base_libm_scalar_nll_f32,
                     base_libm_scalar_log_loss_f32};
  const Base libmvec = {"base_libmvec_fastmath", cpu.avx2,
                        base_libmvec_fastmath_avx2_bce_logits_f32,
                        base_libmvec_fastmath_avx2_bce_logits_f64,
                        base_libmvec_fastmath_avx2_ce_f32, base_libmvec_fastmath_avx2_nll_f32,
                        base_libmvec_fastmath_avx2_log_loss_f32};
  const std::vector<Base> bases = {libm, libmvec};
  // Only what this CPU can run: the AVX-512 pass needs AVX-512F.
  const std::vector<Read> reads = {
      {"base_read_only_avx2", cpu.avx2, base_read_only_avx2_f32, base_read_only_avx2_f64,
       base_read_only1_avx2_f32},
      {"base_read_only_avx512", cpu.avx512f, base_read_only_avx512_f32,
       base_read_only_avx512_f64, base_read_only1_avx512_f32},
  };

  // Sizes outermost, as in bench_bce.cc.
  for (size_t n : kLogitSizes) {
    register_bce_logits(variants, bases, reads, n);
    if (n == M1 || n == M16) {
      if (n == M1) register_ce(variants, bases, reads, 10, n);
      register_ce(variants, bases, reads, 1000, n);
      register_ce(variants, bases, reads, 32000, n);
    }
    if (n == M1) {
      register_nll(variants, libm, 10, n);
      register_log_loss(variants, libm, 10, n);
    }
  }
}

}  // namespace xent_bench
