// Notebooks in the accounts database (table `vigil_notebook`, out of reach of user SQL). Each has an owner: the
// person who created it may change or delete it, and so may admins; everyone else saves a copy under a new name.
// The starter notebooks, added on first start, belong to Vigil itself (owner "vigil"): admins only.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { AccessLevel } from '../../core/access.js';
import { DIALECTS } from '../../core/analyses.js';
import { ForbiddenError, NotFoundError } from '../../core/errors.js';
import { type Notebook, type NotebookCell, starterNotebooks } from '../../core/notebook.js';
import type { SqlDialect } from '../../core/ports.js';
import type { DuckDb } from './database.js';
import { toJson } from './values.js';

/** The owner of the starter notebooks and of notebooks saved before owners were recorded. */
export const SYSTEM_OWNER = 'vigil';

export interface NotebookActor {
  user: string;
  role: AccessLevel;
}

export class DuckDbNotebookRepository {
  private constructor(private readonly conn: DuckDBConnection) {}

  /**
   * On the accounts database (accounts-database.ts declares the table). A new installation gets the starter
   * notebooks, written in the SQL of the query engine in use.
   */
  static async open(db: DuckDb, dialect: SqlDialect = 'duckdb'): Promise<DuckDbNotebookRepository> {
    return new DuckDbNotebookRepository(await db.connect()).withStarters(dialect);
  }

  /** Adds the starter notebooks when there are no notebooks at all (a new installation). */
  private async withStarters(dialect: SqlDialect): Promise<this> {
    const n = Number((await this.conn.runAndReadAll('SELECT count(*) FROM vigil_notebook')).getRows()[0][0]);
    if (n === 0) for (const s of starterNotebooks(DIALECTS[dialect])) await this.write(s.name, s.cells, SYSTEM_OWNER);
    return this;
  }

  async list(): Promise<Notebook[]> {
    const r = await this.conn.runAndReadAll('SELECT name, cells, updated_at, owner FROM vigil_notebook ORDER BY name');
    return (await r.convertRowObjects(toJson)).map((o) => ({
      name: o.name as string,
      cells: JSON.parse(o.cells as string) as NotebookCell[],
      updatedAt: o.updated_at as string,
      owner: (o.owner as string | null) ?? SYSTEM_OWNER,
    }));
  }

  async get(name: string): Promise<Notebook> {
    const n = (await this.list()).find((x) => x.name === name);
    if (!n) throw new NotFoundError(`no notebook named "${name}"`);
    return n;
  }

  private async ownerOf(name: string): Promise<string | null | undefined> {
    const rows = (await this.conn.runAndReadAll('SELECT owner FROM vigil_notebook WHERE name = $1', [name])).getRows();
    return rows.length === 0 ? undefined : ((rows[0][0] as string | null) ?? SYSTEM_OWNER);
  }

  private mayChange(owner: string, actor: NotebookActor, name: string): void {
    if (actor.role === 'admin' || owner === actor.user) return;
    throw new ForbiddenError(
      `the notebook "${name}" belongs to ${owner === SYSTEM_OWNER ? 'Vigil (a starter notebook)' : owner}; save your version under another name`,
    );
  }

  /** Creates the notebook for `actor`, or replaces it when `actor` owns it (or is an admin). */
  async save(name: string, cells: NotebookCell[], actor: NotebookActor): Promise<Notebook> {
    const owner = await this.ownerOf(name);
    if (owner !== undefined && owner !== null) this.mayChange(owner, actor, name);
    return this.write(name, cells, owner ?? actor.user);
  }

  private async write(name: string, cells: NotebookCell[], owner: string): Promise<Notebook> {
    const now = new Date().toISOString();
    await this.conn.run('INSERT OR REPLACE INTO vigil_notebook (name, cells, updated_at, owner) VALUES ($1, $2, $3::TIMESTAMP, $4)', [
      name,
      JSON.stringify(cells),
      now,
      owner,
    ]);
    return { name, cells, updatedAt: now, owner };
  }

  async delete(name: string, actor: NotebookActor): Promise<void> {
    const owner = await this.ownerOf(name);
    if (owner === undefined || owner === null) throw new NotFoundError(`no notebook named "${name}"`);
    this.mayChange(owner, actor, name);
    await this.conn.run('DELETE FROM vigil_notebook WHERE name = $1', [name]);
  }
}
