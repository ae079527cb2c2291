// Notebooks: named lists of SQL cells with how each result is shown. Pure validation and the starter notebooks.

import { keptWordCountSql, type Sql, wordCountSql } from './analyses.js';
import { type FieldError, ValidationError } from './errors.js';

export type CellView = 'table' | 'bar' | 'line' | 'pie';
export const CELL_VIEWS: readonly CellView[] = ['table', 'bar', 'line', 'pie'];

export interface NotebookCell {
  sql: string;
  view: CellView;
  /** Columns plotted when the view is a chart. */
  x?: string;
  y?: string;
}

export interface Notebook {
  name: string;
  cells: NotebookCell[];
  updatedAt: string;
  /** Who may change or delete it (besides admins); "vigil" for the starter notebooks. */
  owner: string;
}

export function validateNotebookCells(body: unknown): NotebookCell[] {
  const cells = (typeof body === 'object' && body !== null ? (body as Record<string, unknown>).cells : undefined) as unknown;
  if (!Array.isArray(cells)) throw new ValidationError([{ field: 'cells', message: 'is required: an array of {"sql", "view"}' }]);
  const errors: FieldError[] = [];
  if (cells.length > 200) errors.push({ field: 'cells', message: 'must hold at most 200 cells' });
  const out = cells.map((c: unknown, i): NotebookCell => {
    const o = (typeof c === 'object' && c !== null ? c : {}) as Record<string, unknown>;
    if (typeof o.sql !== 'string') errors.push({ field: `cells[${i}].sql`, message: 'must be a string' });
    else if (o.sql.length > 100_000) errors.push({ field: `cells[${i}].sql`, message: 'must be at most 100,000 characters' });
    const view = o.view ?? 'table';
    if (!CELL_VIEWS.includes(view as CellView)) errors.push({ field: `cells[${i}].view`, message: `must be one of ${CELL_VIEWS.join(', ')}` });
    for (const k of ['x', 'y'] as const)
      if (o[k] !== undefined && typeof o[k] !== 'string') errors.push({ field: `cells[${i}].${k}`, message: 'must be a column name' });
    const cell: NotebookCell = { sql: String(o.sql ?? ''), view: view as CellView };
    if (typeof o.x === 'string') cell.x = o.x;
    if (typeof o.y === 'string') cell.y = o.y;
    return cell;
  });
  if (errors.length > 0) throw new ValidationError(errors);
  return out;
}

export function validateNotebookName(name: string): string {
  const n = name.trim();
  if (n === '' || [...n].length > 100 || /[\p{Cc}/]/u.test(n))
    throw new ValidationError([{ field: 'name', message: 'must be 1–100 characters, without "/" or control characters' }]);
  return n;
}

/**
 * `tweet` holds one row per (event, post): a post matching two events is two rows. The starters count a post once:
 * within one event (the one with most posts, until the reader names theirs), or over all events by (platform, t_id).
 */
const ONE_EVENT = '(SELECT event_name FROM tweet GROUP BY event_name ORDER BY count(*) DESC, event_name LIMIT 1)';
const A_POST = "count(DISTINCT platform || ':' || t_id)";

/** The notebooks a new install starts with, in the SQL of its query engine. */
export function starterNotebooks(q: Sql): Omit<Notebook, 'updatedAt' | 'owner'>[] {
  const eventPosts = `(SELECT t_text FROM tweet WHERE event_name = ${ONE_EVENT}) AS posts`;
  return [
    {
      name: 'Word count (thesis)',
      cells: [
        {
          sql: `-- Project EPIC's Spark word count (EPIC Analyze, Listing 6.1 of the thesis) over the posts of one event, each once.
-- The event with most posts; to pick yours, write its name instead: WHERE event_name = '2012 Hurricane Sandy'
-- Words are counted as written, then lower-cased: the same counts as lower-casing each word, in less time.
${wordCountSql(q, eventPosts)}
LIMIT 50`,
          view: 'table',
        },
        {
          sql: `-- The same words without the empty ones${q.termCounts ? ', summed from the counts Vigil keeps as it stores posts (milliseconds on millions of posts)' : ''}\nSELECT word, n FROM (${keptWordCountSql(q, ONE_EVENT)}) AS counted\nWHERE word <> ''\nORDER BY n DESC, word LIMIT 15`,
          view: 'bar',
          x: 'word',
          y: 'n',
        },
      ],
    },
    {
      name: 'Event overview',
      cells: [
        {
          sql: `-- Per event: its posts (one row each). A post matching several events counts in each of them.\nSELECT event_name, count(*) AS posts, min(t_created_at) AS first, max(t_created_at) AS last\nFROM tweet GROUP BY 1 ORDER BY posts DESC`,
          view: 'table',
        },
        {
          sql: `SELECT date_trunc('hour', t_created_at) AS hour, ${A_POST} AS posts\nFROM tweet GROUP BY 1 ORDER BY 1`,
          view: 'line',
          x: 'hour',
          y: 'posts',
        },
        {
          sql: `SELECT CASE WHEN t_is_a_retweet THEN 'retweets' ELSE 'original posts' END AS kind, ${A_POST} AS n\nFROM tweet GROUP BY 1`,
          view: 'pie',
          x: 'kind',
          y: 'n',
        },
        {
          sql: `-- Over all events, each post once (by platform and id), and the rows it takes.\nSELECT ${A_POST} AS posts, count(*) AS rows FROM tweet`,
          view: 'table',
        },
      ],
    },
  ];
}
