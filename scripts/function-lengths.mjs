#!/usr/bin/env node
// Fails when a function in the given folders is longer than the limit (80 lines): the house plan keeps the runtime,
// the HTTP layer and the Kafka adapter in functions a reader takes in at once. `npm run lint` runs it.
//   node scripts/function-lengths.mjs [--max 80] DIR...
import ts from 'typescript';
import { sourceFiles } from './ts-sources.mjs';

const args = process.argv.slice(2);
let max = 80;
const dirs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--max') max = Number(args[++i]);
  else dirs.push(args[i]);
}
const long = [];
for (const [file, src] of sourceFiles(dirs)) {
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const from = src.getLineAndCharacterOfPosition(node.getStart(src)).line + 1;
      const to = src.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
      const name = node.name?.getText(src) ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(src) : '(anonymous)');
      if (to - from + 1 > max) long.push(`${file}:${from} ${name}: ${to - from + 1} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
}
if (long.length > 0) {
  console.error(`functions longer than ${max} lines (split them):\n  ${long.join('\n  ')}`);
  process.exit(1);
}
console.log(`no function longer than ${max} lines in ${dirs.join(', ')}`);
