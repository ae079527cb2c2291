// The `vigil` command: picks a subcommand, parses its declared options, answers --help from the declarations.

import { parseArgs } from 'node:util';
import { errorMessage, UsageError } from '../core/errors.js';
import { VIGIL_VERSION } from '../version.js';
import type { Command } from './command.js';
import { COMMANDS } from './commands.js';
import { commandHelp, mainHelp } from './help.js';

export const HELP = mainHelp(COMMANDS);

function parse(c: Command, argv: string[]) {
  const { values, positionals } = parseArgs({ args: argv, options: c.options, allowPositionals: c.positionals === true, strict: true });
  return { values: values as Record<string, string | boolean | undefined>, positionals, argv };
}

/**
 * What a command's failure prints and exits with: 2 and a pointer to its help for a wrong command line, else 1.
 * Not every error's code is Node's text: a Cassandra driver error's, or a structured clone's, is a number.
 */
export function failureOf(err: unknown, commandName: string): { message: string; exitCode: number } {
  const code: unknown = (err as { code?: unknown } | null)?.code;
  const usage = err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
  return { message: `vigil: ${errorMessage(err)}${usage ? `\nrun 'vigil ${commandName} --help' for usage` : ''}\n`, exitCode: usage ? 2 : 1 };
}

/** Runs the CLI; resolves with the exit code (2 for a wrong command line, 1 for a failure). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const about = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    process.stdout.write(about ? commandHelp(about) : HELP);
    return 0;
  }
  if (name === 'version' || name === '--version') {
    process.stdout.write(`${VIGIL_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`vigil: unknown command "${name}"; run 'vigil --help' for the commands\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(parse(command, rest));
  } catch (err) {
    const failed = failureOf(err, command.name);
    process.stderr.write(failed.message);
    return failed.exitCode;
  }
}
