/**
 * Time series for the evidence engine: bucketing, change points, error onsets, and
 * the TCPD evaluation metrics. Pure code: data in, numbers out.
 */
export {
  bucketCount,
  CountSeries,
  type CountSeriesOptions,
  chooseBucketMs,
  MAX_BUCKETS,
  NICE_BUCKETS_MS,
} from './bucket.js';
export {
  analyzeChangePoints,
  CHANGE_POINT_DEFAULTS,
  type ChangePointAnalysis,
  detectChangePoints,
  type SeriesValue,
} from './changepoints.js';
export { type Annotations, covering, coverSingle, type FMeasure, fMeasure } from './metrics.js';
export { detectErrorOnset, type ErrorOnset, ONSET_DEFAULTS } from './onset.js';
