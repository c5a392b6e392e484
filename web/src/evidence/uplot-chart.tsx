/**
 * uPlot in React: the chart is made once per options (its colours, series and
 * markers), given new data in place, and sized to its box as the box changes
 * (a phone's width, a rotated screen). The canvas is described for screen
 * readers by the figure's caption; the numbers are in the table beside it.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface UplotChartProps {
  /** Everything but width: the chart fills its box. */
  options: Omit<uPlot.Options, 'width'>;
  data: uPlot.AlignedData;
  /** What the chart shows, in words (the figure's accessible name). */
  label: string;
  className?: string;
}

export function UplotChart({ options, data, label, className }: UplotChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const width = () => Math.max(240, Math.floor(element.clientWidth));
    const plot = new uPlot({ ...options, width: width() }, latest.current, element);
    chart.current = plot;
    const resize = new ResizeObserver(() => {
      if (plot.width !== width()) plot.setSize({ width: width(), height: options.height });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [options]);

  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);

  return <div ref={box} className={`chart ${className ?? ''}`} role="img" aria-label={label} />;
}
