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
adds overhead and the host is shared: read the shares. The tables are of the code after a row batch became one
JSON line per post, whose rows DuckDB expands (2026-12-03, afternoon), on a busier host than in the morning (one
thread's JSON.parse of the stream 15% slower). The morning's tables (row batches as bytes, Twitter dates of a
month's last days without Date) read 116 CPU-µs/post at 10 events and 164 at 1,000; DuckDB parsing the row JSON
took 3.0% and 3.9% of them, 1.5% of both now. Those of 2026-12-02 read 151 and 199.

### 10 events, 200,000 posts: 13,644 posts/s, 131 CPU-µs/post under perf

Threads: libuv pool 31.6%, classifier workers 28.5%, main thread 21.0%, V8 platform threads 10.9%, DuckDB's thread 8.1%.

| Stage | Share of process CPU | CPU-µs/post |
| --- | ---: | ---: |
| DuckDB: insert, keep-once check | 20.3% | 27 |
| V8 garbage collection | 9.3% | 12 |
| JSON.parse (posts on the workers, state on the main thread) | 8.5% | 11 |
| libuv pool: other native work (memory copies, allocation) | 8.0% | 10 |
| main thread: other JavaScript (bus, promises, Node internals) | 6.9% | 9 |
| file reads and writes (syscalls) | 4.3% | 6 |
| thread wake-ups and switches (kernel) | 4.2% | 6 |
| V8 compiling JavaScript | 4.0% | 5 |
| classifier workers: other JavaScript (bus, promises, Node internals) | 4.0% | 5 |
| log packing (Brotli) | 4.0% | 5 |
| classifier workers: match (tokens, keyword look-up) | 3.6% | 5 |
| UTF-8 encoding and decoding | 3.5% | 5 |
| JSON.stringify (the row JSON) | 3.1% | 4 |
| classifier workers: row JSON and row ids | 2.6% | 3 |
| DuckDB: checkpoints (compressing row groups) | 2.0% | 3 |
| DuckDB's thread: other native work (memory copies, allocation) | 1.9% | 2 |
| classifier workers: normalize (platform payload → row fields) | 1.6% | 2 |
| DuckDB: parsing the row JSON | 1.5% | 2 |
| main thread: DuckDB binding (values into DuckDB) | 1.5% | 2 |
| main thread: log: records, reads, appends | 1.4% | 2 |
| hashes (the file content id, row ids) | 1.3% | 2 |
| log checksums (crc32) | 1.1% | 1 |
| V8 platform threads: other native work (memory copies, allocation) | 0.6% | 1 |
| main thread: classifier: batches to and from the workers | 0.6% | 1 |

### 1,000 events, 200,000 posts: 9,125 posts/s, 205 CPU-µs/post under perf

Threads: libuv pool 30.3%, classifier workers 29.1%, main thread 19.7%, V8 platform threads 12.5%, DuckDB's thread 8.4%.

| Stage | Share of process CPU | CPU-µs/post |
| --- | ---: | ---: |
| DuckDB: insert, keep-once check | 22.0% | 45 |
| V8 garbage collection | 12.6% | 26 |
| JSON.parse (posts on the workers, state on the main thread) | 7.8% | 16 |
| libuv pool: other native work (memory copies, allocation) | 7.5% | 15 |
| classifier workers: match (tokens, keyword look-up) | 6.1% | 12 |
| main thread: other JavaScript (bus, promises, Node internals) | 6.0% | 12 |
| file reads and writes (syscalls) | 3.6% | 7 |
| thread wake-ups and switches (kernel) | 3.4% | 7 |
| UTF-8 encoding and decoding | 3.4% | 7 |
| V8 compiling JavaScript | 3.4% | 7 |
| classifier workers: other JavaScript (bus, promises, Node internals) | 3.3% | 7 |
| JSON.stringify (the row JSON) | 3.1% | 6 |
| classifier workers: row JSON and row ids | 3.0% | 6 |
| log packing (Brotli) | 2.6% | 5 |
| DuckDB's thread: other native work (memory copies, allocation) | 1.9% | 4 |
| DuckDB: checkpoints (compressing row groups) | 1.8% | 4 |
| DuckDB: parsing the row JSON | 1.5% | 3 |
| classifier workers: normalize (platform payload → row fields) | 1.4% | 3 |
| main thread: DuckDB binding (values into DuckDB) | 1.4% | 3 |
| main thread: log: records, reads, appends | 1.2% | 3 |
| hashes (the file content id, row ids) | 0.9% | 2 |
| log checksums (crc32) | 0.9% | 2 |
| main thread: classifier: batches to and from the workers | 0.5% | 1 |
| V8 platform threads: other native work (memory copies, allocation) | 0.5% | 1 |

Against issue #18's profile (\`../shared/design/ingest-profile.md\`, the same method at 200,000 posts: about 420
CPU-µs/post under perf at 10 events, about 640 at 1,000): DuckDB's work 153 → about 44 CPU-µs/post at 10 events and
279 → about 71 at 1,000 (its stages above with the libuv pool's and its own thread's other native work; the
morning's tables, on a quieter host, read 41 and 68); garbage collection 66 → 12 and 87 → 26; the row JSON's
stringify 27 → 4 and 40 → 6; the log's encoding and decoding 18 → about
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
