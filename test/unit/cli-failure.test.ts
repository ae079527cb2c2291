import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { failureOf } from '../../src/cli/main.js';
import { UsageError } from '../../src/core/errors.js';

describe('a command that fails', () => {
  it('reports an error whose code is a number with its own message, exit 1 (not a failure of the report)', () => {
    const err = Object.assign(new Error('(m, f) => m could not be cloned.'), { code: 25 });
    expect(failureOf(err, 'start')).toEqual({ message: 'vigil: (m, f) => m could not be cloned.\n', exitCode: 1 });
  });

  it('points a wrong command line to the command help, exit 2', () => {
    let parseError: unknown;
    try {
      parseArgs({ args: ['--nope'], options: {}, strict: true });
    } catch (err) {
      parseError = err;
    }
    for (const err of [parseError, new UsageError('--port must be a number')]) {
      const f = failureOf(err, 'start');
      expect(f.exitCode).toBe(2);
      expect(f.message).toContain("run 'vigil start --help' for usage");
    }
  });

  it('reports a thrown value that is not an Error, exit 1', () => {
    expect(failureOf(null, 'start').exitCode).toBe(1);
    expect(failureOf('plain text', 'start').message).toContain('plain text');
  });
});
