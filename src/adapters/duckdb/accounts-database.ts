// The private database of a data directory (<data>/accounts.duckdb): accounts, sessions, API tokens, sealed
// credentials, the audit log and notebooks. It is a DuckDB database of its own, never attached to the one user SQL
// runs on (<data>/vigil.duckdb), so no query can name or read it. Data directories written before it existed kept
// these tables in vigil.duckdb; `moveAccountTables` moves them here on the first start.

import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../util/log.js';
import { type DuckDb, openDuckDb } from './database.js';
import { runForEach } from './prepared.js';

export const ACCOUNTS_FILE = 'accounts.duckdb';

/** The tables that hold secrets or people's work, kept out of the analysis database. */
export const PRIVATE_TABLES = ['vigil_user', 'vigil_token', 'vigil_session', 'vigil_audit', 'vigil_credential', 'vigil_notebook'] as const;
/** The tables with a key: a row already moved (a move cut short) is not moved twice. The audit log has none. */
const KEYED = new Set<string>(['vigil_user', 'vigil_token', 'vigil_session', 'vigil_credential', 'vigil_notebook']);

/** The private tables, declared here once (the repositories read and write them). */
const SCHEMA = [
  'CREATE TABLE IF NOT EXISTS vigil_user (name VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, password_hash VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)',
  'CREATE TABLE IF NOT EXISTS vigil_token (id VARCHAR PRIMARY KEY, user_name VARCHAR NOT NULL, label VARCHAR NOT NULL, role VARCHAR NOT NULL, token_sha256 VARCHAR NOT NULL UNIQUE, created_at TIMESTAMP NOT NULL, revoked_at TIMESTAMP)',
  'CREATE TABLE IF NOT EXISTS vigil_session (id VARCHAR PRIMARY KEY, user_name VARCHAR NOT NULL, kind VARCHAR NOT NULL, token_id VARCHAR, role_cap VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL, revoked_at TIMESTAMP)',
  'CREATE TABLE IF NOT EXISTS vigil_audit (happened_at TIMESTAMP NOT NULL, user_name VARCHAR NOT NULL, action VARCHAR NOT NULL, target VARCHAR NOT NULL, status INTEGER NOT NULL)',
  'CREATE TABLE IF NOT EXISTS vigil_credential (name VARCHAR PRIMARY KEY, sealed VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL)',
  'CREATE TABLE IF NOT EXISTS vigil_notebook (name VARCHAR PRIMARY KEY, cells VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL, owner VARCHAR)',
];

/**
 * Opens <data>/accounts.duckdb with its tables, and moves into it what an earlier Vigil kept in the analysis
 * database `analysis` (when given: the process that holds that database).
 */
export async function openAccountsDb(dataDir: string, analysis: DuckDb | null, log: Logger): Promise<DuckDb> {
  const db = await openDuckDb(join(dataDir, ACCOUNTS_FILE), { memoryLimit: '64MB', threads: 1 });
  const conn = await db.connect();
  try {
    for (const ddl of SCHEMA) await conn.run(ddl);
    // Notebooks had no owner before.
    await conn.run('ALTER TABLE vigil_notebook ADD COLUMN IF NOT EXISTS owner VARCHAR');
  } finally {
    db.disconnect(conn);
  }
  if (analysis) await moveAccountTables(analysis, db, log);
  return db;
}

async function tablesOf(conn: DuckDBConnection): Promise<Set<string>> {
  const r = await conn.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'");
  return new Set(r.getRows().map((row) => String(row[0])));
}

async function columnsOf(conn: DuckDBConnection, table: string): Promise<string[]> {
  const r = await conn.runAndReadAll(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $1 ORDER BY ordinal_position",
    [table],
  );
  return r.getRows().map((row) => String(row[0]));
}

/**
 * Copies every private table still in the analysis database into the accounts database (whose tables the
 * repositories have created), then drops it there. Columns the old table lacks keep their defaults; a row already
 * present (same key) is kept as it is. Safe to run on every start: there is nothing to move the second time.
 */
export async function moveAccountTables(analysis: DuckDb, accounts: DuckDb, log: Logger): Promise<void> {
  const from = await analysis.connect();
  const to = await accounts.connect();
  try {
    const present = await tablesOf(from);
    const target = await tablesOf(to);
    for (const table of PRIVATE_TABLES) {
      if (!present.has(table) || !target.has(table)) continue;
      const wanted = new Set(await columnsOf(to, table));
      const columns = (await columnsOf(from, table)).filter((c) => wanted.has(c));
      const list = columns.map((c) => `"${c}"`).join(', ');
      const reader = await from.runAndReadAll(`SELECT ${list} FROM ${table}`);
      const rows = reader.getRows();
      const types = reader.columnTypes();
      await to.run('BEGIN TRANSACTION');
      try {
        const insert = `INSERT ${KEYED.has(table) ? 'OR IGNORE ' : ''}INTO ${table} (${list}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
        await runForEach(to, insert, rows, types);
        await to.run('COMMIT');
      } catch (err) {
        await to.run('ROLLBACK').catch(() => undefined);
        throw new Error(`moving ${table} into ${ACCOUNTS_FILE} failed (nothing was dropped; Vigil tries again on the next start): ${errorMessage(err)}`);
      }
      await from.run(`DROP TABLE ${table}`);
      log.info(`moved ${rows.length} row(s) of ${table} into ${ACCOUNTS_FILE}, out of reach of user SQL`);
    }
  } finally {
    analysis.disconnect(from);
    accounts.disconnect(to);
  }
}
