// BENCHMARKS.md says, criterion by criterion, whether issue #18's targets are met: from the figures, not by hand.

import { describe, expect, it } from 'vitest';
import { goal, TARGETS, targetsTable } from '../../src/bench/targets.js';

const rowOf = (table: string, criterion: string): string[] => {
  const line = table.split('\n').find((l) => l.startsWith(`| ${criterion} |`));
  if (!line) throw new Error(`no row for ${criterion} in:\n${table}`);
  return line.split(' | ').map((c) => c.replace(/^\| |\s\|$/gu, ''));
};

describe('bench targets', () => {
  it('judges each figure against its target, at and around the bounds', () => {
    expect(goal('ingest-10', 'x', 30_000).met).toBe(true);
    expect(goal('ingest-10', 'x', 29_999).met).toBe(false);
    expect(goal('ingest-1000', 'x', 20_000).met).toBe(true);
    expect(goal('peak-rss', 'x', 1023).met).toBe(true);
    expect(goal('peak-rss', 'x', 1024).met).toBe(false);
    expect(goal('rss-growth', 'x', 20).met).toBe(true);
    expect(goal('rss-growth', 'x', -21).met).toBe(false);
    expect(goal('event-page', 'x', 199).met).toBe(true);
    expect(goal('event-page', 'x', 200).met).toBe(false);
    expect(goal('word-count', 'x', 4.99).met).toBe(true);
    expect(goal('handover', 'lost', 1).met).toBe(false);
    expect(goal('distributed', 'x', 9_999).met).toBe(false);
  });

  it('lists every criterion: yes when all its figures meet it, partly when some do, no when none do', () => {
    const table = targetsTable([
      goal('ingest-10', '200,000 posts', 21_600),
      goal('word-count', 'as SQL', 5.3),
      goal('word-count', 'from the term counts', 0.272),
      goal('handover', 'lost', 0),
      goal('handover', 'duplicated', 0),
      goal('rss-growth', '627 MB against 557 MB,', 12.6),
    ]);
    expect(table.split('\n')).toHaveLength(TARGETS.length + 2);
    expect(rowOf(table, 'Embedded ingest, 10 events')).toEqual([
      'Embedded ingest, 10 events',
      '≥ 30,000 posts/s',
      '200,000 posts 21,600 posts/s (not met)',
      'no',
    ]);
    expect(rowOf(table, 'Word count, 10 M posts')[2]).toBe('as SQL 5.3 s (not met); from the term counts 0.27 s');
    expect(rowOf(table, 'Word count, 10 M posts')[3]).toBe('partly');
    expect(rowOf(table, 'Handover during keyword changes').slice(2)).toEqual(['lost 0 posts; duplicated 0 posts', 'yes']);
    expect(rowOf(table, 'Peak RSS, 2,000,000 posts against 200,000')[2]).toBe('627 MB against 557 MB, 13%');
    expect(rowOf(table, 'Embedded ingest, 1,000 events').slice(2)).toEqual(['—', 'not measured in these rows']);
  });

  it('refuses a target it does not know', () => {
    expect(() => goal('speed' as never, 'x', 1)).toThrow(/no bench target speed/u);
  });
});
