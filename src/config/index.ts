// All configuration in one validated place: every setting declared once (Vigil's components in components.ts, each
// adapter in its plugin's settings), read from defaults, a --config file, the environment, then flags. Loading names
// every bad setting and where it came from.

import { resolve } from 'node:path';
import { z } from 'zod';
import { ADAPTER_SETTINGS, ADAPTER_SHAPE, SELECTION } from '../adapters/registry.js';
import { errorMessage, VigilError } from '../core/errors.js';
import { ACCESS, COLLECTION, QUERIES, ROLE_PROCESSES, SERVER } from './components.js';
import { defaultText, envOf, type Setting, type SettingGroup, shapeOf } from './setting.js';

/** Every group of settings, in the order the help and the README show them. */
export const SETTING_GROUPS: readonly SettingGroup[] = [SERVER, ACCESS, SELECTION, COLLECTION, QUERIES, ROLE_PROCESSES, ...ADAPTER_SETTINGS];

const shape = {
  ...shapeOf(SERVER.settings),
  ...shapeOf(ACCESS.settings),
  ...shapeOf(SELECTION.settings),
  ...shapeOf(COLLECTION.settings),
  ...shapeOf(QUERIES.settings),
  ...shapeOf(ROLE_PROCESSES.settings),
  ...ADAPTER_SHAPE,
};

export const ConfigSchema = z
  .object(shape)
  .refine((c) => c.classifiersMin <= c.classifiersMax, { message: 'classifiers-min must not exceed classifiers-max', path: ['classifiersMin'] })
  .refine((c) => c.classifierWorkersMax === undefined || c.classifierWorkersMax >= c.classifierWorkers, {
    message: 'classifier-workers-max must not be below classifier-workers (set it to the same number to keep the workers fixed)',
    path: ['classifierWorkersMax'],
  });

type Parsed = z.infer<typeof ConfigSchema>;
/** The settings, with paths resolved (the import folder defaults to <data>/imports). */
export type Config = Omit<Parsed, 'importDir'> & { importDir: string };

/** One setting with its key, for the help, the README and settings files. */
export interface ConfigEntry extends Setting {
  key: string;
  group: string;
  default: string;
}

export const CONFIG_ENTRIES: readonly ConfigEntry[] = SETTING_GROUPS.flatMap((g) =>
  Object.entries(g.settings).map(([key, s]) => ({ ...s, key, group: g.title, default: defaultText(s) })),
);

function entryByAnyName(): Map<string, ConfigEntry> {
  const byName = new Map<string, ConfigEntry>();
  for (const e of CONFIG_ENTRIES) for (const n of [e.env, e.flag.slice(2), e.key, ...(e.aliases ?? []).map((a) => a.slice(2))]) byName.set(n, e);
  return byName;
}

/**
 * Reads a settings file for --config: a JSON object, or lines of VIGIL_NAME=value (# starts a comment). Keys may be
 * the environment names (VIGIL_BUS), the flags without dashes (bus, kafka-brokers) or the setting names (kafkaBrokers).
 * Returns the settings as environment variables, to sit between the defaults and the real environment.
 */
export function parseConfigFile(text: string, file: string): Record<string, string> {
  const byAnyName = entryByAnyName();
  const pairs: [string, unknown][] = [];
  if (text.trimStart().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new VigilError('VIGIL_USAGE', `${file}: not valid JSON (${errorMessage(err)})`);
    }
    pairs.push(...Object.entries(parsed as Record<string, unknown>));
  } else {
    text.split(/\r?\n/u).forEach((line, i) => {
      const t = line.trim();
      if (t === '' || t.startsWith('#')) return;
      const eq = t.indexOf('=');
      if (eq < 1) throw new VigilError('VIGIL_USAGE', `${file}:${i + 1}: expected NAME=value, got ${JSON.stringify(t)}`);
      pairs.push([
        t.slice(0, eq).trim(),
        t
          .slice(eq + 1)
          .trim()
          .replace(/^(['"])(.*)\1$/u, '$2'),
      ]);
    });
  }
  const out: Record<string, string> = {};
  const unknown: string[] = [];
  for (const [k, v] of pairs) {
    const e = byAnyName.get(k);
    if (!e) unknown.push(k);
    else out[e.env] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  if (unknown.length > 0) throw new VigilError('VIGIL_USAGE', `${file}: unknown setting ${unknown.join(', ')}; the settings are listed by 'vigil --help'`);
  return out;
}

/**
 * Builds the configuration from the environment and flags (flags win). `commandDefaults` are a command's own
 * defaults, used where neither gives a setting (e.g. \`vigil import --data\`, which runs no queries, gives DuckDB
 * one thread). Throws one message naming every bad setting and where it came from.
 */
export function loadConfig(
  flags: Partial<Record<string, string | undefined>>,
  env: NodeJS.ProcessEnv = process.env,
  commandDefaults: Partial<Record<string, string>> = {},
  /** Where variables that did not come from the environment itself came from (a --config file), by name. */
  envOrigins: Partial<Record<string, string>> = {},
): Config {
  const raw: Record<string, string> = {};
  const origin: Record<string, string> = {};
  for (const e of CONFIG_ENTRIES) {
    const fromFlag = flags[e.key];
    const envName = [e.env, ...(e.aliases ?? []).map(envOf)].find((n) => env[n] !== undefined && env[n] !== '');
    if (fromFlag !== undefined) {
      raw[e.key] = fromFlag;
      origin[e.key] = e.flag;
    } else if (envName !== undefined) {
      raw[e.key] = env[envName] ?? '';
      origin[e.key] = envOrigins[envName] ?? envName;
    } else if (e.key in commandDefaults) {
      raw[e.key] = commandDefaults[e.key] ?? '';
      origin[e.key] = `this command's default for ${e.flag}`;
    }
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = String(i.path[0]);
      return `${origin[key] ?? key} = ${JSON.stringify(raw[key])}: ${i.message}`;
    });
    throw new VigilError('VIGIL_USAGE', `invalid configuration: ${problems.join('; ')}`);
  }
  const dataDir = resolve(parsed.data.dataDir);
  return { ...parsed.data, dataDir, importDir: resolve(dataDir, parsed.data.importDir ?? 'imports') };
}

/** Whether accounts are enforced: always, unless turned off explicitly (--auth off). */
export function authEnabled(c: Pick<Config, 'auth'>): boolean {
  return c.auth !== 'off';
}
