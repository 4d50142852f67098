import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import { buildAppPackage, pngSize, readPackageSource } from './app-package.js';

/**
 * `npm run teams:package`: writes dist/govbot-teams.zip, the file to upload in Teams (Apps →
 * Manage your apps → Upload an app) or the Teams admin centre. Reads MICROSOFT_APP_ID and
 * BOT_DOMAIN from the environment or a `.env` in the working directory (the environment wins),
 * like the service does. A packaging tool, not the service: it reads the environment itself.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const source = readPackageSource(path.join(root, 'manifest', 'teams'));
const envFile = path.join(process.cwd(), '.env');
const env = { ...(fs.existsSync(envFile) ? dotenv.parse(fs.readFileSync(envFile)) : {}), ...process.env };

const icons = [['color.png', source.color, 192], ['outline.png', source.outline, 32]] as const;
const iconProblems = icons.flatMap(([name, png, side]) => {
  const size = pngSize(png);
  return size && size.width === side && size.height === side ? [] : [`manifest/teams/${name} must be a ${side}×${side} PNG: regenerate it with node manifest/teams/make-icons.mjs`];
});
const built = buildAppPackage(source, env);
const problems = [...iconProblems, ...(built.ok ? [] : built.problems)];
if (problems.length > 0 || !built.ok) {
  process.stderr.write(`teams:package: ${problems.join('\nteams:package: ')}\n`);
  process.exit(1);
}
const target = path.join(root, 'dist', 'govbot-teams.zip');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, built.zip);
process.stdout.write(`wrote ${path.relative(process.cwd(), target) || target} (${built.zip.length} bytes): upload it in Teams, Apps > Manage your apps > Upload an app\n`);
