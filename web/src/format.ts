// How numbers, sizes and times are written on every page (no DOM: unit-tested on its own).

import { utcText } from '../../src/core/time-text.js';

export function fmtNumber(n: number): string {
  return n.toLocaleString('en-US');
}

export function fmtBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 2 ** 20 ? `${(n / 1024).toFixed(1)} KB` : n < 2 ** 30 ? `${(n / 2 ** 20).toFixed(1)} MB` : `${(n / 2 ** 30).toFixed(2)} GB`;
}

/** The browser's zone, as a date input means it: "your time, UTC−05:00". */
export function localZone(at: Date = new Date()): string {
  const off = -at.getTimezoneOffset();
  const h = String(Math.floor(Math.abs(off) / 60)).padStart(2, '0');
  const m = String(Math.abs(off) % 60).padStart(2, '0');
  return `your time, UTC${off < 0 ? '−' : '+'}${h}:${m}`;
}

/** Every time on every page: `2012-10-29 12:00:00 UTC` (as the server writes times in its sentences). */
export function fmtTime(iso: string | null): string {
  return iso ? utcText(iso) : '—';
}

/** A query result's value as shown: times (any timestamp type of DuckDB or Spark) as fmtTime, numbers grouped. */
export function fmtValue(v: unknown, type: string): string {
  if (v === null || v === undefined) return '∅';
  if (typeof v === 'string' && /^timestamp/iu.test(type) && !Number.isNaN(Date.parse(v))) return fmtTime(v);
  return typeof v === 'number' ? fmtNumber(v) : typeof v === 'object' ? JSON.stringify(v) : String(v);
}
