// The profile table of BENCHMARKS.md: where an embedded ingest's CPU goes, stage by stage, as measured by
// `node scripts/profile-ingest.mjs` (perf for every thread's native frames, cpu-prof for the JavaScript). It is not
// re-measured by `vigil bench` (it needs Linux perf): run the script and paste its table here.

export const PROFILE_SECTION = `## Where an ingested post's CPU goes

\`node scripts/profile-ingest.mjs --events N --posts 200000\` (needs \`npm run build\` and Linux \`perf\`), 2026-12-02,
on this machine: the benchmark's ingest run twice on the same stream, each profiled from the moment ingest begins
(creating the events comes before), once under \`perf record -g\` (every thread's CPU; V8's JSON parser and garbage
collector, DuckDB, zlib and the kernel named by their native frames) and once under \`node --cpu-prof\` (which
JavaScript runs on the main and worker threads, which perf cannot name). Each perf sample goes to the first stage
its frames show; what is left on a JavaScript thread is split by the cpu-prof self time of its source files. perf
adds overhead, and the host was busy that day: read the shares.

### 10 events, 200,000 posts: 10,026 posts/s, 185 CPU-µs/post under perf

Threads: classifier workers 29.9%, libuv pool (DuckDB's queries, file I/O) 27.2%, main thread 19.0%, V8 platform
threads (garbage collection, compiling) 15.5%, DuckDB's own thread 8.4%.

| Stage | Share of process CPU | CPU-µs/post |
| --- | ---: | ---: |
| DuckDB: insert, keep-once check, hashtag counts | 16.5% | 31 |
| V8 garbage collection | 12.1% | 22 |
| JSON.parse (posts on the workers, state on the main thread) | 7.5% | 14 |
| V8 compiling JavaScript | 6.6% | 12 |
| libuv pool: other native work (memory copies, allocation) | 6.4% | 12 |
| main thread: other JavaScript (bus, promises, Node internals) | 6.2% | 11 |
| file reads and writes (syscalls) | 4.2% | 8 |
| thread wake-ups and switches (kernel) | 4.0% | 7 |
| classifier workers: match (tokens, keyword look-up) | 3.7% | 7 |
| UTF-8 encoding and decoding | 3.6% | 7 |
| classifier workers: row JSON and row ids | 3.5% | 7 |
| DuckDB: parsing the row JSON | 3.1% | 6 |
| log packing (Brotli) | 3.1% | 6 |
| classifier workers: other JavaScript (bus, promises, Node internals) | 2.9% | 5 |
| classifier workers: normalize (platform payload → row fields) | 2.9% | 5 |
| JSON.stringify (the row JSON) | 2.6% | 5 |
| DuckDB's own thread: other native work (memory copies, allocation) | 1.9% | 4 |
| main thread: DuckDB binding (values into DuckDB) | 1.9% | 3 |
| DuckDB: checkpoints (compressing row groups) | 1.7% | 3 |
| main thread: log: records, reads, appends | 1.2% | 2 |
| hashes (the file content id, row ids) | 1.2% | 2 |
| V8 platform threads: other native work (memory copies, allocation) | 1.1% | 2 |
| log checksums (crc32) | 0.9% | 2 |
| main thread: classifier: batches to and from the workers | 0.6% | 1 |

### 1,000 events, 200,000 posts: 7,408 posts/s, 249 CPU-µs/post under perf

Threads: libuv pool 31.1%, classifier workers 28.2%, main thread 19.2%, V8 platform threads 12.7%, DuckDB's own
thread 8.9%.

| Stage | Share of process CPU | CPU-µs/post |
| --- | ---: | ---: |
| DuckDB: insert, keep-once check, hashtag counts | 20.3% | 51 |
| V8 garbage collection | 11.0% | 27 |
| libuv pool: other native work (memory copies, allocation) | 8.0% | 20 |
| JSON.parse (posts on the workers, state on the main thread) | 6.1% | 15 |
| main thread: other JavaScript (bus, promises, Node internals) | 5.3% | 13 |
| classifier workers: match (tokens, keyword look-up) | 4.9% | 12 |
| V8 compiling JavaScript | 4.6% | 11 |
| file reads and writes (syscalls) | 4.2% | 11 |
| classifier workers: row JSON and row ids | 3.9% | 10 |
| UTF-8 encoding and decoding | 3.7% | 9 |
| DuckDB: parsing the row JSON | 3.6% | 9 |
| thread wake-ups and switches (kernel) | 3.2% | 8 |
| JSON.stringify (the row JSON) | 2.9% | 7 |
| classifier workers: other JavaScript (bus, promises, Node internals) | 2.7% | 7 |
| main thread: DuckDB binding (values into DuckDB) | 2.4% | 6 |
| classifier workers: normalize (platform payload → row fields) | 2.3% | 6 |
| log packing (Brotli) | 2.2% | 6 |
| DuckDB's own thread: other native work (memory copies, allocation) | 2.1% | 5 |
| DuckDB: checkpoints (compressing row groups) | 2.0% | 5 |
| hashes (the file content id, row ids) | 0.9% | 2 |
| log checksums (crc32) | 0.9% | 2 |
| V8 platform threads: other native work (memory copies, allocation) | 0.8% | 2 |
| main thread: log: records, reads, appends | 0.8% | 2 |
| main thread: classifier: batches to and from the workers | 0.5% | 1 |

Against issue #18's profile (\`../shared/design/ingest-profile.md\`, the same method at 200,000 posts: about 420
CPU-µs/post under perf at 10 events, about 640 at 1,000): DuckDB's work 153 → about 55 CPU-µs/post at 10 events and
279 → about 90 at 1,000 (its stages above with the libuv pool's and its own thread's other native work); garbage
collection 66 → 22 and 87 → 27; the row JSON's stringify 27 → 5 and 40 → 7; the log's encoding and decoding 18 → about
4 and 39 → about 4 (UTF-8 work is now a stage of its own); reading and splitting the replayed file's lines 9 → under 1
(its reads are counted with the other syscalls); the row object spread 7 → 0. No stage is more than about a fifth of the
whole: 30,000 posts/s (about 65 CPU-µs/post on 2 cores) would need several of them gone at once (the profile's
DuckDB-parses design, not built). What 1,000 events add is mostly per row (2.18 rows a post against 1.22): DuckDB's
insert and check, the row JSON, garbage.

Compiling JavaScript is mostly warm-up: the normalizer and the matcher are compiled again each time posts of a shape
not seen yet reach them (V8's "wrong map" deoptimizations; recognizeTwitterV1 10–12 times at about 200 ms each).
\`node --trace-opt\` counts 5.3 s of compiling in a 50,000-post run and 6.7 s in a 200,000-post one, so a 200,000-post
figure carries most of it and a long import little.
`;
