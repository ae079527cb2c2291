// The notes under BENCHMARKS.md's table: how each figure is taken, and what was measured, tried and not taken on the
// way to it (dated). Prose, kept apart from the code that measures (run.ts) so each can be read alone. Backticks
// are escaped: this is a template literal.

export const BENCH_NOTES = `- The ingest limit row is \`JSON.parse\` alone over the same lines on one thread; the ratio beside each ingest figure
  compares the whole pipeline (which also reads, writes and fsyncs the log, matches, normalizes and stores) with it.
  CPU-µs per post is the CPU time of the whole ingest process (every thread: workers, DuckDB, libuv) over the posts:
  it holds steady when other work shares the machine, which posts/s does not; the ratio to \`JSON.parse\` carries
  across machines. Since 2026-12-03 (evening) each ingest row is the median of three runs, alternated with the
  other rows' runs (10, 100, 1,000 events, then again), with the runs' range in brackets, and the JSON.parse limit
  is measured before each round: one run's figure moved by up to a quarter on this shared host, and the issue asks
  figures stable on it. Issue #18's steps, each measured alone at 10 events, 200,000 posts (the table's rows come
  from one later run of every section):
  events with an identity, raw in every row: 6,616 posts/s, 247 CPU-µs/post, peak RSS 1,588 MB; raw kept once, in
  the embedded log (rows keep its position): 11,348 posts/s, 164 CPU-µs/post, 836 MB (1,000 events: 3,763 → 4,787
  posts/s, 446 → 280 CPU-µs/post, 2,250 → 1,040 MB); bytes from the file to the log and from the log to the workers
  (decoded once, where parsed): 13,051 posts/s, 143 CPU-µs/post (1,000 events: 8,481 posts/s, 216 CPU-µs/post);
  DuckDB's memory_limit 256MB instead of 1GB: the same speed, RSS 790 MB at 200 k and 893 MB at 2 M posts (with
  1GB: 836 and 1,513 MB, DuckDB's cache filling up to its limit), and 128MB since 2026-12-02 (1,000 events, peak
  RSS 983–1,015 MB with 256MB, 892–918 with 128MB, the same speed, alternated runs); rows kept once without a primary key (DuckDB held
  the key's index in memory: with the 256MB limit a table of (event, platform, post id) keys ran out of memory
  between 2.2 and 4.2 million rows, so a big import would have stalled), each write inserting only the rows not
  stored yet, checked on narrow keys against the row groups of the same period: the store's write of a 20,000-post
  batch alone went from 33 (primary key) to 16–24 µs/post, end to end 12,925 posts/s, 145 CPU-µs/post (1,000
  events: 8,269 posts/s, 226 CPU-µs/post); hashtags counted at ingest (for top hashtags): 148 → 151–157
  CPU-µs/post measured back to back; Twitter dates read without Date, rows encoded post by post (a post's fields
  stringified once, not once per row) and row ids hashed in one call: 157–161 → 151–153 CPU-µs/post; five batches
  in flight with two workers instead of three, so the store writes more rows per commit: 151 → 139 (1,000 events:
  224 → 210), peak RSS 818 → 871 MB (1,000 events: 881 → 966); a worker decoding each line of a batch where it
  parses it instead of the whole batch first (2026-12-02; the batch's 3 MB of text no longer outlives V8's young
  generation): peak RSS 769–795 → 737–741 MB in alternated runs at 10 events, CPU within their noise (143–176
  against 143–185 CPU-µs/post); the bench's rows measured after it read 726 MB at 10 events, 892 at 1,000 and
  820 at 2 M posts (before: 782, 911, 871), and 141 CPU-µs/post at 2 M posts (186 before): the batches' text no
  longer promoted to the old generation and collected there. A 64 MB young generation for the workers, tried again
  then: the same CPU (144–161 against 143–164) and 75 MB more RSS; not taken. With \`--duckdb-threads 1\` the same
  run takes 120 instead of 133 CPU-µs/post (15,385 posts/s): on 2 busy cores DuckDB's second thread mostly waits
  for work; it also halves what queries get (one DuckDB instance has one thread setting), so the default stays
  every core and a node that only imports can set it. The setting cannot follow the load (one thread while only the
  store writes, every core while a query runs): the configuration is locked when the database opens, so that no SQL
  can change it (measured again 2026-12-02: 1 thread took 160–165 CPU-µs/post against 174–182 with 2, alternated
  runs; on 2026-12-03, a quieter hour, 92–96 against 97–103 CPU-µs/post and 18,752–19,696 against 17,872–18,763
  posts/s). Since that day \`vigil import --data\` (a process that runs no query) gives DuckDB one thread unless
  VIGIL_DUCKDB_THREADS says otherwise. Before that day an AMD EPYC machine parsing JSON at 36,978 posts/s gave 3,327 / 2,911 / 1,880 posts/s at
  10 / 100 / 1,000 events. Where the time went before the lines were decoded one at a time (the profile table below
  is later; 200,000 posts, 10 events, CPU time per thread read from /proc): the two workers 47 CPU-µs/post
  (JSON.parse, normalizing, matching, the row JSON, their garbage collection), the main thread 25 (the log's writes
  and reads with their checksums, packing batches for the workers, binding the rows into DuckDB), the libuv pool 34
  (DuckDB's queries and the file writes), DuckDB's own thread 11, V8's platform threads (garbage collection) 21.
  With the row insert left out (a measurement only) the rest of the pipeline takes 98 CPU-µs/post, 18,900 posts/s:
  a free store alone would not reach 30,000. The store's write of a 2,000-post batch on one thread (about 35 ms):
  binding and splitting the text 3.4 µs/post, the keys' parse 2.4, the plain insert 10.5, the keep-once check the
  rest. The issue's 30,000 posts/s needs about 65 CPU-µs/post on these 2 cores. The profile's DuckDB-parses design
  (not built) was priced in its two halves on 2026-12-02 (\`node scripts/probe-duckdb-parses.mjs --events 10|1000\`,
  200,000 posts, transactions of 5,000 posts): the JavaScript that would remain (parse, recognize, match; the
  matcher needs the text) 35 / 38 CPU-µs/post at 10 / 1,000 events against 50 / 78 for today's classifyBatch with
  its row JSON, and DuckDB reading the raw lines itself (read_ndjson), computing every column in SQL and inserting
  25 / 37. Against today's 161 CPU-µs/post at 10 events (that day, a quiet hour) it would save 35–40: about
  120–125 µs, about 16,000 posts/s on 2 free cores, because the log, the bus, the threads' hand-offs and V8's
  compiling and collecting (about 60 µs) stay. 30,000 would need those gone as well.
  Since the embedded log is written in 256 MB segments and a full one is packed (Brotli frames, about 8.3 times
  smaller here) once the classifier has read past it, the 200,000-post run packs two segments while it runs (512 MB
  of log into 64 MB): 8–12 CPU-µs/post more, measured back to back against 4 GB segments (nothing packed), 149–159
  → 160–167. A larger young generation for the classifier workers (96 MB) took 5–10% less CPU back to back but
  30–50 MB more peak RSS, which the 2 M-post figure cannot spare under 1 GB; not taken. Tried again on 2026-12-02
  at 64 MB (V8 gives a worker 32 MB here), with DuckDB's memory at 128 MB: 5–10% less CPU in alternated runs, and
  the bench's rows then read 149 CPU-µs/post at 10 events but peak RSS 946 MB at 2 M posts (+16% over 200,000) and
  946 MB at 1,000 events: under 1 GB by too little on a shared machine; not taken. A plain word (ASCII letters and
  digits) is taken as its own token without the tokenizer's Unicode regular expressions (the same tokens for all
  150,001 texts of the 50,000-post stream): classifying a line on one thread went from 46–47 to 41–42 µs
  (alternated runs). The Twitter normalizer and the matcher written as plain loops (2026-12-02; V8 threw their
  compiled code away at each new shape of list or post and compiled them again, 150–400 ms each time): on one
  thread over the 200,000-post stream deoptimizations 20 → 5 and compiling 1.6 → 0.5 s; end to end at 10 events
  147–162 against 160–178 CPU-µs/post in three alternated pairs, the same rows. Keeping the latest 32 MB of appends
  in memory for a reader close behind (no reading back what was just written): within the noise (+14 to −11
  CPU-µs/post in four pairs) and 30–50 MB more RSS; not taken. On 2026-12-03 a worker began writing its batch's
  rows straight into UTF-8 bytes, which it transfers to the main thread and DuckDB binds as a BLOB, instead of
  joining row strings that lived until the batch was done: in alternated runs 104 against 111 CPU-µs/post and peak
  RSS 700 against 730 MB at 10 events, the same CPU (155 against 154) and 818 against 858 MB at 1,000 events. The
  same day Twitter dates of a month's 29th to 31st (most of the bench's stream: Hurricane Sandy's Oct 29) stopped
  going through Date.parse (every day a month has is read as written): 0.69 → 0.23 µs a date; with both changes
  classifying on one thread went from 35–38 to 29 µs/post. Measured that day as bounds: the keep-once check left
  out (every row inserted as it comes) 97–109 against 103–105 CPU-µs/post, so a cheaper idempotency would save
  nothing measurable now; a young generation of 48 or 96 MB for the workers 100–107 against 101–107, with 35–85 MB
  more RSS at 96 (not taken); a worker reusing one buffer for its batches' rows and handing over an exact-size
  copy (no fresh 1–4 MB buffer and no doubling per batch) 100–119 against 101–119 in six alternated pairs, the main
  thread's garbage collections the same (188 against 193 scavenges for external memory): not taken. Under \`node --cpu-prof\` the workers sit idle about 40% of a 10-event run while the
  process keeps about 1.8 of the 2 cores busy: CPU, not a serial stage, is the limit. The table's 10-event row of
  that day read 139 CPU-µs/post, above the 92–118 of its alternated runs: one run's figure varies by about a
  quarter on this shared host. The DuckDB-parses probe run again that day (10 events): the JavaScript that would
  remain 17.7 CPU-µs/post against 35.4 for today's classifyBatch, DuckDB's half 18.8 against about 41 for today's
  store (the profile below, its stages with their native work): about 35–40 of today's 105–115 saved, which would
  bring 10 events near the 65 CPU-µs/post that 30,000 posts/s needs on 2 cores. It is issue #18's next step; it is
  not built (the SQL of the probe prices the work, it is not a second normalizer with the first one's exactness).
  Later that day a row batch became one JSON line per post with its rows' own fields listed in it (\`event_rows\`),
  which DuckDB unnests: a post matching several events is written, sent and parsed once instead of once per row (the
  keep-once check and the insert each parsed every row). DuckDB's insert of the same batches bound in turn (50,000
  posts): about 32 against 39 µs/post at 1,000 events (2.18 rows a post), about even at 10 (1.22); end to end in
  alternated 200,000-post runs 149–167 against 167–173 CPU-µs/post and peak RSS 699–715 against 824–845 MB at
  1,000 events, 122–139 against 135–144 and 670–676 against 700–722 MB at 10 events, the stored rows the same. A
  post's JSON written from the post itself with raw set aside, not from a copy of its other fields: 3.5–3.8 against
  4.4–5.8 µs a post. That insert, measured alone, is 23–29 µs/post at 10 events: the DuckDB-parses design's DuckDB
  half (18.8) would now save about 5–10 of it, not 20, and the whole design about 15–20 CPU-µs/post. Tried the same
  day and not taken, each within the noise: the replayed file read in 1 MB chunks instead of 64 KB (131–147 against
  139–150 CPU-µs/post in three pairs), an append's records framed into one buffer instead of one each and a copy
  (the log's append alone 9.4–12.8 against 9.7–13.6 µs/post), a 64 MB young generation for the main thread (132–143
  against 124–144, 50–130 MB more RSS). Tried later that day and not taken: the log's last 16 MB of appends kept in
  memory, so that the classifier, which keeps up with the tracker, does not read them back from the file (2,898 of
  3,098 reads served from memory; six alternated runs 89–109 against 94–107 CPU-µs/post, within the noise, and
  25–40 MB more peak RSS).
  The bench's ingest section was run twice earlier on 2026-12-03: 11,300 / 14,420 / 9,310 posts/s (163 /
  126 / 198 CPU-µs/post) at 10 / 100 / 1,000 events with one thread's JSON.parse at 80,025 posts/s, then 18,698 /
  17,617 / 12,625 (96 / 104 / 147) with it at 96,155; the memory row read 776 MB (+17%), then 783 MB (+22%). A
  third run (08:40 UTC), after the row insert was prepared once per store instead of once per write (about 1
  µs/post: alternated runs read 101–109 against 102–112 CPU-µs/post, within the noise), read 18,161 / 17,590 /
  12,710 (101 / 105 / 145) and 747 MB (+13%). A fourth (13:48 UTC), after the event state was decoded once per
  change (see below), read 17,562 / 17,724 / 14,469 posts/s (105 / 103 / 130 CPU-µs/post) with one thread's
  JSON.parse at 95,534, and the memory row 800 MB (+24%). The rows above are a fifth (16:15 UTC), on the machine of
  that evening, whose one thread parses the stream at 44,767 posts/s, less than half as fast, after the archive
  was read in 1 MiB chunks, bus messages built without spreads and log records framed one buffer per append (see
  below): 19 / 19 / 13% of that JSON.parse at 10 / 100 / 1,000 events against 18 / 19 / 15% at 13:48, and the
  memory row +11%.
  Sampled every 5 s through a 2 M-post run, RSS stayed between 660 and 740 MB from the first minute to the last,
  with single peaks of 760–776 MB: it does not grow with the posts, but a run ten times longer meets more of these
  short peaks than the 200,000-post one, so the ratio sits near the issue's 20%.
  Sampled every second through another 2 M-post run with the WAL's size beside it: RSS rises 50–100 MB while the
  WAL fills towards its 256 MB checkpoint and falls after each checkpoint, and the low after each checkpoint drifts
  up from about 635 to about 720 MB over the run. A 64 MB checkpoint threshold did not lower it: 773 MB at 2 M posts
  and 676 at 200,000 (two runs; 256 MB: 663–668 beside them); not taken.
  What drifts is memory the C allocator keeps, not data (2026-12-03, a 2 M-post run sampled every 3 s): DuckDB's own
  account (\`duckdb_memory()\`) stayed at 80–120 MB, the main thread's V8 heap at 70–77 MB and its buffers at
  40–110 MB from the first minute to the last while RSS went from about 600 to about 700 MB. glibc's malloc keeps
  freed memory in up to 8 arenas per core and raises its mmap threshold after large blocks are freed; with its
  tunables set in the environment, pairs of 200,000 / 2 M-post runs at 10 events read: as is 646–661 / 774–780 MB
  (+17–21%), 113–122 CPU-µs/post; \`MALLOC_ARENA_MAX=2\` 626–654 / 728–735 MB (+12–16%), 121–133;
  \`MALLOC_MMAP_THRESHOLD_=1048576\` with \`MALLOC_TRIM_THRESHOLD_=67108864\` 649 / 699 MB (+8%), 125–135;
  \`MALLOC_MMAP_THRESHOLD_=131072\` 586–604 / 637–672 MB (+9–11%), 135–155. Each flattens the drift for 7–27%
  more CPU (more page faults); none is set by Vigil. An operator who prefers flat memory to speed on a long import
  can set one before starting Vigil. Where it sits (later that day, \`/proc/self/smaps\` through a 200,000 and a
  2 M-post run): in the allocator's heaps, the main thread's 111 → 150 MB and the other threads' arenas 101 → 155
  MB, while the V8 heaps moved between 90 and 145 MB with their collections without growing. glibc's
  \`malloc_trim(0)\` called every 3 s (through an FFI, as a measurement, not in Vigil) handed back 40–110 MB each
  time, yet the 2 M-post peak read 754 MB against 656 at 200,000 (+15%; 768 / 650 without it that hour) and the RSS
  just after each trim rose from about 550 to 620–670 MB: most of the drift is the heaps' fragmentation (pages
  partly in use), not free memory kept, so a periodic trim is not worth a native dependency. Measured again
  that afternoon: as is 653–677 / 776–815 MB (+15–25%, one 2 M-post run per version), glibc's mmap threshold set
  (128 KB, 1 MB or 4 MB) 595–642 / 657–692 MB (+9–10%) for 10–20 CPU-µs/post more; the 4 MB threshold with a
  64 MB trim threshold 665–703 / 805 MB: what flattens the drift is the heaps handed back as soon as memory is
  freed, and the page faults of taking them again are its price. DuckDB's memory_limit at 64 MB instead of 128:
  623 / 715 MB (+15%) at the same speed (116 / 119 CPU-µs/post); the event-page queries on 10 M posts were not
  measured with it, so the default stays. Node's thread pool at 2 threads instead of 4 (\`UV_THREADPOOL_SIZE=2\`;
  DuckDB's statements, the log's file work and its packing all run there): alternated 200,000-post runs read 623–641
  against 669–706 MB and 92–95 against 99–108 CPU-µs/post, and 2 M posts 741 against 775 MB. Not set: a long
  analyst's query or two then hold every thread the log's appends wait for, and collection would stall behind them.
  Since 2026-12-03 people's queries and the exports pass a gate of all the pool but two threads (util/long-work.ts),
  but Vigil's own pages keep slots of their own so as never to wait behind people: with 2 threads a person's query
  and a page's could still hold both, so the pool stays at Node's 4 unless UV_THREADPOOL_SIZE says otherwise.
  \`vigil import --data\` runs no query, so that reason does not hold there; measured for it on 2026-12-06 (09:33–09:39
  UTC, a slow hour of the slower host: 4,855–6,643 posts/s), four alternated pairs of 200,000-post imports at 10
  events with the bench's settings: 2 threads 159–174 against 159–169 CPU-µs/post, peak RSS 504–543 against 524–545
  MB: the same, so the import does not set it either.
- Since 2026-12-04 the ingest rows run with the settings of \`vigil import --data\`, the command that imports an
  archive: DuckDB on one thread, as no query runs in that process (src/cli/import.ts). Before, they ran a collecting
  Vigil's default, DuckDB on every core, which the rows of 2026-12-03 and earlier show. Alternated 200,000-post runs
  that morning (a quiet host, one thread's JSON.parse at about 120,000 posts/s): at 10 events 95 against 105–109
  CPU-µs/post (19,590–19,720 against 16,875–17,504 posts/s), at 1,000 events 127–135 against 142–148. The same
  morning a log read stopped spreading each decoded record into its entry (a fixed shape, built once): the main
  thread allocated 643 instead of 783 MB over the run, and three alternated runs read 91–94 against 95–99
  CPU-µs/post.
- DuckDB plans again, on every execution, a prepared statement that reads a table (2026-12-04, afternoon; its
  profiler's planner and optimizer timings, statement by statement). The store's INSERT checked for repeats in the
  table it inserts into, so each write bound and optimized the whole statement again (its JSON structure, the
  check's CTEs): about 15 ms of a 30–45 ms write, more than the check itself. A write now inserts every row as it
  comes (a statement that reads no table, planned once) and then deletes the rows of that write that repeat a key:
  stored before it, or twice in it (the first in the log kept, as before); the delete's plan is small, and the
  t_key bounds of the write's rows, read by a small query, reach it as constants, so its scan skips other periods'
  row groups by their min and max (src/adapters/duckdb/keep-once.ts). Its values are bound with their types: a
  JavaScript number is a DOUBLE to DuckDB, and a value of another type than the parameter's forces the same
  re-planning. Measured on the row batches of a 200,000-post ingest, written in turn into a new database by DuckDB
  alone on one thread: 28–29 → 17–18 CPU-µs per stored post at 10 events, 42–43 → 30–32 at 1,000 (the insert alone
  9.4 µs, its commit and WAL 6, the delete and its bounds 3); replayed a second time, every row a repeat, the rows
  stay 244,372. End to end, alternated 200,000-post runs: 87–89 against 96 CPU-µs/post at 10 events, 120–121
  against 126–128 at 1,000 (one outlier of 170). The bound measured on 2026-12-03 (every row inserted unchecked,
  within the noise end to end) was read on a busier host; the check's cost was mostly this planning.
  What remains of DuckDB's write is mostly per row, not per commit: the same batches joined two or four to a write
  cost the same (the commit about 6 µs a row at 1,000 events: the WAL, and merging the transaction's rows into the
  table, which a checkpoint later compresses). Joined 40 to a write at 1,000 events (60 at 10), each transaction
  holds more than a row group (122,880 rows) and DuckDB writes its rows straight into compressed row groups of the
  database file instead of the WAL: 31 → 20 CPU-µs per stored post at 1,000 events (the commit 2.9 → 0.4 s, the
  insert 2.2 → 3.0 s) and 18.6 → 12.8 at 10, before counting the checkpoints it also spares.
  Built that evening as one transaction held open across writes (src/adapters/duckdb/commit-group.ts): while a
  backlog waits in the log, the classifier keeps up to 256 batches in flight, each write joins the open transaction,
  and it commits at 245,760 rows (two row groups), after 10 s, or with the first batch that has nothing waiting
  behind it; offsets are still committed after their rows, so crash safety is unchanged. The batches are written one
  by one, not joined: joined, their bytes would wait in memory for the commit. Measured with DuckDB alone on the same
  batches, each its own write, the final checkpoint counted: 28.0 → 23.2–24.5 CPU-µs per stored post at 10 events and
  34.3 → 26.9 at 1,000 (each write's insert compresses its row groups now, 1.6 → 2.1 s, and the commits 0.9 → 0.6 s
  and 3.0 → 0.4 s; the checkpoint 1.2 s → nothing). End to end, alternated runs on a busy host: at 1,000 events
  110–111 against 124–129 CPU-µs/post (one run of the new way read 141); at 10 events 90–104 against 91–114, within
  the noise, as a 200,000-post run at 10 events left most of the old way's compressing to the checkpoint after the
  measured run; 2,000,000 posts at 10 events, where the old way checkpoints as it goes, 106 against 111
  CPU-µs/post, peak RSS 728 against 722 MB. The first version kept every batch of the transaction alive until its
  commit (the classifier's closures shared one context with the batch): peak RSS 1.3–1.5 GB; the batch is now let go
  once written. One transaction for all 226 writes of the 10-event run measured the same as one per 120 writes
  (about a row group): 23.0–23.2 against 22.7–23.2 CPU-µs per stored post. The bench's ingest rows were measured
  again after it (17:00 UTC, a slower hour: one thread's JSON.parse at 99,634 posts/s against 114,681 that
  afternoon): 98 / 101 / 120 CPU-µs/post at 10 / 100 / 1,000 events against that afternoon's 86 / 90 / 121, and the
  memory row 710 MB (+8%) against 728 MB (+13%); the hour's noise is larger than the change at 10 events.
- Term counting kept out of bulk imports (2026-12-04, 19:40–20:10 UTC). The store counts the rows' terms when its
  writer is quiet, which it took to mean busy less than half of each 2 s. In an import whose classifier, not its
  writer, sets the pace, the writer is idle most of the time, and counting ran chunks of up to 250,000 rows beside
  the import, on the cores the import needed, in some runs and not in others: one 200,000-post run at 10 events
  counted a chunk of 232,768 rows in 11.9 s, and the perf profile of a 1,000-event run that hour put 76
  CPU-µs/post in DuckDB's "insert" with the libuv pool at 73% of the process's CPU: it was counting terms (so, most
  likely, was the profile of 45 µs noted below, not understood then). With one classifier worker it struck every
  run: 5,655–6,894 posts/s and 182–220 CPU-µs/post, ten chunks counted during each import. The store now counts
  nothing while writes marked as followed by more (a bulk import) keep coming: the one-worker run read 15,611
  posts/s and 102 CPU-µs/post; with two workers three alternated pairs at 10 events read 96–109 against 108–130
  CPU-µs/post, two at 1,000 events 116 / 168 against 133 / 164 (the last pair in a slow minute, one thread's
  JSON.parse at 56,300 posts/s); one worker against two, three pairs: 85–115 against 100–107. The rows are counted
  when the import ends, or before the first event page, and the ingest rows now say how long that took after each
  run (not in their figures): on its own, the 244,372 rows of the 10-event run took 12.2 s on one DuckDB thread,
  2.4 s of it compacting the first count's partial rows, one per key already, and 1.3 s committing them again; that
  compaction is no longer done: 8.5 s. The bench's rows measured after it (20:10–20:25 UTC, a slow hour: one
  thread's JSON.parse at 75,622–83,174 posts/s): 100 / 105 / 143 CPU-µs/post at 10 / 100 / 1,000 events, the
  memory row 696 MB (+11%); counting the terms after each run took 9–11 s at 10 events, 19–23 at 100 and 41–54 at
  1,000 (436,246 rows, about 110 µs each on one thread: more than the import itself).
  Peak RSS is read since 20:35 UTC from the ingest process's own high-water mark (VmHWM in /proc/self/status), not
  getrusage's maxrss, which Linux carries across exec from the process that spawned it: a child of a parent holding
  300 MB read 304 MB against its own 39 MB. The bench's parent holds the stream's lines while it times JSON.parse, so
  a peak below the parent's size at spawn read as the parent's (a scratch harness holding the whole 700 MB stream
  read 680 MB in every run, 10 or 1,000 events, one worker or two). The bench's own figures were little moved: the
  rows above (20:42–21:00 UTC, a slower hour still: JSON.parse at 60,397–74,270 posts/s, 111–119 / 113–128 / 149–198
  CPU-µs/post) read 617–669 MB at 200,000 posts and 740 MB at 2 M posts (+18%), against 606–690 and 696 MB (+11%)
  at 20:10 UTC.
- Three smaller costs taken out (2026-12-04, evening, 17:30–18:30 UTC, the host's slowest hour of the day: one
  thread's JSON.parse at 91,668–94,925 posts/s). Each is measured where it runs, as the end-to-end runs of the hour
  spread wider than the change (alternated 200,000-post runs at 10 events, the code before and after, read 99–110
  CPU-µs/post either way).
  The store's check for repeated rows runs once per transaction, just before it commits, instead of after every
  write: a bulk import's transaction holds a few hundred writes, and each write's check scanned all the rows of the
  transaction not committed yet, which have no min and max to skip by. DuckDB alone on the row batches of the
  10-event run, one transaction: 4.2 → 1.1 ms of checking per thousand posts, 25.5 → 21.3 CPU-µs per stored post
  in all; 31.5 → 29.2 at 1,000 events. Held one after the other in the pipeline, the checks of the 10-event run
  took 230 ms in all against more than 1.4 s (wall time, on a busy host).
  The matcher looks each token of a post up among its terms as it comes, instead of gathering every token in a map
  first (three look-ups a token where one does): parse, normalize and match on one thread 21.2–22.0 → 18.8–19.3
  µs/post at 10 events, 26.4–27.0 → 24.0–24.3 at 1,000, the matches and their fields the same on 20,000 posts and
  every real payload of test/fixtures.
  The classifier lets a batch's messages go once their lines are packed for the workers: an async function keeps
  its arguments, so each batch of 1,000 messages lived through the workers and the store's write and was copied
  into the old generation. Bytes promoted on the main thread in a 200,000-post run at 10 events: 125 → 75 MB.
  Priced and not taken: DuckDB without FSST compression for strings (\`disabled_compression_methods\`), 25.4 → 23.2
  CPU-µs per stored post with DuckDB alone, for a bigger file; V8 flags for the young generation (a 64 MB semi-space,
  no parallel scavenging, single-threaded GC), within the noise. Where the rest goes (the profile below, and one
  thread over the same stream): of the workers' 31 µs/post, JSON.parse 8.4, normalizing 4, matching 5.5, the rows'
  JSON about 5.5, their ids 1.2; of DuckDB's insert, about 10 µs/post at 10 events (its JSON transform 4.8, the
  table's insert 1.5 per row, splitting the bytes 0.5), then compressing its row groups. The first profile of the
  10-event run that hour put 45 CPU-µs/post in DuckDB's insert and check (the libuv pool at 53% of the process's
  CPU, 102 CPU-µs/post in all); run again at once, 18, as in the table below: not understood, and not seen again.
  The bench's rows measured in that hour: 105 / 101 / 124 CPU-µs/post at 10 / 100 / 1,000 events and peak RSS 619 /
  651 / 652 MB, against 98 / 101 / 120 and 657 / 656 / 697 MB at 17:00 UTC; the memory row 762 MB at 2,000,000
  posts, 23% over the 200,000-post median (the runs of that day read 8–25%).
- This host is a Firecracker virtual machine, and the first write to a page of its memory that nothing has used
  since it booted costs the host's fault: \`dd\` of 655 MB into a new file took 1.25–1.6 s of kernel CPU into such
  pages and 0.12 s into pages an earlier file had freed (2026-12-04, 45 minutes after boot). A run that grows the page
  cache (the log, DuckDB's file) or its heaps into fresh memory pays it: the perf profile of that morning's first
  run had copying into the page cache at 8.9% and zeroing new pages at 4.6% of the process's CPU, about 17
  CPU-µs/post; in the profiles taken after other runs had freed pages to reuse, 1.0% together, about 1. Part of
  what moves these figures between hours is the machine's memory history, not Vigil; the medians of alternated
  runs, whose data directories are removed between runs, reuse the pages of the runs before.
- The generated stream in the streaming API's bytes (2026-12-03, late evening): every statuses/filter capture in
  test/fixtures/real/twitter-v1 is ASCII, Twitter having escaped "/", "<", ">" and every non-ASCII character, and
  the generator now writes its lines that way (its encoder re-encodes five of those captures byte for byte, numbers
  past 2^53 aside, which JSON.parse rounds; the posts, rows and matches are the same). Before, it wrote the ellipsis
  of truncated texts as raw UTF-8, so most lines decoded into two-byte strings, which a real Twitter collection
  never meets: decoding a line took about 5 instead of 1 µs, and every string cut from it (texts, tokens, the row's
  JSON) was two-byte too. Alternated 200,000-post runs, raw UTF-8 against escaped: 211 / 157 against 191 / 148
  CPU-µs/post at 10 events, 261 / 208 against 223 / 209 at 1,000; one thread's JSON.parse of the escaped lines is as
  fast or faster (56,401 / 44,050 against 62,956 / 63,680 posts/s, alternated), so the ratios to it moved less than
  the posts/s. Mastodon and Bluesky lines do carry raw UTF-8 and pay that decoding.
- Hand-offs to Node's thread pool cost more than the work they hand off on this host (2026-12-03, evening, a
  slower machine than the day's others: one thread's JSON.parse of the stream about 2× slower). A \`--cpu-prof\` of a
  200,000-post ingest showed the replay's reader 1.1 s on the main thread in 10,476 reads of Node's default 64 KiB;
  read in 1 MiB chunks (655 reads) the 686 MB archive takes 0.29–0.36 s of CPU instead of 1.05–1.16 alone, and
  alternated end-to-end runs at 10 events read 202–206 against 219–246 CPU-µs/post (9,326–9,477 against
  7,816–8,788 posts/s). The same profile had the bus messages' construction at 1.7 s (a spread into a literal with a
  getter, 2.7 µs a message alone against 0.8 with the fields listed) and one buffer per log record at 0.8 s (now
  one per append): both changed, each within this host's noise end to end. The three together against the code
  before them, alternated: 228 / 197 / 156 against 242 / 203 / 204 CPU-µs/post (this host's load moved a lot
  that hour).
- One classifier worker thread instead of two on these 2 cores (\`--classifier-workers 1\`; 2026-12-03, evening,
  alternated 200,000-post runs): at 10 events 201–231 against 228–254 CPU-µs/post in five pairs, as many posts/s or
  more (7,799–9,147 against 7,227–8,412), and about 100 MB less peak RSS (543–568 against 642–668 MB: one V8 heap
  fewer); at 1,000 events, where a post's matching and rows weigh more, the one worker is the bottleneck: 5,989–6,853
  against 6,363–8,449 posts/s in four pairs. The default stayed a worker per core (at most 8). Measured again on
  2026-12-04 (21:30 UTC), once term counting no longer ran beside imports (it had struck the one-worker runs in
  every run, the two-worker ones in some): at 10 events 117 against 127–147 CPU-µs/post in two alternated pairs
  (13,958–14,282 against 11,232–13,894 posts/s) and 85–115 against 100–107 in three that evening, at 1,000 events
  149–170 against 180 (9,256–10,625 against 9,762–10,128 posts/s), and 519–609 against 592–680 MB peak RSS. The
  default is now a worker per core but one, 1 to 8 (one on these 2 cores): the main thread and DuckDB's take that
  core. The bench runs the default since: its rows of 21:38–21:54 UTC (one thread's JSON.parse at 80,357–81,585
  posts/s) read 94–111 / 104–117 / 124–143 CPU-µs/post at 10 / 100 / 1,000 events, peak RSS 514–590 MB, and the
  memory row 599 MB at 2 M posts (+10%); with two workers at 20:42 UTC 111–119 / 113–128 / 149–198 and 617–669 MB,
  740 MB (+18%).
- A 64 MB young generation for the classifier workers (V8 gives a worker 48 MB; 2026-12-04, late evening, one
  worker): six alternated pairs of 200,000-post runs at 10 events read medians of 83 against 91 CPU-µs/post and
  19,100 against 17,300 posts/s (three pairs clearly apart, three within the noise), 20–35 MB more peak RSS; at 1,000
  events two rounds were within the noise (111–147 against 122–125; 128 MB: 113–121). Taken: what kept it out before
  (peak RSS near 1 GB with two workers) no longer holds at about 560 MB. The rows above are the first bench run with
  it (2026-12-05, 00:02–00:18 UTC, one thread's JSON.parse at 75,897–79,180 posts/s): 84–98 / 87–90 / 112–124
  CPU-µs/post, 18,882 / 17,893 / 13,111 posts/s, 24 / 23 / 17% of that JSON.parse (the evening before: 19 / 18 / 14%),
  and 647 MB at 2 M posts (+13%). The same run counted a row's id from the SHA-1's hex text instead of its bytes
  (about 1 µs less a row, the same ids).
- Where a 200,000-post run at 10 events spends its time (2026-12-05, 01:20–01:50 UTC, per-thread CPU from /proc every
  100 ms, a quiet hour: 20,000–22,700 posts/s, 69–80 CPU-µs/post): the worker 32 CPU-µs/post (busy 80–100% from
  its first batch to its last), the main thread 11, the libuv pool (DuckDB, file reads and writes) 24, V8's
  garbage-collector threads 7. Two stretches are serial: hashing the archive before its first line is sent
  (SHA-256, 0.4 s for 700 MB) and the last commit (DuckDB compressing the last row group, 0.6–0.8 s); one
  mid-run insert stalls 0.6–0.7 s while DuckDB writes the first full row group. Tried and not taken, each within
  the host's noise in alternated runs: hashing the archive as the replay reads it (the worker starts 0.6 s sooner
  and ends when it did: the hashing then takes CPU from it), classifying on while the store is busy (up to 16 or
  64 MB of classified rows waiting: at 1,000 events −1% to +7%, and 70–400 MB more peak RSS), V8's
  \`--max-semi-space-size=32\` and \`--single-threaded-gc\` for the main thread, DuckDB without FSST (17% less CPU
  for the row groups, a 44% larger file), two workers at 1,000 events (16,269–18,592 against 16,796–17,648
  posts/s, 10 CPU-µs/post and 120 MB more), classifier batches of 2,000 posts (2–3% more posts/s, within the
  noise, 50 MB more). Replay batches of 2,000 lines instead of 500 took 11 CPU-µs/post more in each of three
  pairs (250: the same as 500). The process is CPU-bound on the 2 cores: what is left for the targets is fewer
  CPU-µs per post, not more overlap.
  A longer import costs more CPU per post but takes in posts nearly as fast (2026-12-05, 07:50 UTC, 10 events, back
  to back): 200,000 posts 20,044 posts/s and 77 CPU-µs/post (user 69, kernel 8), 1,000,000 posts 19,549 and 88
  (user 73, kernel 15). The extra is work beside the one worker: the log's full segments packed (13 of them against
  2) and the kernel's page cache for 3.5 GB of log. Read at each commit of the 1 M-post run (every 245,760 rows),
  the process's CPU per window was the same from the first to the last (about 15–20 CPU-s per 200,000 posts) and the
  store's keep-once check 83–160 ms: nothing grows with the rows already stored.
- Pages of many posts a line (2026-12-05, 10:40 UTC): an import of 2,000 twarc2 pages of 100 posts each (450 MB, 225 KB
  a line; 200,000 posts, 400,000 rows at 10 events) peaked at 2,627 MB: the bus handed the classifier batches of 1,000
  lines whatever their size, 225 MB each, five at a time. Batches now also stop at 8 MiB of values (MAX_BATCH_BYTES;
  a batch of 1,000 of the bench's lines is about 3.5 MB, so its rows are unchanged: 22,428 posts/s, 69 CPU-µs/post,
  566 MB in the run after it): the pages peaked at 912 MB, 15,704 posts/s and 104 CPU-µs/post against 10,714 and 130.
- Term counts at 1,000 events (2026-12-05): summing the partial counts of the import's two chunks removed 12% of them
  (10.7 M rows to 9.4 M, the periods' 6.2 M to 6.1 M) in 13 s of sums and a 15 s commit that wrote both tables
  again: half of the 51–55 s the count took. A HyperLogLog estimate of the keys left (0.5 s) now decides, and a
  sum that would not remove a quarter of the rows waits until the table has doubled: 27 s on its own. The bench's
  rows of 01:53–02:08 UTC ( a quiet hour: one thread's JSON.parse at 86,715–91,080 posts/s) counted the 1,000-event
  run's terms in 25.5–25.8 s, the 100-event run's in 9.9–10.2 (19.4–19.9 before), the 10-event run's in 7.8–7.9
  (one chunk: nothing to sum); their ingest figures, 71–72 / 73–75 / 91–101 CPU-µs/post, 24 / 24 / 19% of that
  JSON.parse, are this hour's (no change to ingest since the rows of 00:02 UTC). The ingest, query and handover rows
  above are of 09:15–09:35 UTC, with the same ingest code (a row writer for Cassandra's classifier workers came
  between, which the embedded store does not use): one thread's JSON.parse at 85,707–86,861 posts/s, 71–76 / 76–78 /
  96–98 CPU-µs/post at 10 / 100 / 1,000 events, their terms counted in 7.9–8.3 / 10.3–10.7 / 26.1–26.6 s, and the
  memory row 627 MB (+13%). The thesis's word count as SQL over every row read 7.2 s on 10 M posts there (its first
  run 5.7 s), 5.3 s the day before: this host's load.
- Where the wall time goes at the store (2026-12-05, 03:30 UTC, each write and commit timed in a 200,000-post run):
  DuckDB compresses a row group (122,880 rows) the moment the open transaction fills one, inside that write, and the
  last one at the commit. Such a write takes 0.5–0.7 s where the others take a few ms: at 1,000 events three of them
  (0.70, 0.52, 0.57 s) and a last commit of 0.4 s (its keep-once check 86 ms) held the one writer 2.2 s of an
  11.3 s run; at 10 events one (0.70 s) and a last commit of 0.70 s (check 125–132 ms, compressing 572 ms). The
  classifier goes on only while its five batches in flight last (about 0.2 s), then waits, one core idle: about 1.2
  of the 4.2 idle core-seconds of a 10-event run (72 CPU-µs/post at 21,600 posts/s is 1.55 of the 2 cores), about
  1.6 of 4 at 1,000 events; the archive's hash before the first line another 0.4. Per-thread CPU sampled every
  100 ms (two bullets above) shows no other stretch: the rest is short waits between the stages. Under cpu-prof the
  one worker of a 10-event run is busy from its first batch to its last but for two gaps of about 0.6 s: before the
  first batch and during that write. Letting it classify on through the write (up to 24 batches classified or being
  written instead of 4, two alternated pairs at 10 events) read 21,190–21,367 against 21,439–21,441 posts/s, 76–77
  against 73 CPU-µs/post and 715–735 against 534–578 MB peak RSS: the other core has no room for the catching up;
  not taken (two bullets above: a byte bound on rows waiting, the same). What a row group's compression
  costs, DuckDB alone on one thread, 245,760 of the run's rows one column at a time: 1.42 s and 48 MB for the text
  columns as DuckDB chooses (FSST for t_text, u_description, the ids and names), 1.06 s and 72 MB without FSST
  (t_text 335 → 151 ms, 23 → 32 MB; u_description 167 → 83 ms, 10.5 → 15.7 MB): FSST costs about 1.5 CPU-µs a row
  and saves a third of those columns' bytes; kept. Each low-cardinality text column (platform, languages, time
  zones) costs 30–40 ms per 245,760 rows whatever the method: the columns' analysis, not their compression.
- The profile's DuckDB-parses design, built this time (2026-12-05, 05:00–05:20 UTC; on the branch
  \`probe/duckdb-normalizes\`, not merged). The worker still parsed, recognized and matched each post, checked that
  every field the row reads has the JSON type Twitter sends (else the post took today's path), and sent the rows'
  own fields, eight post fields and the raw line; DuckDB's from_json and SQL computed the other 28 columns. A parity
  test held both to the same rows over every real Twitter payload (as published and as streamed), odd shapes and
  3,000 posts of the bench's stream. It lost: classifyBatch on one thread 35–39 → 36–40 CPU-µs/post over 40,000
  posts (the type checks, 1.6, and the scan for lone surrogates, which DuckDB's reader refuses, 1.3, cost what
  leaving out the post fields' JSON saved: the rows' own fields, ids and event names, stay), the store's writes
  43 → 85 CPU-µs/post (from_json over 2.6 KB of raw text and the list columns' lambdas), and end to end at 10
  events 71–74 → 114–117 CPU-µs/post, 21,000 → 14,500 posts/s, peak RSS 557–589 → 1,158–1,230 MB. The probe's
  estimate (\`scripts/probe-duckdb-parses.mjs\`, about 10 CPU-µs/post saved) had left the rows' own fields and the
  handing of raw to DuckDB out.
- A second classifier worker at the lowest CPU priority (nice 19 for its thread alone, so that it would take only
  the CPU the main thread, DuckDB and the first worker leave idle; each batch to the worker with the fewest
  waiting), 2026-12-05, 05:20 UTC, three alternated rounds at 10 events with one worker and with two at the same
  priority: 16,854–20,566 posts/s and 83–92 CPU-µs/post, against 18,834–20,161 and 78–83 with one worker and
  16,813–19,794 and 90–96 with two (an hour before, on a quieter host, two workers had read 23,162–23,333 against
  20,020–21,425 in two pairs, and at 1,000 events 11,758–16,920 against 13,871–17,465). A second worker costs
  about 10 CPU-µs a post (its own compiling, young generation and matcher) wherever it runs; not taken.
- Node.js 24.19 (the other version CI runs) against 20.20 for the ingest (2026-12-05, 05:25 UTC, two alternated
  pairs at 10 events): 20,713–21,391 against 21,089–21,586 posts/s, 75–77 against 72–74 CPU-µs/post, 632–640
  against 558–566 MB peak RSS, though one thread's \`JSON.parse\` of the lines is 9% faster on 24 (99,400–99,600
  against 91,100–91,800 posts/s): the same.
- Buffers V8 counts, allocated again and again on the main thread (2026-12-05, 13:40–14:20 UTC, 10 events). Each
  64 MB of new buffers since V8's last full collection of a heap starts another one, whatever the heap holds:
  \`--trace-incremental-marking\` showed 19–26 of the main thread's 30–60 full collections of a run started that
  way, on a heap of about 27 MB. A preload that tallied the main thread's buffers by caller counted about 3.8 GB for
  200,000 posts (686 MB of posts): the archive read twice (its SHA-256, then the replay), the log's appends framed,
  the log read back for the classifier, the batches packed for the worker, the rows coming back. Framing the appends
  in four reused buffers and hashing the archive into one took 1.4 GB of it away; three alternated pairs then read
  18,922–20,098 against 19,301–19,982 posts/s and 76–81 against 77–81 CPU-µs/post: within the noise, not taken.
- The ceiling of these 2 cores at today's cost (2026-12-05, per-thread CPU): at 10 events a run takes about 72
  CPU-µs a post, so both cores kept busy all the time would give about 27,700 posts/s; the runs reach about 79% of
  that (21,900). At 1,000 events about 90 CPU-µs, a ceiling near 22,200, reached to about 80% (17,700). The rest of
  the wall time is mostly serial: the last commit, and DuckDB filling row groups while the worker waits. So 30,000 posts/s
  at 10 events needs about 53 CPU-µs a post at the same 79% (67 with no serial stretch at all), or a third core;
  20,000 at 1,000 events needs about 90% of the ceiling, or about 80 CPU-µs a post.
- Long imports, and a slower host (2026-12-05, 17:20–18:40 UTC, a host of this kind on which the 200,000-post run
  at 10 events read 8,000–9,400 posts/s and 160–200 CPU-µs/post, about 2.3 times the table's; figures compare only
  within it). The 2,000,000-post row costs more per post than the 200,000-post ones (89 against 70 CPU-µs in the
  table). Two causes found, both fixed:
  - Replay read the whole archive once to hash it (its content id) before its first line was published: 20 s here
    for the 7 GB of 2,000,000 posts, about 0.7–2.9 s for 200,000. A file of a size no content published before had is
    now hashed as the replay reads it, and its lines count under the hash once it is read whole (the first rows of
    the 2,000,000-post run were committed 0.7 s after the start instead of 20 s).
  - A bulk import's transaction was committed after 10 s if it had not gathered 245,760 rows by then. Such a commit
    holds part of a row group, which goes through the WAL, and every 256 MB of WAL a checkpoint held the store (and
    so the classifier) up for 8–20 s (each commit timed: 7.8, 19.6 and 9.2 s among commits of 0.25–1.8 s). On this
    host every commit was the timer's. Held up to 30 s, every commit came from the row count: 2,000,000 posts
    6,705 → 8,643 posts/s and 230 → 189 CPU-µs/post, peak RSS 653 → 626 MB; 200,000 posts at 10 events, two
    alternated pairs, 8,109 and 9,127 → 9,240 and 9,385 posts/s (168–176 → 160–164 CPU-µs/post); 1,000 events,
    whose commits were the row count's already, the same. On the table's host the 10-event import gathers its rows
    in about 9 s, so the timer was close there too.
- Where a 200,000-post import's wall time goes (2026-12-05, 21:00–22:15 UTC, the same slower host as the bullet
  above: 8,200–9,100 posts/s at 10 events; each thread's CPU read from /proc every 250 ms). The one worker is busy
  77–81% of the run. Of a 22.8 s run: about 0.8 s at the start (its first batches), about 1.2 s while the replay
  still reads the file (until about 9 s in, the log's appends and the main thread share the cores and the worker
  runs at 0.76–0.96 of one), 1.0 s while DuckDB writes the first full row group (the insert that fills it holds the
  store, and the classifier's four batches wait to be applied), 1.4 s for the last commit (DuckDB compressing the
  last row group, 121,492 rows), and, until this change, 0.7 s more after it: the embedded bus wrote the group's
  offsets once per batch, in turn, each write fsynced, and the grouped commit had settled 200 batches at once. The
  batches handled together now commit their offsets in one write: lag 0 at 0.01 s after the last commit instead of
  0.7 s, and 8,703–8,799 against 8,325–8,583 posts/s in three alternated pairs.
  Tried that hour and not taken: classifying on while the store writes (the classifier waiting for its writes to be
  applied only when more than 16 MB of rows wait): the worker no longer idles while a row group is written (busy
  0.79–0.81 against 0.79 at 10 events, 0.835–0.843 against 0.771–0.791 at 1,000), but posts/s stayed within the
  noise (1,000 events 5,417–6,539 against 5,567–6,033) for 40–110 MB more peak RSS, as on 2026-12-05 01:20 UTC; the
  main thread at nice 10 during the import (worker busy 0.79–0.80 against 0.77–0.79); DuckDB on 2 threads for the
  last commit (DuckDB alone on the run's rows: 1.22–1.40 s against 1.15–1.22, compressing a row group is one
  thread's work); a row's own fields written from strings quoted once per batch instead of JSON.stringify of each
  row (row batches 19.4 → 18.5 µs a row here, about 0.4 µs a post on the table's host: not worth its code).
  A lead, then not built (built the next day: the bullet after this one): smaller row groups. DuckDB alone writing the
  same 244,372 rows in writes of 1,200, with \`ROW_GROUP_SIZE 30720\` the last commit took 0.39 s instead of 1.23 and
  the row groups written midway 7 × 0.33 s instead of 1 × 1.34, for the same CPU (7.3 against 7.0 s). With classifying
  on while a row group is written, that would move most of the last commit's second into the run; it changes every
  database's layout (four times as many row groups for every query) and its queries were not measured.
  The thesis's word count as SQL on the 10 M database, variants on this host (the bench's SQL 14.0–15.9 s here, 17.3
  s in its own run): \`memory_limit\` 2 GB the same (13.7–17.0 s); one GROUP BY of \`lower(v)\` 20.9–22.6 s; lowered
  before splitting 19.5–19.6 s: the two-step count stays. Reading the text takes 1.5 s of it and splitting it 3.5.
  Priced again on 2026-12-06 (09:25–09:30 UTC, the same slower host: one thread's JSON.parse of the stream at
  47,853–50,976 posts/s; the bench's SQL 12.1–15.4 s): DuckDB's \`EXPLAIN ANALYZE\` puts 14.8 of the query's CPU-s in
  the first grouping (the 220 M words as written into 228,533 distinct ones, about 67 ns a word), 7.0 in the
  unnest of the split lists and 2.3 in the scan; \`preserve_insertion_order\` off 12.1–13.2 s, four threads on the 2
  cores 12.6–13.2, \`GROUP BY ALL\` 12.1 (the same plan), the split unnested in a lateral join 45.8–46.7: none taken.
  Counting each distinct text once, then its words weighted by its count, would divide the work by ten on the bench's
  10 M database only because that database is ten copies of 1 M posts whose 1,000,000 texts are all distinct: a
  figure of the bench's making, not of a collection; not built.
- Smaller row groups, built (2026-12-06, 00:40–01:00 UTC, the slower host of the two bullets above): the store's
  database is attached with \`ROW_GROUP_SIZE 30720\` (\`--duckdb-row-group-size\`; DuckDB takes a row group size only
  when attaching a file and keeps none in it, so \`openDuckDb\` attaches the file to an in-memory instance and every
  connection uses it; a file written with another size opens and is written on). Alternated 200,000-post runs, one
  worker, DuckDB on one thread: at 10 events 9,206–9,409 against 8,916–9,036 posts/s in three pairs (171–173 against
  170 CPU-µs/post, peak RSS 526–536 against 559–572 MB), the worker busy 84% of the run against 80%; at 1,000 events
  7,512–8,265 against 7,258–8,147 (the last base run in a quicker moment: 189 against 205 CPU-µs/post), the worker
  busy 86% against 80%. Read every 100 ms, the worker no longer stops midway for more than 0.2 s (it stopped 1.0 s
  while the first full row group was written) and waits 0.6 s after its last batch instead of 1.4. Queries: the 1 M
  database copied into files attached with each size (\`COPY FROM DATABASE\`) has 34 row groups against 10 and is
  4.7% larger (232 against 222 MB); medians of 7 runs, two rounds each, 30,720 against 122,880: an event's count
  1 / 1 ms, volume by hour 33–38 / 33–34, top hashtags 95–101 / 97–99, top users 51–55 / 54–55, the thesis's word
  count 1.43–1.44 / 1.38–1.48 s, a post by id 40–41 / 42–43 ms: the same. What it saves is mostly at an import's
  start and end: 2,000,000 posts at 10 events, back to back, read 8,747 against 8,744 posts/s (192 against 186
  CPU-µs/post) and peaked at 599 against 634 MB, 13% above the 200,000-post runs' 526–536 MB. Other sizes at 1,000
  events (01:58–02:10 UTC, each size in turn, two to four runs): the worker busy 80% of the run with 16,384 rows,
  84–86% with 30,720, 83–84% with 61,440 and 81% with 122,880; posts/s followed within this host's noise (6,707–7,021,
  6,245–7,799, 7,014–7,637, 6,938–7,123). The table's rows were not re-measured: at about 4% more posts/s they would
  not meet the targets either.
- The term count after an import on every core, built (2026-12-06, 03:20–03:45 UTC, the same slower host): \`vigil
  import --data\` gave DuckDB one thread for the whole run, so the count of the new rows' terms that ends it (what
  the table's rows report beside each ingest, "its terms then counted in") ran on one core while the other idled. It
  now counts once the import's roles have stopped, on the store opened again alone with the threads \`vigil start\`
  gives DuckDB (every core, or \`VIGIL_DUCKDB_THREADS\`); the bench's rows time it the same way. Alternated
  200,000-post runs, 10 events, two pairs: 11.5 / 11.5 s against 17.9 / 18.2 (ingest itself 9,714–9,743 against
  9,732–9,763 posts/s); 1,000 events, one pair: 44.7 against 69.5 s. Of the 10-event count on this host, measured
  statement by statement: cutting the words and hashtags per 5-minute period 7.3 s on one thread, 4.4 on two; the
  inserts of the partial counts that follow (2 M rows per period, 0.6 M per hour, 1.7 M in all) about 9 s on one
  thread, 7 on two. DuckDB's memory for the count (\`--duckdb-memory-limit\`, 128MB) spills there: with 256MB the
  count took 10.4–11.2 s (peak RSS 404–439 MB), with 512MB 9.6 s (637 MB), against 12.1–12.3 s (310 MB); at 1,000
  events (21.7 M partial counts for 436,246 rows: a thousand small events share few terms) 39.3 s with 256MB (522
  MB), 34.4 with 512MB (806 MB), against 43.6 (308 MB). The count process alone, as measured; inside an import the
  memory its ingest leaves comes on top, so the setting stays the operator's.
- A worker more while a core idles, built (2026-12-06, 05:40–06:45 UTC, the same slower host): per-thread CPU read
  every second through a 200,000-post import at 10 events showed two phases. While the tracker still reads the
  file (the first 9 of 20 s) the main thread (0.4 of a core), DuckDB and the one worker keep 1.6–1.8 cores busy;
  once it is read, the worker alone is the limit (busy 0.9–1.0) and the process uses 1.3–1.4 cores, the machine
  idle 0.4–0.5 of a core. The classifier's pool now starts one more worker, up to \`--classifier-workers-max\`
  (every core, at most 8), when every worker had a batch for at least 80% of the last second and the machine left
  at least 0.3 of a core idle (\`src/roles/classifier/growth.ts\`); batches go to the worker with the fewest
  waiting. Alternated 200,000-post runs, growth allowed against one worker fixed (\`VIGIL_CLASSIFIER_WORKERS_MAX=1\`):
  at 1,000 events 8,095 / 7,708 / 8,338 / 6,955 / 6,322 against 7,446 / 6,395 / 7,563 / 6,428 / 6,932 posts/s
  and, with a first version of the same rule, 8,587 / 8,141 / 6,895 against 7,198 / 7,037 / 6,227: 7 of 8 pairs
  9–21% faster, one 9% slower; CPU per post about the same (221–288 against 217–262 µs). At 10 events 10,218 /
  9,189 / 10,643 / 9,196 / 9,207 / 10,686 / 9,155 against 9,769 / 9,528 / 9,434 / 9,422 / 8,553 / 9,461 / 9,537:
  −4 to +13%, 5–15 CPU-µs/post more. The second worker starts 9–13 s into the run. Peak RSS 632–646 against
  523–535 MB at 10 events, 694–751 against 593–610 at 1,000; 2,000,000 posts at 10 events 700 MB (9,507 posts/s),
  +9% over the 200,000-post runs. The table's rows were not measured again on their host. They were on 2026-12-06
  (17:50–18:15 UTC, a host of the table's kind: one thread's JSON.parse at 82,182–85,137 posts/s against 90,889–92,954
  the day before): 23,411 / 22,891 / 19,002 posts/s at 10 / 100 / 1,000 events, 28 / 27 / 22% of that JSON.parse,
  against 21,935 / 21,020 / 17,659 and 24 / 23 / 19% with one worker the day before, for 77 / 77 / 94 CPU-µs/post
  against 70 / 75 / 90 and peak RSS 628 / 651 / 730 MB against 580 / 578 / 604; 2,000,000 posts 719 MB (+14%). The
  quick bench of that hour had shown the race the second worker brought: the last batch of an import (nothing behind
  it) classified before an earlier one, which the store then held for the 30 s it may wait for more writes (20,000
  posts at 100 events in 31 s, 637 posts/s). The classifier now commits what is held when nothing is being
  classified or written and nothing more is coming, and a held transaction commits after 2 s without a write.
- Per batch, not per post, and still worth it at 1,000 events (2026-12-03, afternoon): the classifier looks for a
  new event state before each 1,000-post batch, and each look read the newest state from the log and parsed it
  whole (276 KB at 1,000 events) even when nothing had changed, with the events' identity signature computed
  again. The state is now decoded once per change (the log's newest record and the reader's decoded state are
  kept until a newer one comes): alternated 200,000-post runs at 1,000 events on a busy host read 159–175 against
  173–193 CPU-µs/post (10,754–11,783 against 9,783–10,795 posts/s). Creating the bench's 1,000 events one at a
  time, before the clock starts, took 33–38 s (44–50 CPU-s) because the classifier and each worker rebuild the
  matcher on every change; the matcher now remembers each phrase's folded terms across builds: 24 s (28–29 CPU-s).
- DuckDB's second thread, measured alone (2026-12-03): the store's insert of 30,000 posts into a table of 70,000
  (10 events, batches of 2,000 posts, prepared once) took 16.0–16.9 CPU-µs/post with one DuckDB thread and
  20.9–21.4 with two, and no less wall time with two (18.6–19.2 against 16.5–17.4 µs/post). It is not the check's
  scan of the stored rows (left out, as a measurement: 16.3 against 20.4) nor insertion order
  (\`preserve_insertion_order\` off: 15.6 against 20.6): DuckDB hands each of the statement's pipelines to both
  threads. Hence \`vigil import --data\` runs DuckDB on one thread; a Vigil that also answers queries keeps every core.
- Post-once rows, priced before building (2026-12-03, DuckDB alone, one thread, the last 30,000 of 100,000 posts
  and a checkpoint): a wide row per post in one table and a narrow row per (event, post) in another, each kept once,
  took 44.8–45.8 CPU-µs/post at 1,000 events against 49.5–55.5 for today's wide row per (event, post), and 35.3–40.3
  against 34.5–38.5 at 10 events (a second parse of each post line, narrow, for the event rows; two inserts and two
  checks instead of one). At 2.18 rows a post that is 4–10 of the 145 CPU-µs/post end to end: not worth a schema
  change for speed alone.
- Matcher alone includes saying which target and field matched each event (\`match_targets\`, \`match_fields\`, since
  2026-11-28): 10–30% below the keyword-only matcher it replaced (110,772 posts/s at 10 events, 42,904 at 10,000).
  The rows of 2026-12-01 read 121,793 / 121,255 / 91,664 / 32,695 posts/s; the matcher has since been written as
  plain loops (2026-12-02, above) and, on 2026-12-06, ASCII text skips NFKC (which leaves it as it is), each phrase
  is looked up under one of its terms (its longest) instead of all, and a match's fields and targets are told
  without a set and a string per match. That day's change alone, on one thread over 100,000 of the bench's posts in
  alternated runs against the build before it: about 6.1 → 5.8 µs/post at 10 events and 8.4–8.9 → 7.8–8.1 at 1,000
  (under 1% of an ingested post's CPU).
- Word count and event-page queries run on a database of generated posts stored through the store adapter, with the
  \`raw\` column left empty to keep it small (neither query reads it); the 10 M database is 10 copies of the 1 M posts
  under new post ids. Since 2026-12-01 words, hashtags and mentions are counted as written, then lower-cased (10 M
  posts: word count 7.1 → 4.9 s, top hashtags 350 → 250 ms, measured back to back). The event page's top lists and
  volume sum the term counts (\`term_count\`, 2026-12-02; top hashtags alone did since 2026-12-01): measured the same
  day on the 10 M database, from the rows they took top words 36–40 s, domains 1.5 s, mentions and links 260 ms, top
  accounts 220 ms, volume by hour 130 ms, and the whole page (all its queries at once) about 40 s, where the table
  above has each under 80 ms and the page about a quarter of a second. The bench's event-page rows measured four of
  its queries before that day, which is how top words went unseen. Counting every write's terms in the write cost
  ingest 162–175 → 239–264 CPU-µs/post (a 2,400-row write holds about 50,000 distinct (event, term) pairs, and the
  words' regular expressions cost about 4 µs a row in the one writer), so the store counts when the writer is quiet
  and before an event page's queries, 250,000 rows per transaction; ingest is back at 158–168 CPU-µs/post (hashtags
  left the write path too). The "counted once" rows time that count over a whole database. The 10 M database is 10
  copies of 1 M posts, so it holds only the 1 M posts' distinct terms (49,973 hashtags, 332,737 words): a collection
  with more distinct terms has more counts to sum.
- The thesis's word count is timed twice: as its SQL over every row (what any query of that shape costs; CPU-bound
  on both cores: scanning the text about 1 s, splitting 4 s, grouping 6.5 s of about 11.5 CPU-s at 10 M posts), and
  summed from the term counts, which keep its words since 2026-12-02 (kind \`thesis-word\`; the bench checks that
  both give every word with the same count). Keeping them made counting a whole database 76 → 86 s at 10 M posts;
  leaving the stop words out of the distinct words of a count instead of out of every occurrence (the same counts)
  brought it to 41 s, and the keyword page's rising terms, counted from the rows with the same definition, from 65 s
  to 29 s (their results compared equal over all 86,757 rising terms of the 1 M database). The same section run on
  another host of this kind on 2026-12-05 (16:10 UTC, also 2 AMD EPYC cores, idle) took 14.2 s for the SQL over
  10 M rows, 0.54 s from the term counts, and about twice the table's times for the event page's queries: the
  figures hold for the host they were measured on, and compare only within one run. On that host the SQL with its
  split written as a lateral join (\`FROM tweet_row, unnest(string_split(t_text, ' '))\`) ran out of the 128 MB
  memory limit, where the subquery form finishes: the subquery form stays.
- The keyword feedback (2026-12-04), part of the event page: its rising terms compare the last hour before the
  event's newest post with the six before it, then to the second. The store now also counts hashtags and words per
  5-minute period of the posts' time (\`term_bucket_count\`), so the query sums the periods wholly inside each window
  and counts only the rows of the two periods a window's start cuts; the bench checks that it gives the same terms
  and figures as counting the rows of the seven hours, and times both. This hour the host was slower (the word count
  8.9 s against 6.2 s on 2026-12-02; the rising terms from the rows 47 s against 29 s). The bench's 10 M posts all
  fall within 2 h 47 min (the 1 M base's span), so the period cut at the last hour's start holds 300,000 rows:
  their words took 2.5 s and hashtags 0.55 s of the 3.5 s, the periods' counts 0.23 s. Later that day the windows
  were made to end with the period holding the event's newest post instead of the post itself (a post at 14:47 ends
  them at 14:50), so that each is whole periods and no row is read, and the feedback reads the windows' end first
  (from the minutes the term counts keep) so that DuckDB filters the periods' scan with a constant (median 354 →
  271 ms for the rising terms alone, alternated): the keyword feedback went from 3.5–4.3 s to the figure in the
  table, the same terms and figures as the rows with the same windows (compared). Summing the 2.65 M rows of the
  periods' counts (33 periods of about 80,000 distinct terms) is most of what is left, about 150–180 ms of it. Until
  then the bench's rows held no keywords, so the feedback's posts per hour had nothing to count; they now hold the
  ones each post matched of ten crisis terms, and the keywords' posts per hour are summed from the term counts (kind
  \`keyword-hour\`) instead of read from every row's keywords (581–614 ms at 10 M posts, the row below). The
  feedback's post count, taken until then from the retweet-share query (which also counts retweets and distinct
  accounts), became a count: p50 / p95 482 / 656 ms → 396 / 520 (the windows' end read first) → 314 / 367 ms over
  three runs, the last in a quieter hour (the other queries 10–20% faster than in the run before). The table's
  rows are of 2026-12-04, a quiet morning on a host whose one thread parsed JSON twice as fast as the evening
  before, with the same query code: the feedback 209 / 229 ms; measured alone that morning, its rising terms 130–136
  ms (a hash aggregate of the 2.65 M period rows into 122,151 terms: grouping on a hash of the kind and term
  instead, or taking the top 30 before building the terms' text, within 5 ms of it), the window's end 9 ms, the
  keywords' hours 10 ms and the post count 13 ms, and the whole feedback through the page's query slots 154–188 ms.
  Of the rising terms' 130 ms, about 20 are the view's branch that counts the rows not counted yet, even when there
  are none: planning the query takes 9 ms through the view against 2 ms on the table of counted periods alone, and
  the same query on that table runs in 110 ms. A page that has just brought the counts up to date could read the
  counted tables alone, at the price of the view's promise (exact whenever read) for rows written in between; not
  built. Tried on 2026-12-05 (10:00 UTC, the 10 M database): the recent hour's terms summed first (those of at least
  3 posts), then the six hours before only for them (a semi join), the same 30 terms and figures: 206–218 ms against
  154–177 for the one pass over the 33 periods; not taken.
  The price is in the quiet-time count: 1 M posts 6.1 → 23–28 s, 10 M 41 → 118 s in two runs (about twice the work
  with the host's slowdown set aside); of one 1 M-post count (21 s), hashtags and words per period 8.5 s, the other kinds
  and the sums 3.1 s, inserting the periods' rows 1.8 s and compactions 6.2 s. Only rows of an event's last seven
  hours are counted per period (its newest post only grows newer, so older rows never fall in a window again) and
  compaction drops periods that aged out: an import of a week pays this for its last hours only. The bench's posts
  all fall in those hours, so its figures are the whole price. The table's rows are the second run (with that
  change); the first read 3.5 / 4.1 s for the keyword feedback and 47 s from the rows.
  Whole hours (2026-12-05, afternoon). The store keeps the periods' counts per hour as well (\`term_hour_count\`, summed
  from the periods' counts in the same pass; a period is dropped only with its whole hour, so an hour's counts stay
  the sum of its periods'), and the rising terms read the windows' whole hours there and only their edges per period:
  either the periods inside the window, or the hour the edge cuts less the periods outside it, whichever holds fewer
  rows (core/rising-pieces.ts; the hour of the newest post less its empty periods after it). On the 10 M database
  that is 0.46 M rows instead of 2.56 M: the rising terms alone 163 → 104 ms through the engine (p50 of 20, the same
  30 terms and figures), 129 → 66 ms on the tables without the views. The score is computed in doubles: its
  decimal arithmetic on 128-bit sums took 20–25 ms of the 108,017 terms' projection. What is left of the 104 ms: the
  views' branches for rows not counted yet (about 23 ms, planned even when there are none) and the engine's checks
  of the SQL (about 15). The keyword feedback as the page asks for it went from p50 202 / p95 214–237 to 137 /
  153–157 in the same harness, run one after the other. The bench's run after it: p50 154 / p95 164 ms. Counting
  the hours costs the quiet-time count 5–20%: the 1 M database counted from nothing in 10.6–11.2 s against 10.0–10.2
  (alternated runs; the bench's row above read 15.7 s in a slower minute), the 10 M in 89 s against 82.5; after a
  200,000-post import, 8.5–8.6 against 7.6–7.8 s at 10 events and 31.0–32.2 against 25.3–26.7 s at 1,000, where
  an event's terms are sparse and its hours hold almost as many rows as its periods (4.8 M against 6.2 M; inserting
  them 5 s of the 32).
- Handover in embedded mode: the replay source does not depend on keywords, so a keyword change only swaps the
  classifier's matcher between batches; the figure checks that posts matching a keyword kept across all changes are
  stored exactly once. Live sources, whose connections must be replaced make-before-break, come with their issue.
- Distributed ingest runs the same embedded roles with \`--bus kafka --store cassandra\` against the engines started
  by \`scripts/engines/\` on the same machine; the second row runs \`vigil run --roles all\` (tracker, two classifiers,
  events and analytics as processes of their own under the controller) and times the replay until the lag is 0. On 2
  cores shared with Kafka and Cassandra a second classifier process does not add throughput; both store the same rows.
  Cassandra write concurrency (\`--cassandra-concurrency\`, requests in flight per process) measured 2026-12-01 on
  50,000 posts, 10 events, one process: 8 / 32 / 128 gave 3,546 / 3,551 / 3,636 posts/s at about 252 CPU-µs/post,
  so on 2 cores shared with both engines it is not the limit (the Vigil process uses about one core, Kafka and
  Cassandra the other); 32 stays the default, the setting is for a cluster. With each post's raw kept once in the
  \`post\` table (2026-12-01) the figure stayed where it was (2,916 posts/s, was 2,909): at 10 events a post has
  1.2 rows, so raw was written 1.2 times before; the gain is in storage at many events per post, not in speed here.
  Since 2026-12-02 the Kafka bus carries values as bytes: a replayed line goes to Kafka without being decoded and
  encoded again, and a fetched one reaches the classifier's workers as the bytes fetched (the Vigil process 313–353
  → 296–307 CPU-µs/post, alternated runs of 50,000 posts). Where a post's CPU goes on this machine then (50,000
  posts, CPU time of each process): the Vigil process about 300 µs (its sockets to Kafka and Cassandra, lz4 for
  Kafka and the Cassandra driver's encoding are a third of it), Cassandra 230–350 µs, Kafka 30–45 µs: about 600 µs,
  so 2 cores give about 3,300 posts/s whatever one of them saves. Cassandra batches of several posts' raw (several
  partitions in one unlogged batch) were 3–10% faster here but put a cluster's coordinator to work for every
  partition: not taken. Measured on 2026-12-02 on a busier host, the rows read 2,536 and 2,659 posts/s (the day
  before 2,916 and 2,819); unchanged embedded code took 170–197 CPU-µs/post that morning against 163, and the
  alternated runs above compare the two versions of the bus on the same hour. The rows above are of a quieter hour
  the same day. Where Cassandra's CPU goes (2026-12-02, 100,000 posts, 10 events; JDK Flight Recorder samples of
  its threads): compaction 43%, the write path (mutations into memtables) 22%, flushing memtables 17%, the native
  protocol 17%. Alternated runs of 100,000 posts on a warm node, Cassandra's CPU per post: as configured 244–267 µs;
  Unified Compaction (T8) on the tweet and post tables 236–267 µs (not taken); compaction switched off altogether
  (a bound, not a setting) 187–189 µs, 3,972–4,050 posts/s; the raw post left out (a bound) 127 µs; memtables off
  the heap (\`offheap_objects\`) 183–286 µs against 233–291 on the heap, within the noise (not taken). With Kafka's
  15–25 µs and the Vigil process's 210–260, a post costs at least about 400 CPU-µs here even without compaction:
  Issue #18's 10,000 posts/s (200 CPU-µs/post on 2 cores) needs the engines on cores of their own. Since that day
  the measured runs follow 20,000 posts sent through first and not measured: right after a start Cassandra runs
  its first minute in the JVM's interpreter (the same 100,000 posts measured first read 2,713 and 3,033 posts/s).
  On 2026-12-03 the classifier's main thread was found busy nearly all the time (\`--cpu-prof\`): the Cassandra
  store expanded each post line into its rows with \`{ ...own, ...post }\`, a second spread into a literal, which
  V8 does one property at a time on a slow path: about 80 CPU-µs a post (a batch measured alone: 77–95 µs/post;
  copied field by field, 17–20). The Vigil process 291 → 223 CPU-µs/post and 3,146 → 4,077 posts/s on 50,000
  posts; two runs of this section that hour read 4,222 and 4,918 posts/s in one process and 3,282 and 4,523 with
  every role a process (the rows above are the first), against 2,956 and 3,561 the day before. Cassandra's own 244–267 CPU-µs a post
  and Kafka's 15–25 stay: on these 2 cores even a Vigil process that cost nothing would leave at most about 7,400
  posts/s, below the issue's 10,000. Later that day: the store wrote each batch's events' identities
  (\`stored_event\`) and partitions (\`event_buckets\`) again with every batch, one statement each; they are now
  written once per store (forgotten after it moves or purges rows). Counted on the first 20,000 posts of the stream,
  per 1,000 posts: at 1,000 events 2,443 → 1,327 single statements beside the same 315 batches of 1,831 rows (4,274
  → 3,158 mutations for Cassandra, a quarter fewer), at 10 events 767 → 748. The section's 10 events barely change.
  Measured again on 2026-12-04 (evening), after the classifier began pacing its reads by its work and writing a
  batch's rejects, deletions and rows side by side (the grouped commits are the embedded store's; Cassandra's writes
  settle as before): three alternated runs of the section, the new code 3,035 then 3,599 posts/s in one process and
  3,745 then 3,298 with every role a process, the code before it 3,629 and 3,447 between them: the same within this
  hour's noise, and below the 4,222 of the quieter hour of 2026-12-03.
  Cassandra's heap (2026-12-05, 03:55–04:05 UTC; the section run whole against a node reset and started with
  \`VIGIL_CASSANDRA_HEAP\`, Cassandra's CPU read from /proc over the warm-up and both rows, 220,000 posts): 768m
  (the development default; memtables 192 MiB) 82–85 CPU-s, 3,193–3,435 and 3,818–4,232 posts/s; 2g (memtables
  512 MiB) 68–69 CPU-s, 3,715–3,821 and 4,113–4,967 posts/s; 4g 66 CPU-s, 4,040 and 3,994 posts/s. Memtables a
  quarter of the heap: larger ones are flushed less often into fewer SSTables, which compaction rewrites fewer
  times (compaction was 43% of Cassandra's CPU, above). Cassandra's own sizing would give this 23.5 GiB machine a 6
  GB heap. The rows of that day ran against a 2g node (the row names its memtables, read from the node): 3,916
  and 4,232 posts/s; so do the rows above. Development and CI keep 768m (tests need no speed, and a CI machine's memory is not known); run
  \`VIGIL_CASSANDRA_HEAP=2g scripts/engines/cassandra.sh up\` before \`npm run bench\`.
  Against that node, one process (the first row's ingest alone, 100,000 posts after a warm-up, two alternated pairs
  each, CPU per post of the Vigil process / Cassandra / Kafka): Kafka batches uncompressed instead of lz4 214–221 /
  217–245 / 29–30 against 232–248 / 204–248 / 20–23 (the Vigil process spares the lz4 of its WebAssembly codec,
  the broker spends more on the larger batches: within the noise in all, not taken; lz4 keeps Kafka's log several
  times smaller); Cassandra batches of 60 rows of a partition instead of 20: 198–204 / 189–226 against 203–214 / 190–222, the same (kept at
  20). Under cpu-prof the Vigil process's main thread is busy about 90% of such a run: cassandra-driver's encoding
  and its buffers, garbage collection (3.5 of 22.6 busy seconds), the socket writes, decoding each row batch into
  row objects for the driver (1.5 s), Kafka's client and its lz4: the distributed classifier is bound by that
  thread and by Cassandra sharing the 2 cores, not by its workers. Rows sent as JSON text (\`INSERT … JSON ?
  DEFAULT UNSET\`, which would spare that thread the driver's encoding of some fifty values a row) were priced
  the same day on the store alone (no bus), writing 20,000 classified posts: Cassandra took 480 CPU-µs/post
  parsing them against 131 for today's prepared parameters (whose writes took the Vigil process 105): not built.
  Each post's raw is written to the \`post\` table by a request of its own (its own partition). Ten posts to an
  unlogged batch instead (2026-12-05, 05:15 UTC, four alternated pairs, 100,000 posts after a warm-up): 4,317–4,869
  against 3,043–4,682 posts/s, 178–196 against 200–229 CPU-µs/post for the Vigil process, 176–215 against 193–373
  for Cassandra: about 8% more posts/s in three of the four pairs. Not taken: a batch over several partitions is
  checked against Cassandra's \`batch_size_fail_threshold\` (50 KiB unless configured; a batch of one partition, as
  the \`tweet\` rows', is not), which ten long posts can pass, and warned about above 5 KiB (a line in the node's
  log for nearly every batch), and in a cluster one coordinator then forwards every post of the batch.
  What one process of each role costs (2026-12-05, 07:45 UTC, the section run whole, each process's threads' CPU
  read from /proc every 250 ms): with every role a process, each of the two classifier processes spent about 126
  CPU-µs per post it classified on its main thread (Kafka's client, cassandra-driver's encoding and sockets, the
  row objects, garbage collection) and about 104 on its other threads (its worker, V8's collector), and the tracker
  about 43. So one classifier process's main thread took at most about 7,900 posts/s whatever its cores. Since
  that morning each classifier worker thread writes the rows it classified to Cassandra over a connection of its
  own (\`PostStore.workerRowWriting\`, src/adapters/cassandra/row-writer.ts), and the main thread keeps Kafka's
  client, the rejects and the offsets: in the same measurement (08:20 UTC) each classifier process's main thread
  took about 52 CPU-µs per post and its other threads about 188 (about 240 in all, 230 before). In the one-process
  ingest (100,000 posts, two worker threads, three alternated pairs after a warm-up), the main thread 119–126 →
  47–49 CPU-µs/post, the Vigil process 205–215 → 195–201, and 3,356 / 4,184 / 4,557 → 4,958 / 4,967 / 4,888
  posts/s; the section run whole, alternated, read 3,766 / 4,639 → 4,755 / 4,682 posts/s for one process and
  3,700 / 4,182 → 3,334 / 3,704 with every role a process (each classifier's one worker then does most of its
  work): on these 2 cores, shared with Cassandra and Kafka, the same within the noise. What it changes is where a
  process's limit lies: its main thread now takes up to about 19,000 posts/s, and its workers, which write in
  parallel, scale with its cores. 10,000 posts/s then needs about 2.5 cores for Vigil (one classifier process with
  three or four workers, or two processes), 2–4 for Cassandra (170–370 CPU-µs a post in these runs) and half of one
  for Kafka: a machine of 8 cores or a cluster. Tried the same morning on a 2g node, two runs each after a warm-up, and not
  taken, each within the noise: Cassandra 5's trie memtables (\`memtable: configurations: default: inherits:
  trie\`) 256–333 CPU-µs a post for Cassandra; \`memtable_cleanup_threshold: 0.8\` (memtables flushed at about
  half the heap's memtable space instead of a third: fewer, larger SSTables) 221–332; Kafka uncompressed again
  (Vigil's process 196–212 against 205–206 CPU-µs/post). The distributed rows above are of 09:45 UTC that day, the
  same code and a 2g node: 3,710 posts/s in one process and 3,882 with every role a process, against 4,759 and 3,862
  at 08:30 UTC.
- DuckDB vs Spark: the same generated posts written to the embedded store and to Cassandra (growing: 100 k, then
  300 k, then 1 M), then the whole word count (every distinct word, not only the top) timed on each engine; Spark 3.5
  runs in local mode on this machine's cores beside Cassandra (\`scripts/engines/spark.sh\`) and reads Cassandra
  through the Spark Cassandra Connector for every query (nothing cached); "same distinct words" compares the two
  results' sizes (the parity test compares the lists).
- Exports of the embedded store (2026-12-06, this host in a slow hour: one thread's JSON.parse of the bench stream at
  about 52,000 posts/s). An export copies the event's rows into a private DuckDB, which writes the file. That copy
  was an in-memory database filled with the rows as JavaScript objects, then sorted whole: a 99,589-row JSONL export
  of the 200,000-post run's data directory took 30 s and raised the process's peak RSS to 2.5 GB, so a million-row
  event would have needed tens of GB. It is now a file (memory limit 256 MB, one thread), filled from DuckDB's own
  data chunks a slice of about 5,000 rows at a time in the files' order (DuckDB's sort of rows with their raw posts
  ran out of memory at any limit below their size: 600,000 rows of 3 KB at 512 MB). Measured on the data directory
  of a 1,000,000-post run at 10 events: the 99,589-row export 17–20 s, byte for byte the same file; 317,175 rows as
  JSONL 94–106 s, peak RSS of the whole Vigil 0.9–1.2 GB; 997,904 rows as Parquet (998 MB) 360 s, peak RSS 947 MB,
  every row present and in order. Most of that time is reading raw posts back from the packed log, about 60 µs each
  here (Brotli unpacks 256 KB frames at about 240 MB/s on this host, and an event that matched a third of the posts
  unpacks three times its bytes). Without raw, the rows are read from the rows' table (through the view, raw was
  computed for every row): the event's manifest 15 s and a raw=exclude CSV 19 s, against 37 and 43 s through the
  view. The geotagged-posts query of the event map (analyses.ts) still looks for places in raw; not measured.`;
