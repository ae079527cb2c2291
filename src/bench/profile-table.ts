// The profile table of BENCHMARKS.md: where an embedded ingest's CPU goes, stage by stage, as measured by
// `node scripts/profile-ingest.mjs` (perf for every thread's native frames, cpu-prof for the JavaScript). It is not
// re-measured by `vigil bench` (it needs Linux perf): run the script and paste its table here.

export const PROFILE_SECTION = `## Where an ingested post's CPU goes

\`node scripts/profile-ingest.mjs --events N --posts 200000\` (needs \`npm run build\` and Linux \`perf\`), 2026-12-03,
on this machine: the benchmark's ingest run twice on the same stream, each profiled from the moment ingest begins
(creating the events comes before), once under \`perf record -g\` (every thread's CPU; V8's JSON parser and garbage
collector, DuckDB, zlib and the kernel named by their native frames) and once under \`node --cpu-prof\` (which
JavaScript runs on the main and worker threads, which perf cannot name). Each perf sample goes to the first stage
its frames show; what is left on a JavaScript thread is split by the cpu-prof self time of its source files. perf
adds overhead and the host is shared: read the shares. The tables are of the code after the row batches became
bytes and Twitter dates of a month's last days stopped going through Date (2026-12-03); the same tables of
2026-12-02 read 151 CPU-µs/post at 10 events (12,038 posts/s) and 199 at 1,000 (9,277 posts/s), V8 compiling 11
and 9 of them, DuckDB's insert 26 and 43.

### 10 events, 200,000 posts: 15,670 posts/s, 116 CPU-µs/post under perf

Threads: libuv pool 30.8%, classifier workers 27.6%, main thread 20.1%, V8 platform threads 11.9%, DuckDB's thread
9.6%.

| Stage | Share of process CPU | CPU-µs/post |
| --- | ---: | ---: |
| DuckDB: insert, keep-once check | 19.2% | 22 |
| V8 garbage collection | 11.0% | 13 |
| JSON.parse (posts on the workers, state on the main thread) | 8.3% | 10 |
| libuv pool: other native work (memory copies, allocation) | 8.0% | 9 |
| main thread: other JavaScript (bus, promises, Node internals) | 6.5% | 8 |
| file reads and writes (syscalls) | 4.1% | 5 |
| thread wake-ups and switches (kernel) | 4.0% | 5 |
| log packing (Brotli) | 3.8% | 4 |
| V8 compiling JavaScript | 3.8% | 4 |
| classifier workers: other JavaScript (bus, promises, Node internals) | 3.7% | 4 |
| classifier workers: match (tokens, keyword look-up) | 3.2% | 4 |
| classifier workers: row JSON and row ids | 3.1% | 4 |
| UTF-8 encoding and decoding | 3.1% | 4 |
| DuckDB: parsing the row JSON | 3.0% | 3 |
| JSON.stringify (the row JSON) | 2.5% | 3 |
| DuckDB: checkpoints (compressing row groups) | 2.2% | 3 |
| DuckDB's thread: other native work (memory copies, allocation) | 2.0% | 2 |
| classifier workers: normalize (platform payload → row fields) | 1.8% | 2 |
| main thread: DuckDB binding (values into DuckDB) | 1.5% | 2 |
| hashes (the file content id, row ids) | 1.3% | 2 |
| main thread: log: records, reads, appends | 1.2% | 1 |
| log checksums (crc32) | 1.1% | 1 |
| V8 platform threads: other native work (memory copies, allocation) | 0.8% | 1 |
| main thread: classifier: batches to and from the workers | 0.5% | 1 |

### 1,000 events, 200,000 posts: 11,345 posts/s, 164 CPU-µs/post under perf

Threads: libuv pool 31.5%, classifier workers 26.1%, main thread 19.3%, V8 platform threads 11.8%, DuckDB's thread
11.3%.

| Stage | Share of process CPU | CPU-µs/post |
| --- | ---: | ---: |
| DuckDB: insert, keep-once check | 21.3% | 35 |
| V8 garbage collection | 11.8% | 19 |
| libuv pool: other native work (memory copies, allocation) | 9.9% | 16 |
| JSON.parse (posts on the workers, state on the main thread) | 6.7% | 11 |
| main thread: other JavaScript (bus, promises, Node internals) | 5.2% | 8 |
| classifier workers: match (tokens, keyword look-up) | 5.0% | 8 |
| DuckDB: parsing the row JSON | 3.9% | 6 |
| file reads and writes (syscalls) | 3.6% | 6 |
| classifier workers: other JavaScript (bus, promises, Node internals) | 3.5% | 6 |
| classifier workers: row JSON and row ids | 3.2% | 5 |
| thread wake-ups and switches (kernel) | 3.2% | 5 |
| V8 compiling JavaScript | 3.0% | 5 |
| UTF-8 encoding and decoding | 2.9% | 5 |
| log packing (Brotli) | 2.9% | 5 |
| JSON.stringify (the row JSON) | 2.6% | 4 |
| DuckDB's thread: other native work (memory copies, allocation) | 2.4% | 4 |
| DuckDB: checkpoints (compressing row groups) | 2.3% | 4 |
| main thread: DuckDB binding (values into DuckDB) | 1.7% | 3 |
| classifier workers: normalize (platform payload → row fields) | 1.1% | 2 |
| hashes (the file content id, row ids) | 1.1% | 2 |
| log checksums (crc32) | 0.9% | 1 |
| main thread: log: records, reads, appends | 0.7% | 1 |
| V8 platform threads: other native work (memory copies, allocation) | 0.6% | 1 |
| main thread: classifier: batches to and from the workers | 0.4% | 1 |

Against issue #18's profile (\`../shared/design/ingest-profile.md\`, the same method at 200,000 posts: about 420
CPU-µs/post under perf at 10 events, about 640 at 1,000): DuckDB's work 153 → about 41 CPU-µs/post at 10 events and
279 → about 68 at 1,000 (its stages above with the libuv pool's and its own thread's other native work); garbage
collection 66 → 13 and 87 → 19; the row JSON's stringify 27 → 3 and 40 → 4; the log's encoding and decoding 18 → about
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
