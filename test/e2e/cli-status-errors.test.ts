// The CLI against a Vigil whose status answers an error (its store out of memory, say): `vigil import` waits for the
// progress and ends when the import does (it crashed on the first error, "Cannot read properties of undefined"), and
// `vigil status` says what Vigil answered, exit 1 (it printed "classifier lag ?" and exit 0); and it names a classifier
// whose batches keep failing (the store out of memory, say), as the status reports it.

import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { line, tweet } from '../helpers/tweets.js';
import { BIN } from '../helpers/vigil-process.js';

const exec = promisify(execFile);
const ENV = { ...process.env, VIGIL_TOKEN: 'a-token' };
const FINISHED = { tracker: { source: { source: 'replay:posts.jsonl', state: 'finished', linesRead: 2 } }, classifier: { lag: 0 } };

/**
 * A stand-in for Vigil's API: uploads and replays accepted, /api/processes unknown (or `processes`), /api/status a 500
 * `failures` times, then `status` (or what it gives for the call's number).
 */
async function standIn(failures: number, status: unknown = FINISHED, processes?: unknown): Promise<{ url: string; server: Server; statusCalls: () => number }> {
  let left = failures;
  let calls = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.url === '/api/status') {
        calls++;
        if (left-- > 0) json(500, { error: 'internal error; see the server log' });
        else json(200, typeof status === 'function' ? status(calls) : status);
      } else if (req.url === '/api/processes') json(processes ? 200 : 404, processes ?? { error: 'not found' });
      else json(req.method === 'PUT' ? 201 : 202, {});
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, statusCalls: () => calls };
}

describe('the CLI when Vigil answers its status with an error', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.close();
  });

  it('vigil import waits through failed progress reads and ends with the import', async () => {
    const s = await standIn(3);
    servers.push(s.server);
    const file = join(await mkdtemp(join(tmpdir(), 'vigil-cli-')), 'posts.jsonl');
    writeFileSync(file, `${line(tweet({ id: '1', text: 'sandy' }))}\n${line(tweet({ id: '2', text: 'flooding' }))}\n`);
    const r = await exec(process.execPath, [BIN, 'import', file, '--url', s.url], { env: ENV });
    expect(r.stderr).toMatch(/100% 2\/2 lines/u);
    expect(s.statusCalls()).toBe(4);
  });

  it('vigil status says what Vigil answered and exits 1', async () => {
    const s = await standIn(1);
    servers.push(s.server);
    const r = await exec(process.execPath, [BIN, 'status', '--url', s.url], { env: ENV }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${s.url}/api/status answered 500`);
    expect(r.stderr).toContain('internal error; see the server log');
  });

  const FAILING = {
    reason: 'Out of Memory Error: could not allocate block of size 256.0 KiB (128.0 MiB/128.0 MiB used)',
    attempts: 7,
    since: '2026-12-06T18:00:00.000Z',
    retryAt: '2026-12-06T18:01:04.000Z',
  };
  const RUN = {
    controller: { orchestrator: 'local', classifiers: 1, lag: 5000, trackers: [], lastError: null },
    processes: [{ id: 'classifier-0', role: 'classifier', state: 'ready', pid: 42, restarts: 0, startedAt: null }],
  };

  for (const [mode, processes] of [
    ['one process', undefined],
    ['roles as processes', RUN],
  ] as const)
    it(`vigil status (${mode}) says the classifier's batches keep failing: why, since when, how often, next attempt`, async () => {
      const s = await standIn(0, { mode: 'embedded', classifier: { lag: 5000, failing: FAILING } }, processes);
      servers.push(s.server);
      const r = await exec(process.execPath, [BIN, 'status', '--url', s.url], { env: ENV });
      expect(r.stdout).toContain('FAILING since 2026-12-06T18:00:00.000Z (7 attempts, next at 2026-12-06T18:01:04.000Z)');
      expect(r.stdout).toContain(FAILING.reason);
      const fine = await standIn(0, { mode: 'embedded', classifier: { lag: 0, failing: null } }, processes);
      servers.push(fine.server);
      expect((await exec(process.execPath, [BIN, 'status', '--url', fine.url], { env: ENV })).stdout).not.toContain('FAILING');
    });

  it('vigil import says while it runs that storing keeps failing, and why', async () => {
    const running = {
      tracker: { source: { source: 'replay:posts.jsonl', state: 'running', linesRead: 1 } },
      classifier: { lag: 1, failing: FAILING },
    };
    const s = await standIn(0, (call: number) => (call <= 3 ? running : FINISHED));
    servers.push(s.server);
    const file = join(await mkdtemp(join(tmpdir(), 'vigil-cli-')), 'posts.jsonl');
    writeFileSync(file, `${line(tweet({ id: '1', text: 'sandy' }))}\n${line(tweet({ id: '2', text: 'flooding' }))}\n`);
    const r = await exec(process.execPath, [BIN, 'import', file, '--url', s.url], { env: ENV });
    expect(r.stderr).toContain(`storing FAILING, tried again (7×): ${FAILING.reason}`);
    expect(r.stderr).toMatch(/100% 2\/2 lines/u);
  });
});
