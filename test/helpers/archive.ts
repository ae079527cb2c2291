// A large archive whose expected result is known without running Vigil: which posts match which of two events,
// and how many lines are bad.

import { createWriteStream } from 'node:fs';

export const BAD_EVERY = 1000;

/** Line i: a post matching Alpha (i%3=0), Beta (1) or both (2); every 1000th line is a truncated one instead. */
export async function writeArchive(file: string, posts: number): Promise<{ alpha: number; beta: number; bad: number }> {
  const out = createWriteStream(file);
  let alpha = 0;
  let beta = 0;
  let bad = 0;
  let chunk = '';
  for (let i = 0; i < posts; i++) {
    if (i % BAD_EVERY === BAD_EVERY - 1) {
      chunk += `{"id_str":"${i}","text":"alpha cut off by a crash ${i}\n`;
      bad++;
    } else {
      const text = i % 3 === 0 ? 'alpha report' : i % 3 === 1 ? 'beta report' : 'alpha and gamma then delta';
      if (i % 3 !== 1) alpha++;
      if (i % 3 !== 0) beta++;
      chunk += `{"created_at":"Mon Oct 29 12:00:00 +0000 2012","id_str":"${i}","text":"${text} ${i}","user":{"id_str":"${i % 977}","screen_name":"u${i % 977}"}}\n`;
    }
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise<void>((r) => out.once('finish', () => r()));
  return { alpha, beta, bad };
}
