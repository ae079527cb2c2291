// Starts the real `vigil` binary as a child process and talks to it over HTTP, as a user would: with the API token
// Vigil writes for its owner (<data>/cli-token) unless accounts are off, and with archives uploaded to its import
// folder before they are replayed.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));

export interface VigilProcess {
  url: string;
  child: ChildProcess;
  dataDir: string;
  /** The admin API token Vigil wrote for the local CLI (null with --auth off). */
  token: string | null;
  log: () => string;
  /** The sign-in link Vigil printed last (null with --auth off). */
  signInLink(): string | null;
  /** A JSON call, as the admin (the CLI token) unless `token` says otherwise (null: no credential). */
  api<T = unknown>(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: T }>;
  /** fetch() on Vigil's address, as the admin unless init carries its own authorization (or token null). */
  fetch(path: string, init?: RequestInit, token?: string | null): Promise<Response>;
  /** Uploads a file into the import folder (PUT /api/imports/NAME); resolves with its name there. */
  upload(file: string, name?: string): Promise<string>;
  /** Uploads the file and replays it (POST /api/replay), as a user of the UI or `vigil import` does. */
  replay(file: string, rate?: number): Promise<{ status: number; body: unknown }>;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

async function readToken(dataDir: string): Promise<string | null> {
  for (const f of [join(dataDir, 'cli-token'), join(dataDir, 'events', 'cli-token')]) {
    const t = await readFile(f, 'utf8').then(
      (s) => s.trim(),
      () => '',
    );
    if (t) return t;
  }
  return null;
}

/** Starts `vigil start` (or another command, e.g. run) on a free port and waits for its "vigil is running" line. */
export async function startVigil(args: string[], env: NodeJS.ProcessEnv = {}, command = 'start'): Promise<VigilProcess> {
  const i = args.indexOf('--data');
  const dataDir = i >= 0 ? args[i + 1] : join(await mkdtemp(join(tmpdir(), 'vigil-')), 'data');
  const all = i >= 0 ? args : ['--data', dataDir, ...args];
  const child = spawn(process.execPath, [BIN, command, '--port', '0', ...all], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vigil did not start in time:\n${log}`)), 90_000);
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /vigil is running url=(\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vigil exited with ${code} before it was ready:\n${log}`));
    });
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const authOff = (all.includes('--auth') && all[all.indexOf('--auth') + 1] === 'off') || env.VIGIL_AUTH === 'off';
  const token = authOff ? null : await readToken(dataDir);
  const authHeader = (t: string | null | undefined): Record<string, string> => {
    const use = t === undefined ? token : t;
    return use ? { authorization: `Bearer ${use}` } : {};
  };
  const v: VigilProcess = {
    url,
    child,
    dataDir,
    token,
    log: () => log,
    signInLink() {
      const all = [...log.matchAll(/sign in: open (\S+)/gu)];
      return all.length > 0 ? all[all.length - 1][1] : null;
    },
    async fetch(path, init = {}, t) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) for (const [k, val] of Object.entries(authHeader(t))) headers.set(k, val);
      return fetch(url + path, { ...init, headers });
    },
    async api<T>(method: string, path: string, body?: unknown, t?: string | null) {
      const res = await v.fetch(
        path,
        {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        },
        t,
      );
      const text = await res.text();
      return { status: res.status, body: (text === '' ? null : JSON.parse(text)) as T };
    },
    async upload(file, name = basename(file).replace(/[^A-Za-z0-9._-]/gu, '_')) {
      const res = await v.fetch(`/api/imports/${encodeURIComponent(name)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String((await stat(file)).size) },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      if (res.status !== 201 && res.status !== 200) throw new Error(`upload of ${file} answered ${res.status}: ${await res.text()}`);
      return name;
    },
    async replay(file, rate) {
      const name = await v.upload(file);
      return v.api('POST', '/api/replay', { file: name, ...(rate ? { rate } : {}) });
    },
    async stop(signal: NodeJS.Signals = 'SIGINT') {
      child.kill(signal);
      return exited;
    },
  };
  return v;
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
