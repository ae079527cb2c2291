// Starts the real `vigil` binary as a child process and talks to it over HTTP, as a user would.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));

export interface VigilProcess {
  url: string;
  child: ChildProcess;
  log: () => string;
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `vigil start` (or another command, e.g. run) on a free port and waits for its "vigil is running" line. */
export async function startVigil(args: string[], env: NodeJS.ProcessEnv = {}, command = 'start'): Promise<VigilProcess> {
  const child = spawn(process.execPath, [BIN, command, '--port', '0', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
  return {
    url,
    child,
    log: () => log,
    async api<T>(method: string, path: string, body?: unknown) {
      const res = await fetch(url + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text === '' ? null : JSON.parse(text)) as T };
    },
    async stop(signal: NodeJS.Signals = 'SIGINT') {
      child.kill(signal);
      return exited;
    },
  };
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
