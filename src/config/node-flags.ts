/**
 * The Node flags the bot's process runs with in production (infra/azure.bicep's appCommandLine and
 * `npm run bot` carry the same; test/infra checks both), and that bench:bulk-scan starts its scanner
 * with. A scan of 50,000 users allocates about 1 GB of short-lived objects and holds some 90 MB
 * (the tenant's index, the AD pages waiting for it):
 * - an 8 MB semi-space (16 MB young generation): Node 24 lets the young generation of a 64-bit
 *   process grow to 128 MB under such an allocation rate, and keeps it;
 * - `--heap-growing-percent=100`: after each full collection the old generation may double before
 *   the next, where V8's own factor (up to 4x) let what a small young generation promotes pile up
 *   as garbage until the scan's end.
 * Together, at 50k (bench:bulk-scan): peak RSS 264-277 MB against 318-324 MB with a 16 MB
 * semi-space alone, the scan's time unchanged. The bot's other work is I/O and short-lived objects.
 */
export const BOT_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--heap-growing-percent=100'];

/**
 * The environment the bot's process starts with in production besides its configuration
 * (infra/azure.bicep's app settings carry it; test/infra checks), and that bench:bulk-scan starts
 * its scanner with. `MALLOC_ARENA_MAX=2`: glibc gives each thread that allocates (V8's GC and
 * compiler threads, libuv's pool) an arena of its own, up to 8 per core, and keeps what is freed in
 * them; a scan's buffers (Graph's pages, the relay's) freed there stayed in the RSS. At 50k
 * (bench:bulk-scan, the same day, nothing else running): peak RSS 250-290 MB in 8 runs against
 * 265-326 MB in 14 without it (4 of them above 300), the time within the run-to-run noise.
 */
export const BOT_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
