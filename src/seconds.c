/*
 * seconds.c: times in seconds, as doubles, to whole nanoseconds and back,
 * as CPython converts them for setitimer(), getitimer() and sigtimedwait()
 * (its _PyTime_ROUND_CEILING): the seconds times 1e9 rounded up to a whole
 * number, and tv_sec + tv_usec / 1e6.
 *
 * In floating point the answer would depend on the floating-point unit.
 * The x87 unit of 32-bit x86 (__FLT_EVAL_METHOD__ 2) rounds a product to
 * 64 bits of mantissa, and to 53 only when it is stored: even stored
 * through a volatile, that second rounding gives another double than one
 * rounding to 53 bits for a few inputs in a million, and without the store
 * 3e-6 s became 3001 ns. So the operations whose result is not exact are
 * made with integers, rounding as one IEEE double operation does (to
 * nearest, ties to even). The floating-point operations left are exact on
 * every unit: doubling, halving, comparisons, and conversions between
 * doubles and whole numbers below 2^53.
 */
#include <stdint.h>

#include "internal.h"

#define SP_TWO52 4503599627370496.0        /* 2^52 */
#define SP_TWO34 17179869184.0             /* 2^34: 2^63 ns is 2^33.1 s */
#define SP_TWO_MINUS40 (1.0 / 1099511627776.0) /* 2^-40 */
#define SP_FIVE9 1953125u                  /* 5^9: 1e9 is 5^9 * 2^9 */
#define SP_MILLION 1000000u

int sp__seconds_to_ns(double seconds, uint64_t *ns) {
  uint64_t m, high, low, t, q, rest, half;
  int j = 0, r, d;
  double x = seconds;
  if (!(seconds > 0.0)) { /* 0 and -0 */
    *ns = 0;
    return 0;
  }
  /* The product is positive and at most 1e9 * 2^-40 ns: rounded up, 1. */
  if (seconds < SP_TWO_MINUS40) {
    *ns = 1;
    return 0;
  }
  if (seconds >= SP_TWO34) return -1;
  /* seconds = m / 2^j, with m a 53-bit whole number; 19 <= j <= 92. */
  while (x < SP_TWO52) {
    x *= 2.0;
    j++;
  }
  m = (uint64_t)x;
  /* seconds * 1e9 = m * 5^9 / 2^(j - 9). The product m * 5^9 has 73 or 74
     bits: t * 2^32 + low, from m's two halves. */
  high = (m >> 32) * SP_FIVE9;
  low = (m & 0xffffffffu) * SP_FIVE9;
  t = high + (low >> 32);
  low &= 0xffffffffu;
  /* Rounded to 53 bits, as the double product is: the r low bits go. */
  r = (t >> 41) != 0 ? 21 : 20;
  q = (t << (32 - r)) | (low >> r);
  rest = low & ((1u << r) - 1u);
  half = (uint64_t)1 << (r - 1);
  if (rest > half || (rest == half && (q & 1u) != 0)) q++;
  /* The double is q * 2^(r - (j - 9)); rounded up to a whole number. */
  d = j - 9 - r;
  if (d <= 0) {
    if (q >= (uint64_t)1 << (63 + d)) return -1; /* 2^63 ns or more */
    *ns = q << -d;
  } else {
    *ns = (q >> d) + ((q & (((uint64_t)1 << d) - 1u)) != 0);
  }
  return 0;
}

/* x * 2^-n, exactly: halving a double that stays normal is exact. */
static double scaled_down(double x, int n) {
  for (; n > 0; n--) x *= 0.5;
  return x;
}

double sp__seconds_of(int64_t sec, long usec) {
  uint64_t rem, quotient, rounded, rest, half;
  int k = 0, i, bits, t;
  /* Outside what a timer holds, or exact as it is. */
  if (usec <= 0 || usec >= (long)SP_MILLION || sec < 0 ||
      (double)sec >= SP_TWO52)
    return (double)sec + (double)usec / 1e6;
  /* usec / 10^6 to 53 bits by long division: normalised so that the first
     quotient bit is 1, it is (rem / 10^6) / 2^k, 1 <= k <= 20. */
  rem = (uint64_t)usec;
  while (rem < SP_MILLION) {
    rem <<= 1;
    k++;
  }
  quotient = 0;
  for (i = 0; i < 53; i++) {
    quotient <<= 1;
    if (rem >= SP_MILLION) {
      quotient |= 1u;
      rem -= SP_MILLION;
    }
    rem <<= 1;
  }
  /* rem / 10^6 is now twice what is left below the last bit. */
  if (rem > SP_MILLION || (rem == SP_MILLION && (quotient & 1u) != 0))
    quotient++;
  /* The double usec / 1e6 is quotient / 2^(52 + k). */
  if (sec == 0) return scaled_down((double)quotient, 52 + k);
  /* sec + that double, rounded to 53 bits: sec has `bits` bits (at most
     52), so the sum's last bit is worth 2^(bits - 53) and sec is a whole
     number of them, an even one. The fraction is rounded to that bit, ties
     to even, and the sum of the two doubles is then exact. */
  for (bits = 0; bits < 63 && (sec >> bits) != 0; bits++) continue;
  t = 52 + k + bits - 53;
  if (t >= 55) {
    rounded = 0; /* below half of the last bit */
  } else {
    rounded = quotient >> t;
    rest = quotient & (((uint64_t)1 << t) - 1u);
    half = (uint64_t)1 << (t - 1);
    if (rest > half || (rest == half && (rounded & 1u) != 0)) rounded++;
  }
  return (double)sec + scaled_down((double)rounded, 53 - bits);
}
