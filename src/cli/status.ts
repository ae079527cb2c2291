// `vigil status`: the processes `vigil run` supervises, as a table (or JSON); for one process, its mode and lag; and the
// classifier's batches failing to be stored, when they do.

import { VigilError } from '../core/errors.js';
import type { DeliveryFailure } from '../core/ports.js';
import { callVigil, vigilUrl } from './remote.js';

interface ProcessRow {
  id: string;
  role: string;
  state: string;
  pid: number | null;
  restarts: number;
  startedAt: string | null;
  detail?: string;
}

export async function printStatus(urlGiven: string | undefined, dataDir: string | undefined, json: boolean): Promise<number> {
  const url = vigilUrl(urlGiven);
  const res = await callVigil(url, '/api/processes', { dataDir: dataDir });
  if (res.status === 404) {
    const one = await callVigil(url, '/api/status', { dataDir: dataDir });
    if (!one.ok) throw new VigilError('VIGIL_UNAVAILABLE', `${url}/api/status answered ${one.status}: ${await one.text()}`);
    const s = (await one.json()) as { mode?: string; classifier?: { lag?: number; failing?: DeliveryFailure | null } };
    const failing = s.classifier?.failing;
    process.stdout.write(
      json
        ? `${JSON.stringify(s)}\n`
        : `one process (${s.mode ?? 'embedded'}); classifier lag ${s.classifier?.lag ?? '?'}; no role processes to show (they run apart only with 'vigil run')\n${
            failing ? `${failingLine(failing)}\n` : ''
          }`,
    );
    return 0;
  }
  if (!res.ok) throw new VigilError('VIGIL_UNAVAILABLE', `${url}/api/processes answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as {
    controller: { orchestrator: string; classifiers: number; lag: number | null; trackers: { id: string; keywords: string[] }[]; lastError: string | null };
    processes: ProcessRow[];
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(body)}\n`);
    return 0;
  }
  const c = body.controller;
  const rows = [
    ['ID', 'ROLE', 'STATE', 'PID', 'RESTARTS', 'UP SINCE', 'DETAIL'],
    ...body.processes.map((p) => [p.id, p.role, p.state, String(p.pid ?? '-'), String(p.restarts), p.startedAt ?? '-', p.detail ?? '']),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  process.stdout.write(
    `orchestrator ${c.orchestrator} · ${c.trackers.length} tracker connection(s), ${c.trackers.reduce((n, t) => n + t.keywords.length, 0)} keywords · ${c.classifiers} classifier(s) · lag ${c.lag ?? '?'}${c.lastError ? ` · last error: ${c.lastError}` : ''}\n`,
  );
  for (const r of rows)
    process.stdout.write(
      `${r
        .map((v, i) => v.padEnd(widths[i]))
        .join('  ')
        .trimEnd()}\n`,
    );
  // The classifier processes' failures, as the installation's status gathers them.
  const all = await callVigil(url, '/api/status', { dataDir: dataDir });
  const failing = all.ok ? ((await all.json()) as { classifier?: { failing?: DeliveryFailure | null } }).classifier?.failing : null;
  if (failing) process.stdout.write(`${failingLine(failing)}\n`);
  return 0;
}

/** What an operator reads when the classifier's batches keep failing: why, since when, and when it tries again. */
export function failingLine(f: DeliveryFailure): string {
  return `classifying and storing FAILING since ${f.since} (${f.attempts} attempt${f.attempts === 1 ? '' : 's'}, next at ${f.retryAt}): ${f.reason}; nothing is skipped, the same posts are tried again until this is fixed (see the log)`;
}
