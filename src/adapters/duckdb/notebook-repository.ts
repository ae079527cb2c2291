// Notebooks in the embedded database (table `vigil_notebook`); the starter notebooks are added on first start.

import type { DuckDBConnection } from '@duckdb/node-api';
import { starterNotebooks, type Notebook, type NotebookCell } from '../../core/notebook.js';
import { DIALECTS } from '../../core/analyses.js';
import type { SqlDialect } from '../../core/ports.js';
import { NotFoundError } from '../../core/ports.js';
import type { DuckDb } from './database.js';
import { toJson } from './values.js';

export class DuckDbNotebookRepository {
  private constructor(private readonly conn: DuckDBConnection) {}

  /** A new database gets the starter notebooks, written in the SQL of the query engine in use. */
  static async open(db: DuckDb, dialect: SqlDialect = 'duckdb'): Promise<DuckDbNotebookRepository> {
    const conn = await db.connect();
    const exists = (await conn.runAndReadAll("SELECT count(*) FROM information_schema.tables WHERE table_name = 'vigil_notebook'")).getRows()[0][0];
    await conn.run('CREATE TABLE IF NOT EXISTS vigil_notebook (name VARCHAR PRIMARY KEY, cells VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL)');
    const repo = new DuckDbNotebookRepository(conn);
    if (Number(exists) === 0) for (const n of starterNotebooks(DIALECTS[dialect])) await repo.save(n.name, n.cells);
    return repo;
  }

  async list(): Promise<Notebook[]> {
    const r = await this.conn.runAndReadAll('SELECT name, cells, updated_at FROM vigil_notebook ORDER BY name');
    return (await r.convertRowObjects(toJson)).map((o) => ({ name: o.name as string, cells: JSON.parse(o.cells as string) as NotebookCell[], updatedAt: o.updated_at as string }));
  }

  async get(name: string): Promise<Notebook> {
    const n = (await this.list()).find((x) => x.name === name);
    if (!n) throw new NotFoundError(`no notebook named "${name}"`);
    return n;
  }

  async save(name: string, cells: NotebookCell[]): Promise<Notebook> {
    const now = new Date().toISOString();
    await this.conn.run('INSERT OR REPLACE INTO vigil_notebook VALUES ($1, $2, $3::TIMESTAMP)', [name, JSON.stringify(cells), now]);
    return { name, cells, updatedAt: now };
  }

  async delete(name: string): Promise<void> {
    const r = await this.conn.runAndReadAll('DELETE FROM vigil_notebook WHERE name = $1 RETURNING name', [name]);
    if (r.currentRowCount === 0) throw new NotFoundError(`no notebook named "${name}"`);
  }
}
