// What a `vigil` command declares: its usage, what it does, its own options (each with its doc), whether it takes
// Vigil's settings, and how to run it. The help (`vigil --help`, `vigil CMD --help`) is made from these.

export interface OptionSpec {
  type: 'string' | 'boolean';
  doc: string;
  /** The value's placeholder in the help (FILE, URL, N). */
  value?: string;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  argv: string[];
}

export interface Command {
  name: string;
  /** The arguments after `vigil NAME`, e.g. "FILE... [--url URL | --data DIR] [--rate N]". */
  usage: string;
  /** What it does, a short paragraph. */
  summary: string;
  options: Record<string, OptionSpec>;
  positionals?: boolean;
  /** Takes Vigil's settings as flags (the settings of `vigil start` or `vigil run`). */
  settings?: 'start' | 'run';
  run(args: ParsedArgs): Promise<number>;
}

/** The options of the commands that talk to a running Vigil. */
export const REMOTE_OPTIONS: Record<string, OptionSpec> = {
  url: { type: 'string', value: 'URL', doc: 'the Vigil to talk to (default VIGIL_URL, else http://127.0.0.1:8080)' },
  data: { type: 'string', value: 'DIR', doc: "its data directory, where the local CLI's token is (default VIGIL_DATA, else ./vigil-data)" },
};
