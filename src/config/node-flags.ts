/**
 * The Node flags the bot's process runs with in production (infra/azure.bicep's appCommandLine and
 * `npm run bot` carry the same; test/infra checks both), and that bench:bulk-scan starts its scanner
 * with. A 16 MB semi-space (32 MB young generation): Node 24 lets the young generation of a 64-bit
 * process grow to 128 MB under a high allocation rate, as a 50,000-user scan has, and keeps it; the
 * bot's work is I/O and short-lived objects, which a smaller young generation collects as well.
 */
export const BOT_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16'];
