// The profile table of BENCHMARKS.md: where an embedded ingest's CPU goes, stage by stage, as measured by
// `node scripts/profile-ingest.mjs` (perf for every thread's native frames, cpu-prof for the JavaScript). It is not
// re-measured by `vigil bench` (it needs Linux perf): run the script and paste its table here.

export const PROFILE_SECTION = `## Where an ingested post's CPU goes

\`node scripts/profile-ingest.mjs --events 10 --posts 200000\` (needs \`npm run build\` and Linux \`perf\`), 2026-12-02,
on this machine: the benchmark's ingest run twice on the same stream, once under \`perf record -g\` (every thread's
CPU; V8's JSON parser and garbage collector, DuckDB, zlib and the kernel named by their native frames) and once
under \`node --cpu-prof\` (which JavaScript runs on the main and worker threads, which perf cannot name). Each perf
sample goes to the first stage its frames show; what is left on a JavaScript thread is split by the cpu-prof self
time of its source files. perf adds overhead: 10,639 posts/s, 174 CPU-µs/post under it. Read the shares.

Threads: classifier workers 31.0%, libuv pool (DuckDB's queries, file I/O) 26.8%, main thread 19.8%, V8 platform
threads (garbage collection, compiling) 14.5%, DuckDB's own thread 7.9%.

| Stage | Share of process CPU | CPU-µs/post |
| --- | ---: | ---: |
| DuckDB: insert, keep-once check, hashtag counts | 16.7% | 29 |
| V8 garbage collection | 11.3% | 20 |
| JSON.parse (posts on the workers, state on the main thread) | 7.7% | 13 |
| V8 compiling JavaScript | 7.1% | 12 |
| main thread: other JavaScript (bus, promises, Node internals) | 6.9% | 12 |
| libuv pool: other native work (memory copies, allocation) | 6.5% | 11 |
| file reads and writes (syscalls) | 4.2% | 7 |
| UTF-8 encoding and decoding | 4.0% | 7 |
| classifier workers: match (tokens, keyword look-up) | 3.8% | 7 |
| classifier workers: row JSON and row ids | 3.7% | 6 |
| log packing (Brotli) | 3.3% | 6 |
| classifier workers: normalize (platform payload → row fields) | 3.2% | 6 |
| classifier workers: other JavaScript (bus, promises, Node internals) | 3.1% | 5 |
| DuckDB: parsing the row JSON | 2.8% | 5 |
| JSON.stringify (the row JSON) | 2.6% | 5 |
| thread wake-ups and switches (kernel) | 2.3% | 4 |
| main thread: DuckDB binding (values into DuckDB) | 1.9% | 3 |
| DuckDB: checkpoints (compressing row groups) | 1.7% | 3 |
| DuckDB's own thread: other native work (memory copies, allocation) | 1.7% | 3 |
| hashes (the file content id, row ids) | 1.3% | 2 |
| main thread: log: records, reads, appends | 1.3% | 2 |
| log checksums (crc32) | 1.1% | 2 |
| V8 platform threads: other native work (memory copies, allocation) | 1.0% | 2 |
| main thread: classifier: batches to and from the workers | 0.4% | 1 |

Against issue #18's profile (\`../shared/design/ingest-profile.md\`, the same method at 10 events and 200,000 posts,
about 420 CPU-µs/post under perf): DuckDB's work 153 → about 50 CPU-µs/post (its stages above with the libuv pool's
and its own thread's other native work), garbage collection 66 → 20, the row JSON's stringify 27 → 5, the log's
encoding and decoding 18 → about 4 (UTF-8 work is now a stage of its own), reading and splitting the replayed
file's lines 9 → under 1 (its reads are counted with the other syscalls), the row object spread 7 → 0. No stage is
more than a sixth of the whole: 30,000 posts/s (about 65 CPU-µs/post on 2 cores) would need several of them gone at
once (the profile's DuckDB-parses design, not built).

Compiling JavaScript is mostly warm-up: the normalizer and the matcher are compiled again each time posts of a shape
not seen yet reach them (V8's "wrong map" deoptimizations; recognizeTwitterV1 10–12 times at about 200 ms each).
\`node --trace-opt\` counts 5.3 s of compiling in a 50,000-post run and 6.7 s in a 200,000-post one, so a 200,000-post
figure carries most of it and a long import little.
`;
