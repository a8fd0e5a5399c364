/** Binary searches over ascending arrays (ids, values, sorted terms). */

/** The first index from `lo` on whose element is ≥ x. */
export function lowerBound<T extends number | string>(a: ArrayLike<T>, x: T, lo = 0): number {
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (a[mid]! < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The first index whose element is > x. */
export function upperBound(a: ArrayLike<number>, x: number): number {
  let lo = 0
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (a[mid]! <= x) lo = mid + 1
    else hi = mid
  }
  return lo
}
