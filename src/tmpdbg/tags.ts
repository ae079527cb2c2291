import { DuckDBInstance } from '@duckdb/node-api';

const inst = await DuckDBInstance.create('/tmp/vb/tags-10M.duckdb', { memory_limit: '256MB', access_mode: 'READ_WRITE' });
const c = await inst.connect();
const time = async (label: string, sql: string, runs = 7) => {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await c.runAndReadAll(sql);
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  console.log(label.padEnd(40), 'median', t[Math.floor(runs / 2)].toFixed(0), 'max', t[runs - 1].toFixed(0));
};
await time(
  'current top hashtags',
  `SELECT lower(v) AS hashtag, CAST(sum(c) AS BIGINT) AS n FROM (SELECT v, count(*) AS c FROM (SELECT unnest(hashtags) AS v FROM tweet_row WHERE event_name = 'bench') GROUP BY v) GROUP BY lower(v) ORDER BY n DESC, hashtag LIMIT 20`,
);
await time('unnest count only', `SELECT count(*) FROM (SELECT unnest(hashtags) AS v FROM tweet_row WHERE event_name = 'bench')`);
await time('scan list only', `SELECT sum(len(hashtags)) FROM tweet_row WHERE event_name = 'bench'`);
console.log((await c.runAndReadAll(`SELECT count(*), sum(len(hashtags)), count(DISTINCT event_name) FROM tweet_row`)).getRows());
await c.run('DROP TABLE IF EXISTS tag_count');
const s = performance.now();
await c.run(
  `CREATE TABLE tag_count AS SELECT event_name, lower(tag) AS tag, count(*) AS n FROM (SELECT event_name, unnest(hashtags) AS tag, rowid // 4000 AS b FROM tweet_row) GROUP BY event_name, lower(tag), b`,
);
console.log('partials build ms', (performance.now() - s).toFixed(0), (await c.runAndReadAll('SELECT count(*) FROM tag_count')).getRows());
await time(
  'from per-batch partials',
  `SELECT tag AS hashtag, CAST(sum(n) AS BIGINT) AS n FROM tag_count WHERE event_name = 'bench' GROUP BY tag ORDER BY n DESC, hashtag LIMIT 20`,
);
await c.run(`CREATE OR REPLACE TABLE tag_count AS SELECT event_name, tag, sum(n) AS n FROM tag_count GROUP BY ALL`);
console.log((await c.runAndReadAll('SELECT count(*) FROM tag_count')).getRows());
await time(
  'from compacted',
  `SELECT tag AS hashtag, CAST(sum(n) AS BIGINT) AS n FROM tag_count WHERE event_name = 'bench' GROUP BY tag ORDER BY n DESC, hashtag LIMIT 20`,
);
await c.run('DROP TABLE tag_count');
