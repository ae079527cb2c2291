// What a person's SQL may do, decided from DuckDB's own parse of it (json_serialize_sql), never from its first word:
// exactly one statement, a query (DuckDB serializes nothing else: no EXPLAIN ANALYZE of a write, no PRAGMA, CALL,
// SET, ATTACH, COPY, DDL or DML), reading only the analysis tables (and the CTEs it defines, in their scope), calling
// only table functions that read nothing outside the query, no function that changes state or reveals settings, and
// no function asked to build a value larger than a bound. Pure: it reads the parse tree DuckDB hands back.

import { DIALECTS } from '../../core/analyses.js';
import { QueryError } from '../../core/errors.js';
import { RAW_FUNCTION } from './raw-function.js';

/** The tables a query may read: the documented analysis tables of DuckDB's dialect. */
export const ANALYSIS_TABLES = DIALECTS.duckdb.tables;

/** Table functions that only compute from their arguments. */
const TABLE_FUNCTIONS = new Set(['unnest', 'range', 'generate_series', 'json_each', 'json_tree']);

/** Functions that change state, run other SQL or reveal the server's settings (paths). */
const FORBIDDEN_FUNCTIONS = new Set([
  'query',
  'query_table',
  'nextval',
  'currval',
  'setval',
  'current_setting',
  'getvariable',
  'checkpoint',
  'force_checkpoint',
  'enable_profiling',
  'disable_profiling',
  // Reads the embedded log by position: the view `tweet` calls it for raw; a person's query would reach posts no event kept.
  RAW_FUNCTION,
]);

/** Functions that build values as large as a size argument; that argument must be a constant within its bound. */
const SIZED: Record<string, { arg: number; max: number }> = {
  repeat: { arg: 1, max: 100_000 },
  lpad: { arg: 1, max: 100_000 },
  rpad: { arg: 1, max: 100_000 },
  list_resize: { arg: 1, max: 1_000_000 },
  array_resize: { arg: 1, max: 1_000_000 },
  bar: { arg: 3, max: 10_000 },
};
/** `range(a, b)` and `generate_series(a, b)` as values (lists, not FROM): the span must be constant and bounded. */
const SCALAR_SERIES = new Set(['range', 'generate_series']);
const MAX_SERIES = 1_000_000;

/** Kinds of FROM items a query may use. */
const TABLE_REFS = new Set(['BASE_TABLE', 'JOIN', 'SUBQUERY', 'TABLE_FUNCTION', 'EXPRESSION_LIST', 'EMPTY', 'PIVOT', 'SHOW_REF', 'DELIM_GET']);

export interface ReadOnlyLimits {
  /** Most parse-tree nodes (a query built to exhaust the planner is refused before it is planned). */
  maxNodes: number;
}

type Node = Record<string, unknown>;

const refused = (why: string): QueryError =>
  new QueryError(`${why}; only read-only queries over the analysis tables (${ANALYSIS_TABLES.join(', ')}) may run here`, 'VIGIL_QUERY_REFUSED');

function constantNumber(n: unknown): number | null {
  const o = n as Node | null;
  if (o?.class !== 'CONSTANT') return null;
  const v = (o.value as Node | undefined)?.value;
  return typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/u.test(v) ? Number(v) : null;
}

