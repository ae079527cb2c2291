// Chart.js in a React component. The plotted labels and values are also on the element (data-labels,
// data-values) so tests and curious users can read exactly what is drawn.

import { type ChartConfiguration, Chart as ChartJs, registerables } from 'chart.js';
import { useEffect, useRef } from 'react';

ChartJs.register(...registerables);

const PALETTE = ['#c2410c', '#0e7490', '#4d7c0f', '#7c3aed', '#be185d', '#a16207', '#1d4ed8', '#047857', '#b91c1c', '#475569'];

export interface ChartProps {
  kind: 'bar' | 'line' | 'pie';
  labels: string[];
  values: number[];
  label?: string;
  horizontal?: boolean;
  height?: number;
  testId?: string;
}

export function Chart({ kind, labels, values, label = 'posts', horizontal = false, height = 260, testId }: ChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<ChartJs | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: redrawn when the data's content changes, not when a render hands over equal arrays
  useEffect(() => {
    if (!canvas.current) return;
    // One font on the page and in its charts (Chart.js draws on a canvas, with its own default otherwise).
    const page = getComputedStyle(canvas.current);
    ChartJs.defaults.font.family = page.fontFamily;
    ChartJs.defaults.color = page.color;
    if (canvas.current.parentElement) canvas.current.parentElement.dataset.font = page.fontFamily;
    const config: ChartConfiguration = {
      type: kind,
      data: {
        labels,
        datasets: [
          {
            label,
            data: values,
            backgroundColor: kind === 'pie' ? labels.map((_, i) => PALETTE[i % PALETTE.length]) : kind === 'line' ? 'rgba(194,65,12,0.15)' : '#c2410c',
            borderColor: kind === 'pie' ? '#fff' : '#c2410c',
            fill: kind === 'line',
            pointRadius: kind === 'line' && values.length > 60 ? 0 : 2,
            // Straight segments: a smoothed line would show values between buckets that were never counted.
            tension: 0,
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        indexAxis: horizontal ? 'y' : 'x',
        plugins: { legend: { display: kind === 'pie', position: 'right' } },
        ...(kind === 'pie' ? {} : { scales: { x: { ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 16 } }, y: { beginAtZero: true } } }),
      },
    };
    chart.current?.destroy();
    chart.current = new ChartJs(canvas.current, config);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [kind, JSON.stringify(labels), JSON.stringify(values), label, horizontal]);

  return (
    <div className="chart" style={{ height }} data-testid={testId} data-labels={JSON.stringify(labels)} data-values={JSON.stringify(values)}>
      <canvas ref={canvas} role="img" aria-label={`${kind} chart of ${label}`} />
    </div>
  );
}

/** A tiny line without axes: posts per minute over the last hour on an event card. */
export function Sparkline({ values, testId }: { values: number[]; testId?: string }) {
  const max = Math.max(1, ...values);
  const w = 120;
  const h = 28;
  const points = values.map((v, i) => `${(i / Math.max(1, values.length - 1)) * w},${h - (v / max) * (h - 2) - 1}`).join(' ');
  return (
    <svg
      className="sparkline"
      width={w}
      height={h}
      viewBox={`0 0 ${w} ${h}`}
      data-testid={testId}
      data-values={JSON.stringify(values)}
      aria-label="posts per minute, last hour"
    >
      <polyline points={points} fill="none" stroke="#c2410c" strokeWidth="1.5" />
    </svg>
  );
}
