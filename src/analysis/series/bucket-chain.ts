/**
 * The bucket sizes a streaming grid coarsens along: 1 s, 5 s, 10 s, 30 s,
 * 1 min, 5, 15, 30 min, 1 h, 6 h, 1 day. Each divides the next, so
 * coarsening merges whole buckets, and two grids coarsened apart (one per
 * worker thread) always meet on a common size.
 */
const SECOND = 1000;

export const BUCKET_CHAIN_MS: readonly number[] = [
  1, 5, 10, 30, 60, 300, 900, 1800, 3600, 21_600, 86_400,
].map((s) => s * SECOND);

/** The next size up the chain; past a day, `beyond` times the size. */
export function nextBucketMs(bucketMs: number, beyond = 4): number {
  return BUCKET_CHAIN_MS.find((size) => size > bucketMs) ?? bucketMs * beyond;
}
