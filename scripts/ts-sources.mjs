// The TypeScript files under the given folders (or the files themselves), parsed: what the source checks of
// `npm run lint` (function-lengths.mjs, double-spreads.mjs) walk.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const files = (path) => (statSync(path).isDirectory() ? readdirSync(path).flatMap((n) => files(join(path, n))) : /\.tsx?$/u.test(path) ? [path] : []);

/** Each .ts/.tsx file under `paths`, as [path, SourceFile]. */
export function sourceFiles(paths) {
  return paths.flatMap(files).map((file) => [file, ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)]);
}
