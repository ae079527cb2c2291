// `vigil start` and `vigil run`: the settings from flags (and a --config file), and a process that runs until a
// signal drains it.

import { readFileSync } from 'node:fs';
import { CONFIG_ENTRIES, type Config, loadConfig, parseConfigFile } from '../config/index.js';
import { errorMessage, UsageError } from '../core/errors.js';
import { createLogger, type Logger } from '../util/log.js';
import type { OptionSpec, ParsedArgs } from './command.js';

/** Every setting as a flag (aliases too), plus --config. */
export function settingOptions(): Record<string, OptionSpec> {
  const out: Record<string, OptionSpec> = {
    config: { type: 'string', value: 'FILE', doc: 'a settings file: JSON {"bus": "kafka", ...} or lines VIGIL_BUS=kafka (# comments)' },
  };
  for (const e of CONFIG_ENTRIES) for (const f of [e.flag, ...(e.aliases ?? [])]) out[f.slice(2)] = { type: 'string', doc: e.doc };
  return out;
}

/** The settings given as flags, and the same as VIGIL_* variables (what the processes `vigil run` starts inherit). */
export function configFromArgs(args: ParsedArgs): { config: Config; env: NodeJS.ProcessEnv } {
  const flags: Record<string, string> = {};
  // A --config file sits between the defaults and the environment; the processes `vigil run` starts inherit it.
  const env: NodeJS.ProcessEnv = {};
  const fromFile: Record<string, string> = {};
  const file = args.values.config;
  if (typeof file === 'string') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --config ${file}: ${errorMessage(err)}`);
    }
    for (const [k, v] of Object.entries(parseConfigFile(text, file))) {
      if (process.env[k] === undefined || process.env[k] === '') {
        process.env[k] = v;
        env[k] = v;
        fromFile[k] = `${CONFIG_ENTRIES.find((e) => e.env === k)?.flag.slice(2) ?? k} in --config ${file}`;
      }
    }
  }
  for (const e of CONFIG_ENTRIES) {
    const v = [e.flag, ...(e.aliases ?? [])].map((f) => args.values[f.slice(2)]).find((x) => typeof x === 'string');
    if (typeof v === 'string') {
      flags[e.key] = v;
      env[e.env] = v;
    }
  }
  return { config: loadConfig(flags, process.env, {}, fromFile), env };
}

export function loggerFor(config: Config, proc?: string): Logger {
  return createLogger({ json: config.logFormat === 'json', level: config.logLevel, ...(proc ? { proc } : {}) });
}

/** Runs until SIGINT/SIGTERM, then drains: stops collection, finishes the batch in hand, closes. */
export async function untilSignal(runtime: { close(): Promise<void> }, log: Logger): Promise<number> {
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) {
        log.warn('second signal: exiting now');
        process.exit(130);
      }
      stopping = true;
      log.info(`${signal}: stopping (finishing the batch in hand; press Ctrl-C again to force)`);
      runtime.close().then(resolve, (err: unknown) => {
        log.error('clean shutdown failed', { reason: errorMessage(err) });
        resolve();
      });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  log.info('stopped');
  return 0;
}
