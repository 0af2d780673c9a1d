/**
 * `npm run emulator -- --seed <file>`: start the Entra emulator and print its Graph base URL.
 * Configuration problems exit with code 2 and a message naming each bad option; Ctrl+C stops it.
 */
import { writeFile } from 'node:fs/promises';
import { isHardmatchError } from '../../errors/index.ts';
import { createLogger } from '../../logging/logger.ts';
import { parseCliArgs, USAGE } from './cli-args.ts';
import { seededRandom } from './prng.ts';
import { loadSeedFile } from './seed.ts';
import { startEmulator } from './server.ts';

async function main(): Promise<void> {
  const options = parseCliArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const seed = await loadSeedFile(options.seedFile);
  const emulator = await startEmulator({
    seed,
    port: options.port,
    host: options.host,
    latencyMs: options.latencyMs,
    throttleRate: options.throttleRate,
    https: options.https,
    ...(options.permissions === undefined ? {} : { permissions: options.permissions }),
    logger: createLogger({ level: options.logLevel, name: 'entra-emulator' }),
    ...(options.randomSeed === undefined ? {} : { random: seededRandom(options.randomSeed) }),
  });
  if (options.caCertOut !== undefined && emulator.caCertificate !== undefined) {
    await writeFile(options.caCertOut, emulator.caCertificate, 'utf8');
  }
  process.stdout.write(`Entra emulator: ${emulator.url}  (Graph base URL; requests go to ${emulator.url}/v1.0/...)\n`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  if (isHardmatchError(err)) {
    process.stderr.write(`${err.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`Entra emulator failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
});
