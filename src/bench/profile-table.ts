// The profile table of BENCHMARKS.md: where an embedded ingest's CPU goes, stage by stage, as measured by
// `node scripts/profile-ingest.mjs` (perf for every thread's native frames, cpu-prof for the JavaScript). It is not
// re-measured by `vigil bench` (it needs Linux perf): run the script and paste its table here.

export const PROFILE_SECTION = `## Where an ingested post's CPU goes

\`node scripts/profile-ingest.mjs --events N --posts 200000\` (needs \`npm run build\` and Linux \`perf\`), 2026-12-04,
on this machine: the benchmark's ingest (with \`vigil import --data\`'s settings: DuckDB on one thread, whose work
then runs on the libuv pool's threads) run twice on the same stream, each profiled from the moment ingest begins
(creating the events comes before), once under \`perf record -g\` (every thread's CPU; V8's JSON parser and garbage
collector, DuckDB, zlib and the kernel named by their native frames) and once under \`node --cpu-prof\` (which
JavaScript runs on the main and worker threads, which perf cannot name). Each perf sample goes to the first stage
its frames show; what is left on a JavaScript thread is split by the cpu-prof self time of its source files. perf
adds overhead and the host is shared: read the shares. The tables are of 2026-12-04 (afternoon, one thread's
JSON.parse of the stream at about 115,000 posts/s), after the store stopped checking for repeats inside its INSERT
(the notes above): DuckDB's insert and check 14 and 25 CPU-µs/post at 10 and 1,000 events, against 18 and 28 in
the tables of that morning (94 and 123 CPU-µs/post in all, a quiet host: one thread's JSON.parse at about 120,000
posts/s). The afternoon of 2026-12-03's tables, DuckDB on every core, read 131 CPU-µs/post at 10 events and 205 at
1,000 (DuckDB's insert and check 27 and 45); that morning's 116 and 164; those of 2026-12-02 151 and 199. On
2026-12-04, DuckDB on every core, the first run after the machine booted read 129 at 10 events, 17 of them copying
into the page cache and zeroing new pages, the host faulting in memory nothing had used yet (the notes above);
about 1 in the tables below.

### 10 events, 200,000 posts: 20,293 posts/s, 90 CPU-µs/post under perf

Threads: classifier workers 35.4%, libuv pool 29.7%, main thread 23.6%, V8 platform threads 11.3%.

| Stage | Share of process CPU | CPU-µs/post |
| --- | ---: | ---: |
| DuckDB: insert, keep-once check | 15.4% | 14 |
| V8 garbage collection | 10.2% | 9 |
| JSON.parse (posts on the workers, state on the main thread) | 9.7% | 9 |
| classifier workers: match (tokens, keyword look-up) | 5.5% | 5 |
| file reads and writes (syscalls) | 5.4% | 5 |
| libuv pool: other native work (memory copies, allocation) | 5.2% | 5 |
| log packing (Brotli) | 5.0% | 5 |
| main thread: other JavaScript (bus, promises, Node internals) | 4.8% | 4 |
| classifier workers: other JavaScript (bus, promises, Node internals) | 4.4% | 4 |
| classifier workers: row JSON and row ids | 4.2% | 4 |
| JSON.stringify (the row JSON) | 4.2% | 4 |
| V8 compiling JavaScript | 3.9% | 3 |
| thread wake-ups and switches (kernel) | 3.6% | 3 |
| DuckDB: checkpoints (compressing row groups) | 2.9% | 3 |
| classifier workers: normalize (platform payload → row fields) | 2.7% | 2 |
| hashes (the file content id, row ids) | 2.5% | 2 |
| UTF-8 encoding and decoding | 2.4% | 2 |
| DuckDB: parsing the row JSON | 2.1% | 2 |
| main thread: DuckDB binding (values into DuckDB) | 2.1% | 2 |
| log checksums (crc32) | 2.0% | 2 |
| V8 platform threads: other native work (memory copies, allocation) | 0.6% | 1 |
| main thread: classifier: batches to and from the workers | 0.5% | 0 |
| main thread: log: records, reads, appends | 0.4% | 0 |

### 1,000 events, 200,000 posts: 14,637 posts/s, 121 CPU-µs/post under perf

Threads: classifier workers 35.8%, libuv pool 34.2%, main thread 19.9%, V8 platform threads 10.1%.

| Stage | Share of process CPU | CPU-µs/post |
| --- | ---: | ---: |
| DuckDB: insert, keep-once check | 20.5% | 25 |
| V8 garbage collection | 9.4% | 11 |
| JSON.parse (posts on the workers, state on the main thread) | 8.0% | 10 |
| classifier workers: match (tokens, keyword look-up) | 7.0% | 8 |
| libuv pool: other native work (memory copies, allocation) | 6.0% | 7 |
| JSON.stringify (the row JSON) | 5.1% | 6 |
| main thread: other JavaScript (bus, promises, Node internals) | 4.9% | 6 |
| classifier workers: row JSON and row ids | 4.9% | 6 |
| classifier workers: other JavaScript (bus, promises, Node internals) | 4.0% | 5 |
| log packing (Brotli) | 3.7% | 4 |
| file reads and writes (syscalls) | 3.6% | 4 |
| thread wake-ups and switches (kernel) | 3.2% | 4 |
| V8 compiling JavaScript | 3.0% | 4 |
| DuckDB: checkpoints (compressing row groups) | 3.0% | 4 |
| main thread: DuckDB binding (values into DuckDB) | 2.2% | 3 |
| UTF-8 encoding and decoding | 2.2% | 3 |
| classifier workers: normalize (platform payload → row fields) | 2.2% | 3 |
| hashes (the file content id, row ids) | 2.0% | 2 |
| DuckDB: parsing the row JSON | 1.9% | 2 |
| log checksums (crc32) | 1.6% | 2 |
| main thread: classifier: batches to and from the workers | 0.5% | 1 |
| V8 platform threads: other native work (memory copies, allocation) | 0.5% | 1 |
| main thread: log: records, reads, appends | 0.4% | 0 |

Against issue #18's profile (\`../shared/design/ingest-profile.md\`, the same method at 200,000 posts: about 420
CPU-µs/post under perf at 10 events, about 640 at 1,000): DuckDB's work 153 → about 24 CPU-µs/post at 10 events and
279 → about 38 at 1,000 (its stages above with the libuv pool's other native work; on 2026-12-03, DuckDB on every
core and a busier host, 44 and 71); garbage collection 66 → 10 and 87 → 11; the row JSON's stringify 27 → 4 and
40 → 5; the log's encoding and decoding 18 → about
4 and 39 → about 4 (UTF-8 work is now a stage of its own); reading and splitting the replayed file's lines 9 → under 1
(its reads are counted with the other syscalls); the row object spread 7 → 0. No stage is more than about a fifth of the
whole: 30,000 posts/s (about 65 CPU-µs/post on 2 cores) would need several of them gone at once (the profile's
DuckDB-parses design, not built). What 1,000 events add is mostly per row (2.18 rows a post against 1.22): DuckDB's
insert and check, the row JSON, garbage.

Compiling JavaScript is mostly warm-up. In the table above the normalizer and the matcher were compiled again each
time posts of a shape not seen yet reached them (V8's "wrong map" deoptimizations; recognizeTwitterV1 10–12 times at
about 200 ms each): \`node --trace-opt\` counted 5.3 s of compiling in a 50,000-post run and 6.7 s in a 200,000-post
one. Written since as plain loops (no spreads of lists that may be empty literals), they are compiled once per worker
thread: 2.3 s and 2.5 s (2026-12-02), and the bench's 200,000-post runs took 8–10% less CPU (alternated runs).
`;
