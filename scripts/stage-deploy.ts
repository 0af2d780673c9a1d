/**
 * `npm run stage:deploy` (after `npm run build`): copies package.json and package-lock.json into
 * dist/, so `npm ci --omit=dev` there gives the App Service package its production dependencies
 * (m365agents.yml's deploy). App Service runs it with `node main.js` from dist/.
 */
import { copyFile, access } from 'node:fs/promises';

try {
  await access('dist/main.js');
} catch {
  console.error('dist/main.js is missing: run `npm run build` first.');
  process.exit(1);
}
for (const file of ['package.json', 'package-lock.json']) await copyFile(file, `dist/${file}`);
console.log('dist/ staged: run `npm ci --omit=dev --ignore-scripts` in dist/, then zip-deploy dist/.');
