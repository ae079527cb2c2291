// A tiny logger: one line per message on stderr, human-readable; `VIGIL_LOG_FORMAT=json` for JSON lines.

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** `proc` names the process in the lines (set on the child processes of `vigil run`). */
export function createLogger(opts: { level?: Level; json?: boolean; write?: (line: string) => void; proc?: string } = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  const emit = (level: Level, msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < min) return;
    const time = new Date().toISOString();
    if (opts.json) write(`${JSON.stringify({ time, level, ...(opts.proc ? { proc: opts.proc } : {}), msg, ...fields })}\n`);
    else {
      const extra = fields && Object.keys(fields).length > 0 ? ` ${Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')}` : '';
      write(`${time} ${level.padEnd(5)} ${opts.proc ? `[${opts.proc}] ` : ''}${msg}${extra}\n`);
    }
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
