const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** Sums neighbouring buckets so a series fits in `width` columns. */
export function downsample(
  values: readonly number[],
  width: number,
): { values: number[]; per: number } {
  const per = Math.max(1, Math.ceil(values.length / width));
  const out: number[] = [];
  for (let i = 0; i < values.length; i += per) {
    let sum = 0;
    for (let j = i; j < Math.min(values.length, i + per); j++) sum += values[j] ?? 0;
    out.push(sum);
  }
  return { values: out, per };
}

/**
 * A one-line bar chart of the error rate per column, with a marker line
 * pointing at the onset column: terminals of any width can show it.
 */
export function rateChart(
  errors: readonly number[],
  all: readonly number[],
  onsetBucket: number | undefined,
  width = 72,
): string[] {
  const e = downsample(errors, width);
  const a = downsample(all, width);
  const rates = e.values.map((count, i) => {
    const total = a.values[i] ?? 0;
    return total > 0 ? count / total : 0;
  });
  const max = Math.max(...rates, 0);
  const bars = rates
    .map((rate) =>
      max === 0
        ? ' '
        : rate === 0
          ? ' '
          : (BARS[Math.min(7, Math.floor((rate / max) * 7.999))] ?? '█'),
    )
    .join('');
  const lines = [`|${bars}|  max ${(max * 100).toFixed(1)}% errors`];
  if (onsetBucket !== undefined) {
    const column = Math.floor(onsetBucket / e.per);
    lines.push(` ${' '.repeat(column)}^ onset`);
  }
  return lines;
}
