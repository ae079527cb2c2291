// The README's settings tables are generated from the declarations; this fails when someone changed a setting and
// did not run `npm run docs` (or edited the generated tables by hand).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_ENTRIES } from '../../src/config/index.js';
import { settingsTables, withSettingsTables } from '../../src/config/settings-table.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the README settings tables', () => {
  it('are the ones the declarations make (run npm run docs when this fails)', () => {
    expect(withSettingsTables(readme) === readme, 'README.md settings tables are stale: run `npm run docs`').toBe(true);
  });

  it('list every setting with its flag, environment variable and default', () => {
    const tables = settingsTables();
    for (const e of CONFIG_ENTRIES) {
      expect(tables).toContain(`\`${e.flag}\``);
      expect(tables).toContain(`\`${e.env}\``);
    }
  });

  it('notice a stale table', () => {
    const stale = readme.replace('| `--port` |', '| `--portt` |');
    expect(withSettingsTables(stale)).not.toBe(stale);
  });
});
