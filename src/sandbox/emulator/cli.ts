/**
 * `npm run emulator -- --seed <file>` (or `--generate <users>`): start the Entra emulator and print its Graph base URL.
 * Configuration problems exit with code 2 and a message naming each bad option; Ctrl+C stops it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isHardmatchError } from '../../errors/index.ts';
import { createLogger } from '../../logging/logger.ts';
import { generateDirectory } from '../generator/generate.ts';
import { parseCliArgs, USAGE, type CliOptions } from './cli-args.ts';
import { seededRandom } from './prng.ts';
import { loadSeedFile, parseSeed, type Seed } from './seed.ts';
import { startEmulator } from './server.ts';

/** The generated tenant (validated like a seed file), with the AD and the seed written where asked. */
async function generated(options: CliOptions): Promise<Seed> {
  const { tenant, directory, cases } = generateDirectory({ users: options.generate ?? 0, seed: options.generateSeed });
  if (options.writeDirectory !== undefined) {
    await mkdir(options.writeDirectory, { recursive: true });
    await writeFile(join(options.writeDirectory, 'users.json'), JSON.stringify(directory), 'utf8');
  }
  if (options.writeTenant !== undefined) await writeFile(options.writeTenant, JSON.stringify(tenant), 'utf8');
  process.stdout.write(
    `Generated ${directory.length} AD users and their tenant (seed ${options.generateSeed}): ${JSON.stringify(cases)}\n`,
  );
  return parseSeed(tenant);
}

async function main(): Promise<void> {
  const options = parseCliArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const seed = options.generate === undefined ? await loadSeedFile(options.seedFile) : await generated(options);
  const emulator = await startEmulator({
    seed,
    port: options.port,
    host: options.host,
    latencyMs: options.latencyMs,
    throttleRate: options.throttleRate,
    writeQuota: options.writeQuota,
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
