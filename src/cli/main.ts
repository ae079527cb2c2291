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
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`vigil: ${errorMessage(err)}${usage ? `\nrun 'vigil ${command.name} --help' for usage` : ''}\n`);
    return usage ? 2 : 1;
  }
}
