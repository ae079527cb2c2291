// DuckDB, embedded: the default store and the query engine over it.

import type { QueryEnginePlugin, StorePlugin } from '../plugin.js';
import { DUCKDB_SETTINGS } from './settings.js';

export const duckdbStore: StorePlugin = {
  name: 'duckdb',
  doc: 'the embedded database under --data (the default)',
  settings: DUCKDB_SETTINGS,
  embedded: true,
  async create({ config, duckdb, log }) {
    const { DuckDbPostStore } = await import('./store.js');
    return DuckDbPostStore.open(await duckdb(), log, { termCountIdleMs: config.termCountIdleMs });
  },
};

export const duckdbQueryEngine: QueryEnginePlugin = {
  name: 'duckdb',
  doc: 'DuckDB SQL over the embedded store (the default)',
  reads: (store) => store.embedded,
  async create({ config, duckdb }) {
    const { DuckDbQueryEngine } = await import('./query-engine.js');
    return new DuckDbQueryEngine(await duckdb(), { memoryGrowthBytes: config.queryMemoryMb * 2 ** 20 });
  },
};
