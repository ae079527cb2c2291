// Notebook page: cells of read-only SQL over the stored rows, run with Ctrl-Enter, shown as a table or a chart,
// saved in named notebooks.

import { useEffect, useMemo, useRef, useState } from 'react';
import { api, csrfToken, downloadFile, enc, fmtNumber, fmtTime, fmtValue, type Notebook, type NotebookCell, type QueryResult, type QuerySchema } from '../api';
import { Chart } from '../components/Chart';
import { useElapsed } from '../components/useElapsed';

type Schema = QuerySchema;

const PAGE = 25;

function ResultTable({ result }: { result: QueryResult }) {
  const [sort, setSort] = useState<{ col: string; desc: boolean } | null>(null);
  const [page, setPage] = useState(0);
  const rows = useMemo(() => {
    if (!sort) return result.rows;
    const cmp = (a: unknown, b: unknown): number =>
      a === b
        ? 0
        : a === null || a === undefined
          ? 1
          : b === null || b === undefined
            ? -1
            : typeof a === 'number' && typeof b === 'number'
              ? a - b
              : String(a).localeCompare(String(b));
    return [...result.rows].sort((x, y) => (sort.desc ? -1 : 1) * cmp(x[sort.col], y[sort.col]));
  }, [result, sort]);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const shown = rows.slice(page * PAGE, page * PAGE + PAGE);
  // Numbers are right-aligned, so their digits line up.
  const numeric = new Set(result.columns.filter((c) => result.rows.some((r) => typeof r[c.name] === 'number')).map((c) => c.name));
  return (
    <div className="result">
      <div className="table-wrap">
        <table className="striped" data-testid="result-table">
          <thead>
            <tr>
              {result.columns.map((c) => (
                <th
                  key={c.name}
                  scope="col"
                  className={numeric.has(c.name) ? 'num' : undefined}
                  onClick={() => setSort({ col: c.name, desc: sort?.col === c.name ? !sort.desc : false })}
                  title={`${c.type}; click to sort`}
                >
                  {c.name}
                  {sort?.col === c.name ? (sort.desc ? ' ▼' : ' ▲') : ''}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: result rows have no identity of their own
              <tr key={i}>
                {result.columns.map((c) => (
                  <td key={c.name} className={numeric.has(c.name) ? 'num' : undefined}>
                    {fmtValue(r[c.name], c.type)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 && (
        <div className="row pager">
          <button type="button" className="outline small-btn" disabled={page === 0} onClick={() => setPage(page - 1)}>
            ‹ Prev
          </button>
          <span>
            page {page + 1} of {pages}
          </span>
          <button type="button" className="outline small-btn" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
            Next ›
          </button>
        </div>
      )}
    </div>
  );
}

function Cell({ cell, index, onChange, onRemove }: { cell: NotebookCell; index: number; onChange: (c: NotebookCell) => void; onRemove: () => void }) {
  const [result, setResult] = useState<QueryResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState<{ id: string; controller: AbortController; since: number } | null>(null);
  const elapsed = useElapsed(running?.since ?? null, 100);
  const [saving, setSaving] = useState<string | null>(null);
  const run = async (): Promise<void> => {
    if (running) return;
    const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const controller = new AbortController();
    setRunning({ id, controller, since: Date.now() });
    setError(null);
    try {
      const r = await api<QueryResult>('POST', '/api/query', { sql: cell.sql, queryId: id }, controller.signal);
      setResult(r);
      const cols = r.columns.map((c) => c.name);
      if (cell.view !== 'table' && (!cell.x || !cols.includes(cell.x) || !cell.y || !cols.includes(cell.y)))
        onChange({ ...cell, x: cols[0], y: cols[1] ?? cols[0] });
    } catch (e) {
      setResult(null);
      setError((e as Error).name === 'AbortError' ? 'cancelled' : (e as Error).message);
    } finally {
      setRunning(null);
    }
  };
  /** The whole result (up to the row limit) as a file, run again on the server: the table shows what was run then. */
  const save = async (format: 'csv' | 'parquet'): Promise<void> => {
    setSaving(`preparing ${format.toUpperCase()}…`);
    try {
      const { truncated } = await downloadFile('/api/query/download', { sql: cell.sql, format }, `vigil-result.${format}`);
      setSaving(truncated ? `saved; cut at the ${truncated === 'rows' ? 'row' : 'size'} limit` : null);
    } catch (e) {
      setSaving(null);
      setError((e as Error).message);
    }
  };
  const cancel = (): void => {
    if (!running) return;
    void api('POST', `/api/query/${enc(running.id)}/cancel`).catch(() => undefined);
  };
  const cols = result?.columns.map((c) => c.name) ?? [];
  const { x, y } = cell;
  const chart =
    result && cell.view !== 'table' && x && y ? (
      <Chart
        kind={cell.view}
        labels={result.rows.map((r) => fmtValue(r[x], result.columns.find((c) => c.name === x)?.type ?? ''))}
        values={result.rows.map((r) => Number(r[y] ?? 0))}
        label={y}
        testId={`cell-chart-${index}`}
      />
    ) : null;
  return (
    <article className="cell" data-testid={`cell-${index}`}>
      <textarea
        aria-label={`SQL of cell ${index + 1}`}
        value={cell.sql}
        spellCheck={false}
        rows={Math.min(14, Math.max(3, cell.sql.split('\n').length + 1))}
        onChange={(e) => onChange({ ...cell, sql: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void run();
          }
        }}
      />
      <div className="row cell-bar">
        {running ? (
          <>
            <button type="button" aria-busy="true" disabled data-testid="running">
              Running… {(elapsed / 1000).toFixed(1)} s
            </button>
            <button type="button" className="secondary" onClick={cancel} data-testid="cancel">
              Cancel
            </button>
          </>
        ) : (
          <button type="button" onClick={() => void run()} title="Ctrl-Enter">
            Run ▸
          </button>
        )}
        <select
          aria-label="show as"
          value={cell.view}
          onChange={(e) => onChange({ ...cell, view: e.target.value as NotebookCell['view'], x: cell.x ?? cols[0], y: cell.y ?? cols[1] })}
        >
          <option value="table">table</option>
          <option value="bar">bar chart</option>
          <option value="line">line chart</option>
          <option value="pie">pie chart</option>
        </select>
        {cell.view !== 'table' && cols.length > 0 && (
          <>
            <label className="inline">
              x{' '}
              <select aria-label="x column" value={cell.x} onChange={(e) => onChange({ ...cell, x: e.target.value })}>
                {cols.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <label className="inline">
              y{' '}
              <select aria-label="y column" value={cell.y} onChange={(e) => onChange({ ...cell, y: e.target.value })}>
                {cols.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
          </>
        )}
        <span className="spacer" />
        {result && (
          <small className="muted" data-testid="result-meta">
            {fmtNumber(result.rowCount)} rows{result.truncated ? ' (cut at the row limit)' : ''} · {fmtNumber(result.elapsedMs)} ms
          </small>
        )}
        {result && (
          <>
            {(['csv', 'parquet'] as const).map((f) => (
              <button
                key={f}
                type="button"
                className="outline small-btn"
                onClick={() => void save(f)}
                disabled={saving?.startsWith('preparing')}
                data-testid={`download-${f}`}
              >
                ⤓ {f === 'csv' ? 'CSV' : 'Parquet'}
              </button>
            ))}
            {saving && (
              <small className="muted" aria-live="polite" data-testid="download-state">
                {saving}
              </small>
            )}
          </>
        )}
        <button type="button" className="outline secondary small-btn" onClick={onRemove} aria-label="remove cell">
          ✕
        </button>
      </div>
      {error && (
        <pre className="error" role="alert" data-testid="cell-error">
          {error}
        </pre>
      )}
      {result && (cell.view === 'table' ? <ResultTable result={result} /> : chart)}
    </article>
  );
}

function SchemaDocs() {
  const [schema, setSchema] = useState<Schema | null>(null);
  useEffect(() => {
    void api<Schema>('GET', '/api/schema').then(setSchema, () => undefined);
  }, []);
  return (
    <details className="schema">
      <summary>
        Tables and columns
        {schema ? (
          <>
            {' '}
            · queries run on <strong data-testid="query-engine">{schema.engine === 'spark' ? 'Spark' : 'DuckDB'}</strong>
          </>
        ) : null}
      </summary>
      {schema && <p className="muted">Write {schema.dialect}.</p>}
      {schema?.tables.map((t) => (
        <div key={t.name}>
          <h4>
            <code>{t.name}</code>
          </h4>
          <p className="muted">{t.doc}</p>
          <table className="schema-table">
            <tbody>
              {t.columns.map((c) => (
                <tr key={c.name}>
                  <td>
                    <code>{c.name}</code>
                  </td>
                  <td className="muted">{c.type}</td>
                  <td>{c.doc}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      <p className="muted">Queries are read-only (one SELECT per cell), cannot touch files or the network, and stop at the row and time limits.</p>
    </details>
  );
}

export function NotebookPage({ name }: { name: string | null }) {
  const [notebooks, setNotebooks] = useState<Notebook[]>([]);
  const [cells, setCells] = useState<NotebookCell[]>([]);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [newName, setNewName] = useState('');
  const [deleting, setDeleting] = useState(false);
  const keys = useRef<number[]>([]);
  const nextKey = useRef(0);
  const current = name ?? notebooks[0]?.name ?? null;

  // A load answered after a newer one started, or after the cells were edited, must not overwrite them.
  const loads = useRef(0);
  const edits = useRef(0);
  const load = async (): Promise<void> => {
    const seq = ++loads.current;
    const editsBefore = edits.current;
    const list = await api<Notebook[]>('GET', '/api/notebooks');
    if (seq !== loads.current) return;
    setNotebooks(list);
    if (edits.current !== editsBefore) return;
    const nb = list.find((n) => n.name === (name ?? list[0]?.name));
    const c = nb?.cells ?? [{ sql: 'SELECT count(*) AS posts FROM tweet', view: 'table' as const }];
    keys.current = c.map(() => nextKey.current++);
    setCells(c);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the notebook is loaded when its name in the address changes
  useEffect(() => {
    void load().catch((e: Error) => setError(e.message));
  }, [name]);

  // Edits are saved by themselves a second after the last change, and at once when another notebook or page is
  // opened; a notebook that is not yours to change says so and asks before its edits are left behind.
  const pending = useRef<{ name: string; cells: NotebookCell[] } | null>(null);
  const [unsavable, setUnsavable] = useState<string | null>(null);
  const edited = (next: NotebookCell[]): void => {
    edits.current++;
    setCells(next);
    if (current) pending.current = { name: current, cells: next };
  };
  const flush = async (keepalive = false): Promise<void> => {
    const p = pending.current;
    if (!p) return;
    try {
      if (keepalive) {
        // Leaving the page: a request the browser finishes after the page is gone.
        void fetch(`/api/notebooks/${enc(p.name)}`, {
          method: 'PUT',
          keepalive: true,
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
          body: JSON.stringify({ cells: p.cells }),
        });
        pending.current = null;
        return;
      }
      await api('PUT', `/api/notebooks/${enc(p.name)}`, { cells: p.cells });
      if (pending.current === p) pending.current = null;
      setUnsavable(null);
      setSaved(`saved automatically ${fmtTime(new Date().toISOString())}`);
    } catch (e) {
      setUnsavable(`your changes are not saved: ${(e as Error).message}. Use “Save as” to keep them under a name of yours.`);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the timer restarts at every edit
  useEffect(() => {
    if (!pending.current || unsavable) return;
    const t = setTimeout(() => void flush(), 1000);
    return () => clearTimeout(t);
  }, [cells]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: edits of the notebook being left are saved when the address changes and when the page closes
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent): void => {
      if (pending.current) e.preventDefault();
    };
    addEventListener('beforeunload', warn);
    return () => {
      removeEventListener('beforeunload', warn);
      if (pending.current) void flush(true);
    };
  }, [name]);

  const save = async (as?: string): Promise<void> => {
    const target = as ?? current;
    if (!target) return;
    setError(null);
    try {
      await api('PUT', `/api/notebooks/${enc(target)}`, { cells });
      pending.current = null;
      setUnsavable(null);
      setSaved(`saved ${fmtTime(new Date().toISOString())}`);
      if (as) location.hash = `#/notebook/${enc(as)}`;
      else setNotebooks(await api<Notebook[]>('GET', '/api/notebooks'));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const addCell = (): void => {
    keys.current.push(nextKey.current++);
    edited([...cells, { sql: 'SELECT * FROM tweet LIMIT 10', view: 'table' }]);
  };

  return (
    <>
      <div className="row notebook-bar">
        <select
          aria-label="notebook"
          value={current ?? ''}
          onChange={(e) => {
            const to = e.target.value;
            if (unsavable && pending.current && !confirm(`Leave “${current}” without saving your changes?`)) return;
            if (unsavable) pending.current = null;
            location.hash = `#/notebook/${enc(to)}`;
          }}
          data-testid="notebook-select"
        >
          {notebooks.map((n) => (
            <option key={n.name} value={n.name}>
              {n.name}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void save()}>
          Save
        </button>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (newName.trim() !== '') void save(newName.trim()).then(() => setNewName(''));
          }}
        >
          <input aria-label="new notebook name" placeholder="new notebook name" value={newName} onChange={(e) => setNewName(e.target.value)} />
          <button className="outline" type="submit" disabled={newName.trim() === ''}>
            Save as
          </button>
        </form>
        {current &&
          (deleting ? (
            <span className="confirm" role="alertdialog" aria-label="confirm delete">
              Delete “{current}”?
              <button
                type="button"
                className="danger"
                onClick={() =>
                  void api('DELETE', `/api/notebooks/${enc(current)}`).then(() => {
                    setDeleting(false);
                    location.hash = '#/notebook';
                    void load();
                  })
                }
              >
                Yes, delete
              </button>
              <button type="button" className="secondary" onClick={() => setDeleting(false)}>
                Keep
              </button>
            </span>
          ) : (
            <button type="button" className="outline danger" onClick={() => setDeleting(true)}>
              Delete
            </button>
          ))}
        <span className="spacer" />
        {saved && !unsavable && (
          <small className="muted" data-testid="notebook-saved">
            {saved}
          </small>
        )}
      </div>
      {unsavable && (
        <p className="error" role="alert" data-testid="notebook-unsaved">
          {unsavable}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <SchemaDocs />
      <p className="muted">
        Write SQL in a cell and press <kbd>Ctrl</kbd>+<kbd>Enter</kbd> to run it. Show the result as a table (click a heading to sort) or as a chart.
      </p>
      {cells.map((c, i) => (
        <Cell
          key={keys.current[i]}
          index={i}
          cell={c}
          onChange={(nc) => edited(cells.map((x, j) => (j === i ? nc : x)))}
          onRemove={() => {
            keys.current.splice(i, 1);
            edited(cells.filter((_, j) => j !== i));
          }}
        />
      ))}
      <button type="button" className="outline" onClick={addCell}>
        + Add cell
      </button>
    </>
  );
}
