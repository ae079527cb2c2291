// The profile table of BENCHMARKS.md: where an embedded ingest's CPU goes, stage by stage, as measured by
// `node scripts/profile-ingest.mjs` (perf for every thread's native frames, cpu-prof for the JavaScript). It is not
// re-measured by `vigil bench` (it needs Linux perf): run the script and paste its table here.

export const PROFILE_SECTION = `## Where an ingested post's CPU goes

\`node scripts/profile-ingest.mjs --events N --posts 200000\` (needs \`npm run build\` and Linux \`perf\`), 2026-12-04,
on this machine: the benchmark's ingest (with \`vigil import --data\`'s settings: DuckDB on one thread, whose work
then runs on the libuv pool's threads) run twice on the same stream, each profiled from the moment ingest begins
(creating the events comes before): once under \`perf record -g\` (every thread's CPU; V8's JSON parser and garbage
collector, DuckDB, zlib and the kernel named by their native frames) and once under \`node --cpu-prof\` (which
JavaScript runs on the main and worker threads, which perf cannot name). Each perf sample goes to the first stage its
frames show; what is left on a JavaScript thread is split by the cpu-prof self time of its source files. perf adds overhead and the host is shared: read the shares. The tables are of
2026-12-04, 20:26–20:32 UTC (a slow hour: one thread's JSON.parse of the stream at 59,000–82,000 posts/s), after the
store stopped counting terms during a bulk import (the notes above). The tables before them (18:15 UTC: 101 and 151
CPU-µs/post) had DuckDB's insert and check at 18 and 34 CPU-µs/post: at 1,000 events most likely with term counting
in it, which ran beside some imports and not others; these read 17 and 22. Earlier: after bulk imports began
committing many batches at once, DuckDB's insert and check 19 and 23 CPU-µs/post at 10 and 1,000 events, its
compressing of row groups 6 and 5, against 14 + 3 and 25 + 4 in the tables of that afternoon (90 and 121
CPU-µs/post in all, one thread's JSON.parse at about 115,000 posts/s). The afternoon of 2026-12-03's tables, DuckDB
on every core, read 131 CPU-µs/post at 10 events and 205 at 1,000; those of 2026-12-02 151 and 199. On 2026-12-04,
DuckDB on every core, the first run after the machine booted read 129 at 10 events, 17 of them copying into the page
cache and zeroing new pages (the notes above); about 1 in the tables below.

### 10 events, 200,000 posts: 15,993 posts/s, 114 CPU-µs/post under perf

Threads: classifier workers 38.8%, libuv pool 27.9%, main thread 23.3%, V8 platform threads 10.0%.

| Stage | Share of process CPU | CPU-µs/post |
| --- | ---: | ---: |
| DuckDB: insert, keep-once check | 15.3% | 17 |
| JSON.parse (posts on the workers, state on the main thread) | 12.8% | 15 |
| V8 garbage collection | 9.0% | 10 |
| libuv pool: other native work (memory copies, allocation) | 4.8% | 5 |
| classifier workers: match (tokens, keyword look-up) | 4.8% | 5 |
| classifier workers: other JavaScript (bus, promises, Node internals) | 4.6% | 5 |
| main thread: other JavaScript (bus, promises, Node internals) | 4.5% | 5 |
| classifier workers: row JSON and row ids | 4.3% | 5 |
| log packing (Brotli) | 4.3% | 5 |
| file reads and writes (syscalls) | 4.3% | 5 |
| DuckDB: checkpoints (compressing row groups) | 4.2% | 5 |
| JSON.stringify (the row JSON) | 4.1% | 5 |
| V8 compiling JavaScript | 3.8% | 4 |
| UTF-8 encoding and decoding | 3.2% | 4 |
| classifier workers: normalize (platform payload → row fields) | 3.1% | 3 |
| thread wake-ups and switches (kernel) | 2.9% | 3 |
| main thread: DuckDB binding (values into DuckDB) | 2.7% | 3 |
| DuckDB: parsing the row JSON | 2.2% | 2 |
| log checksums (crc32) | 2.1% | 2 |
| hashes (the file content id, row ids) | 1.2% | 1 |
| main thread: log: records, reads, appends | 0.8% | 1 |
| main thread: classifier: batches to and from the workers | 0.6% | 1 |
| V8 platform threads: other native work (memory copies, allocation) | 0.3% | 0 |

### 1,000 events, 200,000 posts: 12,347 posts/s, 145 CPU-µs/post under perf

Threads: classifier workers 41.5%, libuv pool 27.8%, main thread 19.5%, V8 platform threads 11.3%.

| Stage | Share of process CPU | CPU-µs/post |
| --- | ---: | ---: |
| DuckDB: insert, keep-once check | 15.4% | 22 |
| V8 garbage collection | 10.2% | 15 |
| classifier workers: match (tokens, keyword look-up) | 10.2% | 15 |
| JSON.parse (posts on the workers, state on the main thread) | 9.2% | 13 |
| main thread: other JavaScript (bus, promises, Node internals) | 5.8% | 8 |
| classifier workers: row JSON and row ids | 5.2% | 7 |
| classifier workers: other JavaScript (bus, promises, Node internals) | 5.1% | 7 |
| libuv pool: other native work (memory copies, allocation) | 5.0% | 7 |
| JSON.stringify (the row JSON) | 4.4% | 6 |
| file reads and writes (syscalls) | 3.8% | 5 |
| V8 compiling JavaScript | 3.6% | 5 |
| log packing (Brotli) | 3.4% | 5 |
| UTF-8 encoding and decoding | 3.0% | 4 |
| DuckDB: checkpoints (compressing row groups) | 3.0% | 4 |
| classifier workers: normalize (platform payload → row fields) | 2.6% | 4 |
| thread wake-ups and switches (kernel) | 2.2% | 3 |
| DuckDB: parsing the row JSON | 2.0% | 3 |
| log checksums (crc32) | 1.4% | 2 |
| hashes (the file content id, row ids) | 1.2% | 2 |
| main thread: log: records, reads, appends | 1.0% | 1 |
| main thread: classifier: batches to and from the workers | 0.8% | 1 |
| main thread: DuckDB binding (values into DuckDB) | 0.8% | 1 |
| V8 platform threads: other native work (memory copies, allocation) | 0.3% | 0 |

Against issue #18's profile (\`../shared/design/ingest-profile.md\`, the same method at 200,000 posts: about 420
CPU-µs/post under perf at 10 events, about 640 at 1,000): DuckDB's work 153 → about 29 CPU-µs/post at 10 events and
279 → about 36 at 1,000 (its stages above with the libuv pool's other native work; on 2026-12-03, DuckDB on every
core and a busier host, 44 and 71); garbage collection 66 → 10 and 87 → 15; the row JSON's stringify 27 → 5 and
40 → 6; the log's encoding and decoding 18 → about
4 and 39 → about 4 (UTF-8 work is now a stage of its own); reading and splitting the replayed file's lines 9 → under 1
(its reads are counted with the other syscalls); the row object spread 7 → 0. No stage is more than about a fifth of the
whole: 30,000 posts/s (about 65 CPU-µs/post on 2 cores) would need several of them gone at once (the profile's
DuckDB-parses design, not built). What 1,000 events add is mostly matching (5 → 15 CPU-µs/post: more terms a post
meets) and per row (2.18 rows a post against 1.22): DuckDB's insert and check, the row JSON, garbage.

Compiling JavaScript is mostly warm-up. In the table above the normalizer and the matcher were compiled again each
time posts of a shape not seen yet reached them (V8's "wrong map" deoptimizations; recognizeTwitterV1 10–12 times at
about 200 ms each): \`node --trace-opt\` counted 5.3 s of compiling in a 50,000-post run and 6.7 s in a 200,000-post
one. Written since as plain loops (no spreads of lists that may be empty literals), they are compiled once per worker
thread: 2.3 s and 2.5 s (2026-12-02), and the bench's 200,000-post runs took 8–10% less CPU (alternated runs).
`;
