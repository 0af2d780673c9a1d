/**
 * `npm run package [-- --env <name>]`: appPackage/build/hardmatch.zip from env/.env.<name>
 * (default dev). Fails, naming each placeholder, when the env file lacks one.
 */
import { parseArgs } from 'node:util';
import { buildAppPackage, PlaceholderError } from './build-app-package.ts';

const { values } = parseArgs({ options: { env: { type: 'string', default: 'dev' } } });
const envName = values.env;
if (!/^[A-Za-z0-9_-]+$/.test(envName)) {
  console.error(`--env ${envName}: an environment name is letters, digits, - and _ (env/.env.<name>)`);
  process.exit(2);
}
try {
  const { outFile } = await buildAppPackage({
    envFile: `env/.env.${envName}`,
    appPackageDir: 'appPackage',
    outFile: 'appPackage/build/hardmatch.zip',
  });
  console.log(`${outFile} built from env/.env.${envName}`);
} catch (err) {
  if (err instanceof PlaceholderError || (err instanceof Error && 'code' in err && err.code === 'ENOENT')) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
