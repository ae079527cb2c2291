// Logging through pino (Fastify's own logger): one line per message on stderr, human-readable text by default or JSON
// lines (--log-format json); each component logs through its child logger (`component` in every line), and the
// HTTP server logs its requests.

import { levels, type Logger as Pino, pino, stdTimeFunctions } from 'pino';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger whose lines name the component (classifier, tracker, http …). */
  child(component: string): Logger;
  /** The pino logger underneath (Fastify's `loggerInstance`). */
  readonly pino: Pino;
}

const BASE_KEYS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'proc', 'component']);

/** A JSON line of pino as Vigil's text line: "time level [proc] [component] msg k=v …". */
export function textLine(json: string): string {
  const o = JSON.parse(json) as Record<string, unknown>;
  const level = typeof o.level === 'string' ? o.level : (levels.labels[Number(o.level)] ?? 'info');
  const extra = Object.entries(o)
    .filter(([k]) => !BASE_KEYS.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const where = `${o.proc ? `[${String(o.proc)}] ` : ''}${o.component ? `${String(o.component)}: ` : ''}`;
  return `${new Date(Number(o.time)).toISOString()} ${level.padEnd(5)} ${where}${String(o.msg ?? '')}${extra ? ` ${extra}` : ''}\n`;
}

function wrap(p: Pino): Logger {
  return {
    debug: (m, f) => p.debug(f ?? {}, m),
    info: (m, f) => p.info(f ?? {}, m),
    warn: (m, f) => p.warn(f ?? {}, m),
    error: (m, f) => p.error(f ?? {}, m),
    child: (component) => wrap(p.child({ component })),
    pino: p,
  };
}

/** `proc` names the process in the lines (set on the child processes of `vigil run`). */
export function createLogger(opts: { level?: Level; json?: boolean; write?: (line: string) => void; proc?: string } = {}): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  const destination = { write: (line: string) => write(opts.json ? line : textLine(line)) };
  const p = pino(
    {
      level: opts.level ?? 'info',
      base: opts.proc ? { proc: opts.proc } : {},
      timestamp: opts.json ? stdTimeFunctions.isoTime : stdTimeFunctions.epochTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return wrap(p);
}

export const silentLogger: Logger = wrap(pino({ level: 'silent' }));
