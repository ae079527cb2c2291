#!/usr/bin/env node
// Writes the generated parts of the README (the settings tables) from the built declarations: npm run docs.
import { readFileSync, writeFileSync } from 'node:fs';
import { withSettingsTables } from '../dist/config/settings-table.js';

const readme = new URL('../README.md', import.meta.url);
const before = readFileSync(readme, 'utf8');
const after = withSettingsTables(before);
if (after === before) console.log('README.md: the settings tables are up to date');
else {
  writeFileSync(readme, after);
  console.log('README.md: settings tables rewritten from src/config');
}
