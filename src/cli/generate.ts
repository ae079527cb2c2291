// `vigil generate`: synthetic Twitter v1.1 stream lines for trying Vigil out or measuring it, the same lines for the
// same seed. Made up (users, words and ids are generated), never real posts.

import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { generateStream } from '../bench/generate.js';

export interface GenerateOptions {
  posts: number;
  seed: number;
  /** Time of the first post (posts follow about 10 ms apart). */
  start: Date;
  /** A file (.gz compressed), or null for stdout. */
  out: string | null;
}

export async function generate(o: GenerateOptions, progress: (msg: string) => void): Promise<void> {
  const lines = async function* (): AsyncGenerator<string> {
    let n = 0;
    for (const line of generateStream(o.posts, { seed: o.seed, start: o.start.getTime() })) {
      yield `${line}\n`;
      if (++n % 100_000 === 0) progress(`${n.toLocaleString('en-US')} of ${o.posts.toLocaleString('en-US')} posts`);
    }
  };
  const sink: Writable = o.out === null ? process.stdout : createWriteStream(o.out);
  try {
    if (o.out?.endsWith('.gz')) await pipeline(lines, createGzip(), sink);
    else await pipeline(lines, sink, { end: o.out !== null });
  } catch (err) {
    // `vigil generate | head`: the reader had enough.
    if (o.out === null && (err as NodeJS.ErrnoException).code === 'EPIPE') return;
    throw err;
  }
}