/** Checks one statement's parse tree (`statements[i].node` of json_serialize_sql); throws QueryError (403) if refused. */
export function checkQueryTree(tree: unknown, allowedTables: ReadonlySet<string>, limits: ReadOnlyLimits): void {
  let nodes = 0;
  const visit = (value: unknown, scope: ReadonlySet<string>, inFrom: boolean): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v, scope, false);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (++nodes > limits.maxNodes)
      throw new QueryError(`the query is too large (more than ${limits.maxNodes} parts); split it or simplify it`, 'VIGIL_TOO_LARGE');
    const o = value as Node;
    let inner = scope;
    const cteMap = (o.cte_map as { map?: { key: string; value: { query?: { node?: Node } } }[] } | undefined)?.map;
    if (cteMap && cteMap.length > 0) {
      // Each CTE sees the ones before it (and itself when recursive); the query sees all of them.
      const seen = new Set(scope);
      for (const entry of cteMap) {
        const name = entry.key.toLowerCase();
        const body = entry.value?.query?.node;
        visit(body, body?.type === 'RECURSIVE_CTE_NODE' ? new Set([...seen, name]) : seen, false);
        seen.add(name);
      }
      inner = seen;
    }
    if (isTableRef(o)) checkTableRef(o, inner, allowedTables);
    if (o.class === 'FUNCTION') checkFunction(o, inFrom);
    for (const [k, v] of Object.entries(o)) {
      if (k === 'cte_map') continue;
      // Only the call a table function ref makes is "in FROM"; its arguments are values again.
      visit(v, inner, k === 'function' && o.type === 'TABLE_FUNCTION');
    }
  };
  visit(tree, new Set(), false);
}

function isTableRef(o: Node | null): boolean {
  return o !== null && typeof o === 'object' && typeof o.type === 'string' && !('class' in o) && 'sample' in o && 'alias' in o && o.type !== 'SELECT_NODE';
}

function checkTableRef(o: Node, scope: ReadonlySet<string>, allowed: ReadonlySet<string>): void {
  const type = o.type as string;
  if (!TABLE_REFS.has(type)) throw refused(`reading from a ${type.toLowerCase().replace(/_/gu, ' ')} is not allowed`);
  if (type === 'TABLE_FUNCTION') {
    const name = String((o.function as Node | undefined)?.function_name ?? '').toLowerCase();
    if (!TABLE_FUNCTIONS.has(name)) throw refused(`the table function ${name}() is not allowed (allowed: ${[...TABLE_FUNCTIONS].join(', ')})`);
    return;
  }
  if (type !== 'BASE_TABLE' && !(type === 'SHOW_REF' && o.table_name)) return;
  const table = String(o.table_name ?? '').toLowerCase();
  const schema = String(o.schema_name ?? '').toLowerCase();
  const catalog = String(o.catalog_name ?? '').toLowerCase();
  if (schema === '' && catalog === '' && scope.has(table)) return;
  if (catalog !== '' || !(schema === '' || schema === 'main') || !allowed.has(table))
    throw refused(`"${[catalog, schema, table].filter((x) => x !== '').join('.')}" is not an analysis table`);
}

function checkFunction(o: Node, inFrom: boolean): void {
  const name = String(o.function_name ?? '').toLowerCase();
  if (FORBIDDEN_FUNCTIONS.has(name) || name.startsWith('duckdb_') || name.startsWith('pragma_')) throw refused(`the function ${name}() is not allowed`);
  if (o.catalog || (o.schema && String(o.schema).toLowerCase() !== 'main'))
    throw refused(`functions of another schema or database (${String(o.catalog || o.schema)}.${name}) are not allowed`);
  const args = (o.children as unknown[] | undefined) ?? [];
  const sized = SIZED[name];
  if (sized) {
    const n = constantNumber(args[sized.arg]);
    if (n === null || n > sized.max) throw refused(`${name}() may build values of at most ${sized.max.toLocaleString('en-US')} (give the size as a number)`);
  }
  if (SCALAR_SERIES.has(name) && !inFrom) {
    const nums = args.map(constantNumber);
    const span = nums.length === 1 ? nums[0] : nums.length >= 2 && nums[0] !== null && nums[1] !== null ? nums[1] - nums[0] : null;
    if (nums.some((x) => x === null) || span === null || Math.abs(span) > MAX_SERIES)
      throw refused(`${name}() as a value may hold at most ${MAX_SERIES.toLocaleString('en-US')} numbers given as constants (use it in FROM to stream more)`);
  }
}
