/**
 * `npm run stage:deploy` (after `npm run build`): copies package.json and package-lock.json into
 * dist/, so `npm ci --omit=dev` there gives the App Service package its production dependencies
 * (m365agents.yml's deploy). App Service runs it with `node main.js` from dist/.
 */
import { access, copyFile, readFile, writeFile } from 'node:fs/promises';

try {
  await access('dist/main.js');
} catch {
  console.error('dist/main.js is missing: run `npm run build` first.');
  process.exit(1);
}
// The staged package.json keeps no scripts: its postinstall checks the development install's Node
// (scripts/check-node.cjs, not shipped), and a server runs `node main.js` on the host's own Node.
const pkg = JSON.parse(await readFile('package.json', 'utf8')) as Record<string, unknown>;
delete pkg.scripts;
await writeFile('dist/package.json', `${JSON.stringify(pkg, null, 2)}\n`);
await copyFile('package-lock.json', 'dist/package-lock.json');
console.log('dist/ staged: run `npm ci --omit=dev --ignore-scripts` in dist/, then zip-deploy dist/.');
