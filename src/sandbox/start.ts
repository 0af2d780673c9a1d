/**
 * `npm start`: the sandbox. No configuration needed: the Entra emulator seeded with the scenario
 * catalog, the relay over the fixture directory, the bot on PORT (3978) in sandbox mode, the
 * Agents Playground on http://localhost:56150. SANDBOX_TENANT=<seed file> emulates that tenant
 * instead, SANDBOX_DIRECTORY=<fixture file> serves those AD users instead; SANDBOX_NO_PLAYGROUND=1 skips the Playground (tests, headless machines).
 */
import dotenv from 'dotenv';
import pretty from 'pino-pretty';
import { createLogger } from '../logging/logger.ts';
import { exitOnStartupError, onShutdown } from '../transport/process-lifecycle.ts';
import { sandboxBanner } from './banner.ts';
import { startSandbox } from './start-sandbox.ts';

async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const env = process.env;
  const logger = createLogger({
    level: env.LOG_LEVEL ?? 'info',
    name: 'hardmatch-sandbox',
    destination: pretty({ colorize: process.stdout.isTTY, ignore: 'pid,hostname', translateTime: 'HH:MM:ss' }),
  });
  const noPlayground = env.SANDBOX_NO_PLAYGROUND === '1';
  const sandbox = await startSandbox({ env, logger, playground: !noPlayground });
  const playgroundProblem = noPlayground ? 'turned off (SANDBOX_NO_PLAYGROUND=1)' : sandbox.playgroundError;
  console.log(
    sandboxBanner({
      botUrl: sandbox.botUrl,
      relayUrl: sandbox.relayUrl,
      relayExternal: sandbox.relayExternal,
      emulatorUrl: sandbox.emulatorUrl,
      tenantSource: sandbox.tenantSource,
      directorySource: sandbox.directorySource,
      ...(sandbox.playgroundUrl ? { playgroundUrl: sandbox.playgroundUrl } : {}),
      ...(sandbox.playgroundUrls?.ben ? { approverPlaygroundUrl: sandbox.playgroundUrls.ben } : {}),
      ...(playgroundProblem ? { playgroundProblem } : {}),
    }),
  );
  onShutdown(
    () => sandbox.close(),
    (message, err) => (err ? logger.error({ err }, message) : logger.info(message)),
  );
}

main().catch(exitOnStartupError);
