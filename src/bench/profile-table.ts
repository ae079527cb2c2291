// The profile table of BENCHMARKS.md: where an embedded ingest's CPU goes, stage by stage, as measured by
// `node scripts/profile-ingest.mjs` (perf for every thread's native frames, cpu-prof for the JavaScript). It is not
// re-measured by `vigil bench` (it needs Linux perf): run the script and paste its table here.

export const PROFILE_SECTION = `## Where an ingested post's CPU goes

\`node scripts/profile-ingest.mjs --events N --posts 200000\` (needs \`npm run build\` and Linux \`perf\`), 2026-12-05,
on this machine: the benchmark's ingest (with \`vigil import --data\`'s settings: DuckDB on one thread, whose work
then runs on the libuv pool's threads) run twice on the same stream, each profiled from the moment ingest begins
(creating the events comes before): once under \`perf record -g\` (every thread's CPU; V8's JSON parser and garbage
collector, DuckDB, zlib and the kernel named by their native frames) and once under \`node --cpu-prof\` (which
JavaScript runs on the main and worker threads, which perf cannot name). Each perf sample goes to the first stage its
frames show; what is left on a JavaScript thread is split by the cpu-prof self time of its source files. perf adds
overhead and the host is shared: read the shares. The tables are of 2026-12-05, 03:30–03:35 UTC (one thread's
JSON.parse of the stream at about 90,000 posts/s). Since that day the script runs the bench's default of classifier
workers (one on these 2 cores; it ran two, the default before 2026-12-04), and each profile ends when the ingest
ends: before, it ran until the ingest's process exited, and a term count the store began in a quiet moment after the
ingest (37 s at 1,000 events under perf) was counted as the ingest's (DuckDB's insert and check then read 60
CPU-µs/post at 1,000 events, 53% of the samples). Earlier tables, each with DuckDB's insert and check: 2026-12-04 20:26 UTC 17 and 22
CPU-µs/post at 10 and 1,000 events (114 and 145 in all, a slow hour), 18:15 UTC 18 and 34 (the 1,000-event figure most
likely with term counting in it); the afternoon of 2026-12-03, DuckDB on every core, 131 and 205 in all; 2026-12-02
151 and 199.

### 10 events, 200,000 posts: 19,252 posts/s, 81 CPU-µs/post under perf

Threads: classifier workers 43.4%, libuv pool 30.9%, main thread 16.1%, V8 platform threads 9.6%.

| Stage | Share of process CPU | CPU-µs/post |
| --- | ---: | ---: |
| JSON.parse (posts on the workers, state on the main thread) | 16.6% | 13 |
| DuckDB: insert, keep-once check | 14.3% | 12 |
| V8 garbage collection | 9.0% | 7 |
| file reads and writes (syscalls) | 5.5% | 4 |
| main thread: other JavaScript (bus, promises, Node internals) | 5.3% | 4 |
| classifier workers: match (tokens, keyword look-up) | 5.2% | 4 |
| classifier workers: row JSON and row ids | 5.1% | 4 |
| JSON.stringify (the row JSON) | 5.0% | 4 |
| libuv pool: other native work (memory copies, allocation) | 5.0% | 4 |
| classifier workers: other JavaScript (bus, promises, Node internals) | 4.0% | 3 |
| classifier workers: normalize (platform payload → row fields) | 3.3% | 3 |
| DuckDB: checkpoints (compressing row groups) | 3.1% | 3 |
| V8 compiling JavaScript | 3.0% | 2 |
| UTF-8 encoding and decoding | 2.8% | 2 |
| log checksums (crc32) | 2.5% | 2 |
| hashes (the file content id, row ids) | 2.4% | 2 |
| thread wake-ups and switches (kernel) | 2.4% | 2 |
| DuckDB: parsing the row JSON | 2.1% | 2 |
| main thread: log: records, reads, appends | 0.8% | 1 |
| log packing (Brotli) | 0.7% | 1 |
| main thread: DuckDB binding (values into DuckDB) | 0.6% | 0 |
| main thread: classifier: batches to and from the workers | 0.5% | 0 |
| V8 platform threads: other native work (memory copies, allocation) | 0.4% | 0 |

### 1,000 events, 200,000 posts: 16,437 posts/s, 99 CPU-µs/post under perf

Threads: classifier workers 43.5%, libuv pool 32.7%, main thread 15.1%, V8 platform threads 8.7%.

| Stage | Share of process CPU | CPU-µs/post |
| --- | ---: | ---: |
| DuckDB: insert, keep-once check | 15.7% | 15 |
| JSON.parse (posts on the workers, state on the main thread) | 12.9% | 13 |
| classifier workers: match (tokens, keyword look-up) | 9.0% | 9 |
| V8 garbage collection | 8.2% | 8 |
| libuv pool: other native work (memory copies, allocation) | 6.1% | 6 |
| classifier workers: row JSON and row ids | 6.1% | 6 |
| main thread: other JavaScript (bus, promises, Node internals) | 5.9% | 6 |
| JSON.stringify (the row JSON) | 5.3% | 5 |
| file reads and writes (syscalls) | 4.0% | 4 |
| classifier workers: other JavaScript (bus, promises, Node internals) | 3.9% | 4 |
| DuckDB: checkpoints (compressing row groups) | 3.0% | 3 |
| V8 compiling JavaScript | 2.6% | 3 |
| classifier workers: normalize (platform payload → row fields) | 2.6% | 3 |
| UTF-8 encoding and decoding | 2.3% | 2 |
| DuckDB: parsing the row JSON | 2.3% | 2 |
| log checksums (crc32) | 2.1% | 2 |
| hashes (the file content id, row ids) | 1.9% | 2 |
| thread wake-ups and switches (kernel) | 1.8% | 2 |
| log packing (Brotli) | 1.4% | 1 |
| main thread: DuckDB binding (values into DuckDB) | 1.2% | 1 |
| main thread: log: records, reads, appends | 0.6% | 1 |
| main thread: classifier: batches to and from the workers | 0.5% | 1 |
| V8 platform threads: other native work (memory copies, allocation) | 0.2% | 0 |

Against issue #18's profile (\`../shared/design/ingest-profile.md\`, the same method at 200,000 posts: about 420
CPU-µs/post under perf at 10 events, about 640 at 1,000): DuckDB's work 153 → about 21 CPU-µs/post at 10 events and
279 → about 26 at 1,000 (its stages above with the libuv pool's other native work; on 2026-12-03, DuckDB on every
core and a busier host, 44 and 71); garbage collection 66 → 7 and 87 → 8; the row JSON's stringify 27 → 4 and
40 → 5; the log's encoding and decoding 18 → about 2 and 39 → about 2 (UTF-8 work is now a stage of its own); reading
and splitting the replayed file's lines 9 → under 1 (its reads are counted with the other syscalls); the row object
spread 7 → 0. No stage is more than about a fifth of the
whole: 30,000 posts/s (about 65 CPU-µs/post on 2 cores) would need several of them gone at once (the profile's
DuckDB-parses design, not built). What 1,000 events add is mostly matching (4 → 9 CPU-µs/post: more terms a post
meets) and per row (2.18 rows a post against 1.22): DuckDB's insert and check, the row JSON, garbage.

Compiling JavaScript is mostly warm-up. In the table above the normalizer and the matcher were compiled again each
time posts of a shape not seen yet reached them (V8's "wrong map" deoptimizations; recognizeTwitterV1 10–12 times at
about 200 ms each): \`node --trace-opt\` counted 5.3 s of compiling in a 50,000-post run and 6.7 s in a 200,000-post
one. Written since as plain loops (no spreads of lists that may be empty literals), they are compiled once per worker
thread: 2.3 s and 2.5 s (2026-12-02), and the bench's 200,000-post runs took 8–10% less CPU (alternated runs).
`;
