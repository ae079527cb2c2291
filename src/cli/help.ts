// The help of `vigil` and of each command, made from the commands' declarations and the settings' (one source).

import { CONFIG_ENTRIES, SETTING_GROUPS } from '../config/index.js';
import { VIGIL_VERSION } from '../version.js';
import type { Command } from './command.js';

const wrap = (text: string, indent: string, width = 112): string => {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/u)) {
    if (line !== '' && indent.length + line.length + word.length + 1 > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines.join('\n');
};

/** The settings a command takes, by group: flag, environment variable, default, what it does. */
export function settingsHelp(command: 'start' | 'run'): string {
  const out: string[] = [];
  for (const g of SETTING_GROUPS.filter((x) => x.commands.includes(command))) {
    out.push(`  ${g.title}:`);
    for (const e of CONFIG_ENTRIES.filter((x) => x.group === g.title)) out.push(`    ${e.flag} (${e.env}; default ${e.default})\n${wrap(e.doc, '        ')}`);
  }
  return out.join('\n');
}

export function commandHelp(c: Command): string {
  const options = Object.entries(c.options).map(([name, o]) => `  --${name}${o.value ? ` ${o.value}` : ''}\n${wrap(o.doc, '      ')}`);
  const settings = c.settings
    ? `\n\nSettings (flags; each also an environment variable; a flag wins over the environment, which wins over a --config file of JSON {"bus": "kafka"} or lines VIGIL_BUS=kafka):\n${settingsHelp(c.settings)}`
    : '';
  return `Usage: vigil ${c.name} ${c.usage}\n\n${wrap(c.summary, '')}${options.length > 0 ? `\n\nOptions:\n${options.join('\n')}` : ''}${settings}\n`;
}

export function mainHelp(commands: readonly Command[]): string {
  const list = commands.map((c) => `  vigil ${c.name} ${c.usage}\n${wrap(c.summary, '      ')}`).join('\n\n');
  return `vigil ${VIGIL_VERSION}: collect social-media posts for crisis events, classify, store and query them.

Commands:
${list}

  vigil help | --help      this text;  vigil COMMAND --help: that command, with its options and settings
  vigil version | --version

The commands that talk to a running Vigil (status, login, import) send VIGIL_TOKEN, else the API token Vigil wrote for
its owner into <data>/cli-token.

Settings of 'vigil start' and 'vigil run' (flags; each also an environment variable; a flag wins over the environment,
which wins over a --config file):
${settingsHelp('run')}

Keyword matching follows Twitter's 'track': a phrase matches when all its words occur in the post (any order, any
case, whole words, hashtags, @mentions and link domains included); words in Chinese, Japanese or Thai match inside
the text. Docs: README.md.
`;
}
