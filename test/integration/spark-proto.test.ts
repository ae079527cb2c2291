// The Spark Connect messages are generated from proto/ by buf and protoc-gen-es (`npm run proto`); the committed
// TypeScript must be what the generator makes of the committed .proto today.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const GEN = 'src/adapters/spark/gen/spark/connect/connect_pb.ts';

describe('generated Spark Connect messages', () => {
  it('are up to date with proto/spark/connect/connect.proto', async () => {
    const out = await mkdtemp(join(tmpdir(), 'vigil-proto-'));
    const bin = join(process.cwd(), 'node_modules', '.bin');
    await run(join(bin, 'buf'), ['generate', '-o', out], { env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } });
    expect(await readFile(join(out, GEN), 'utf8')).toBe(await readFile(GEN, 'utf8'));
  }, 60_000);
});
