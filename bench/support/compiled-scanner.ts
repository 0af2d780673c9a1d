/**
 * The scanner's process runs the JavaScript tsc emits, as the bot does in production (azure.bicep
 * starts main.js): Node's own type stripping, which runs the .ts sources directly, loads a
 * WebAssembly compiler that stays in the process (about 17 MB of RSS) and that the bot never has.
 * Compiled once per bench run into dist/bench-scanner (git-ignored), from bench/bulk-scan.ts and
 * what it imports (with src/types, the declarations the project adds); the stand-ins' processes still run the sources.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Compiles bench/bulk-scan.ts and its imports; answers the path of the emitted bulk-scan.js. */
export function compileScanner(): string {
  const outDir = `${root}dist/bench-scanner`;
  mkdirSync(outDir, { recursive: true });
  // Next to the output, so tsc finds @types/node from it as from the repository's own tsconfig.
  const config = `${root}dist/bench-scanner.tsconfig.json`;
  const options = { noEmit: false, outDir, rootDir: root, sourceMap: false, incremental: false };
  writeFileSync(
    config,
    JSON.stringify({
      extends: `${root}tsconfig.json`,
      compilerOptions: options,
      files: [`${root}bench/bulk-scan.ts`],
      include: [`${root}src/types`],
    }),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', config], { stdio: 'inherit' });
  return `${outDir}/bench/bulk-scan.js`;
}
