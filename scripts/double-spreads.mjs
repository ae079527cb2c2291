#!/usr/bin/env node
// Fails when an object literal in the given folders holds two spreads or more (`{ ...a, ...b }`): on Node 20, V8
// copies every spread after the first one property at a time on a slow path, about 1 µs a property, 20–30 times
// what Object.assign takes (a post's row built that way cost 60–80 µs). The folders are those every post goes
// through; merge with `merged()` of src/core/json.ts, or assign the fields. `npm run lint` runs it.
//   node scripts/double-spreads.mjs DIR|FILE...
import ts from 'typescript';
import { sourceFiles } from './ts-sources.mjs';

const paths = process.argv.slice(2);
const found = [];
for (const [file, src] of sourceFiles(paths)) {
  const visit = (node) => {
    if (ts.isObjectLiteralExpression(node) && node.properties.filter((p) => ts.isSpreadAssignment(p)).length >= 2) {
      const line = src.getLineAndCharacterOfPosition(node.getStart(src)).line + 1;
      found.push(`${file}:${line} ${node.getText(src).replace(/\s+/gu, ' ').slice(0, 100)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
}
if (found.length > 0) {
  console.error(`object literals with two spreads or more (slow on V8; use merged() of src/core/json.ts):\n  ${found.join('\n  ')}`);
  process.exit(1);
}
console.log(`no object literal with two spreads in ${paths.join(', ')}`);
