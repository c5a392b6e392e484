/**
 * Where in the cycle a periodic peak sits and how widely it spreads (the
 * jitter), by maximum likelihood: the errors of each phase cell near the
 * peak are Poisson with mean background + A x (a normal of center mu and
 * sd sigma, integrated over the cell), with the background rate measured
 * away from the peak; (mu, sigma) on a grid, A by Newton steps (the
 * log-likelihood is concave in A).
 *
 * Why not the moments of the errors above background: with a steady
 * background, the noise of the cells at the edges of the region weighs on
 * the second moment as much as the peak itself (a 3 s jitter read as 1 s
 * or 4 s from one seed to the next), and clipping that noise at zero only
 * trades it for a bias. The likelihood weighs each cell by what it can
 * tell, and integrating over cells keeps whole-second timestamps honest.
 */
import { erfc } from '../../series/stats.js';

const normalCdf = (x: number) => 0.5 * erfc(-x / Math.SQRT2);

/** Center (cells, on the circle) and sd (cells) of the peak in the window of `size` bins from `start`. */
export function fitPeak(
  cells: { errors: ArrayLike<number>; traffic: ArrayLike<number> },
  factor: number,
  start: number,
  size: number,
): { center: number; spread: number } {
  const n = cells.errors.length;
  const width = size * factor;
  // The window and a width either side, unless that would fill the circle.
  const pad = 3 * width < n ? width : Math.floor((n - width) / 2);
  const from = start * factor - pad;
  const length = width + 2 * pad;
  const inRegion = new Uint8Array(n);
  for (let k = 0; k < length; k++) inRegion[(((from + k) % n) + n) % n] = 1;
  let outsideErrors = 0;
  let outsideTraffic = 0;
  for (let c = 0; c < n; c++) {
    if (inRegion[c]) continue;
    outsideErrors += cells.errors[c] as number;
    outsideTraffic += cells.traffic[c] as number;
  }
  const rate = outsideTraffic > 0 ? outsideErrors / outsideTraffic : 0;
  const observed = new Float64Array(length);
  const background = new Float64Array(length);
  for (let k = 0; k < length; k++) {
    const c = (((from + k) % n) + n) % n;
    observed[k] = cells.errors[c] as number;
    background[k] = Math.max(1e-9, rate * (cells.traffic[c] as number));
  }
  let best = { logLikelihood: Number.NEGATIVE_INFINITY, mu: pad + width / 2, sigma: width / 2 };
  const shape = new Float64Array(length);
  // mu on a quarter-cell grid: the normal's CDF at cell edges, (4k - m) / (4 sigma), from one table per sigma.
  const cdf = new Float64Array(8 * length + 5);
  for (let i = 0; i < 40; i++) {
    const sigma = 0.3 * (Math.max(1, length / 2) / 0.3) ** (i / 39);
    for (let u = 0; u < cdf.length; u++) cdf[u] = normalCdf((u - 4 * length) / (4 * sigma));
    for (let m = 0; m <= 4 * length; m++) {
      for (let k = 0; k < length; k++) {
        const u = 4 * k - m + 4 * length;
        shape[k] = (cdf[u + 4] as number) - (cdf[u] as number);
      }
      const amplitude = fitAmplitude(observed, background, shape);
      let logLikelihood = 0;
      for (let k = 0; k < length; k++) {
        const mean = (background[k] as number) + amplitude * (shape[k] as number);
        logLikelihood += (observed[k] as number) * Math.log(mean) - mean;
      }
      if (logLikelihood > best.logLikelihood) best = { logLikelihood, mu: m / 4, sigma };
    }
  }
  return { center: (((from + best.mu) % n) + n) % n, spread: best.sigma };
}

/** The amplitude A >= 0 that maximizes the Poisson likelihood of background + A x shape. */
function fitAmplitude(
  observed: Float64Array,
  background: Float64Array,
  shape: Float64Array,
): number {
  let excess = 0;
  let mass = 0;
  for (let k = 0; k < observed.length; k++) {
    excess += (observed[k] as number) - (background[k] as number);
    mass += shape[k] as number;
  }
  if (!(mass > 0)) return 0;
  let amplitude = Math.max(0, excess / mass);
  for (let step = 0; step < 20; step++) {
    let gradient = -mass;
    let curvature = 0;
    for (let k = 0; k < observed.length; k++) {
      const s = shape[k] as number;
      const mean = (background[k] as number) + amplitude * s;
      gradient += ((observed[k] as number) * s) / mean;
      curvature -= ((observed[k] as number) * s * s) / (mean * mean);
    }
    if (!(curvature < 0)) break;
    const next = Math.max(0, amplitude - gradient / curvature);
    if (Math.abs(next - amplitude) < 1e-6 * (1 + amplitude)) return next;
    amplitude = next;
  }
  return amplitude;
}
