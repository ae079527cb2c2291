// A setting is declared once: its flag, its environment variable, what it does and its schema (with the default).
// `vigil --help`, each command's help, the README's settings table and the validation all come from these
// declarations; each component declares its own group (src/config/components.ts, and each adapter's plugin).

import { z } from 'zod';

export interface Setting<S extends z.ZodType = z.ZodType> {
  /** `--kafka-brokers` */
  flag: string;
  /** `VIGIL_KAFKA_BROKERS` */
  env: string;
  /** What it does, for the help and the README. */
  doc: string;
  /** Validates the text from a flag, the environment or a settings file; its default is the setting's. */
  schema: S;
  /** The default as a person reads it, where the value is computed (CPU cores) or transformed (1d → ms). */
  shown?: string;
  /** Other flags that mean the same (kept for older command lines). */
  aliases?: readonly string[];
}

/** The env variable of a flag: `--kafka-brokers` → `VIGIL_KAFKA_BROKERS`. */
export function envOf(flag: string): string {
  return `VIGIL_${flag.replace(/^--/u, '').replace(/-/gu, '_').toUpperCase()}`;
}

export function setting<S extends z.ZodType>(
  flag: string,
  doc: string,
  schema: S,
  more: Partial<Pick<Setting<S>, 'env' | 'shown' | 'aliases'>> = {},
): Setting<S> {
  return { flag, env: more.env ?? envOf(flag), doc, schema, ...(more.shown ? { shown: more.shown } : {}), ...(more.aliases ? { aliases: more.aliases } : {}) };
}

/** A component's settings under a title (a heading of the README table and of `vigil --help`). */
export interface SettingGroup<T extends Record<string, Setting> = Record<string, Setting>> {
  title: string;
  /** The commands that take these settings. */
  commands: readonly ('start' | 'run')[];
  settings: T;
}

export function group<T extends Record<string, Setting>>(
  title: string,
  settings: T,
  commands: readonly ('start' | 'run')[] = ['start', 'run'],
): SettingGroup<T> {
  return { title, commands, settings };
}

/** The zod shape of a group: { key: schema }. */
export type ShapeOf<T extends Record<string, Setting>> = { [K in keyof T]: T[K]['schema'] };

export function shapeOf<T extends Record<string, Setting>>(settings: T): ShapeOf<T> {
  return Object.fromEntries(Object.entries(settings).map(([k, s]) => [k, s.schema])) as ShapeOf<T>;
}

/** The default as text: declared (`shown`), else the schema's own default, else "none". */
export function defaultText(s: Setting): string {
  if (s.shown) return s.shown;
  const r = s.schema.safeParse(undefined);
  if (!r.success || r.data === undefined) return 'none';
  return Array.isArray(r.data) ? (r.data.length === 0 ? 'none' : r.data.join(',')) : String(r.data);
}

export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** A setting holding JSON text, checked against `schema`; `expected` says what it must be. */
export function jsonSetting<T extends z.ZodType>(schema: T, expected: string) {
  return z
    .string()
    .optional()
    .transform((v, ctx): z.output<T> | undefined => {
      if (v === undefined) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        parsed = undefined;
      }
      const r = schema.safeParse(parsed);
      if (r.success) return r.data;
      ctx.addIssue({ code: 'custom', message: `must be ${expected}` });
      return z.NEVER;
    });
}
