import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from './static-site';
import { SHARED_LIBRARIES } from './shared-libraries';

/**
 * Budget: a resident's first visit to the card page downloads at most
 * 150 KiB (gzip) of JavaScript and CSS in all. Counted from the builds:
 * the shell page with its entry and the chunk for app paths, every shared
 * library from the import map, and the card app's entry, stylesheet and
 * e-card page. Exits non-zero when over budget.
 */
const BUDGET_BYTES = 150 * 1024;

interface ManifestChunk {
  file: string;
  css?: string[];
  imports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

function gzipSize(file: string): number {
  return gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

function closure(manifest: Manifest, key: string, seen = new Set<string>()): string[] {
  if (seen.has(key)) return [];
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) throw new Error(`No chunk ${key} in the build manifest`);
  return [
    chunk.file,
    ...(chunk.css ?? []),
    ...(chunk.imports ?? []).flatMap((child) => closure(manifest, child, seen)),
  ];
}

function readManifest(dist: string): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8')) as Manifest;
}

const rows: { part: string; file: string; bytes: number }[] = [];
const add = (part: string, file: string) =>
  rows.push({ part, file: path.relative(REPO_ROOT, file), bytes: gzipSize(file) });

const shellDist = path.join(REPO_ROOT, 'apps/shell/dist');
const shellManifest = readManifest(shellDist);
add('shell', path.join(shellDist, 'index.html'));
const shellSeen = new Set<string>();
for (const key of ['index.html', 'src/pages/MicroAppPage.vue']) {
  for (const file of closure(shellManifest, key, shellSeen)) add('shell', path.join(shellDist, file));
}

for (const [specifier, spec] of Object.entries(SHARED_LIBRARIES)) {
  const files =
    'package' in spec
      ? [path.join(fs.realpathSync(path.join(REPO_ROOT, 'apps/shell/node_modules', spec.package)), spec.file)]
      : [spec.file, ...('extraFiles' in spec ? spec.extraFiles : [])].map((file) =>
          path.join(REPO_ROOT, spec.workspace, file),
        );
  for (const file of files) add(`shared ${specifier}`, file);
}

const cardDist = path.join(REPO_ROOT, 'apps/card/dist');
const cardManifest = readManifest(cardDist);
const cardSeen = new Set<string>();
for (const key of ['src/main.ts', 'src/pages/ECardPage.vue']) {
  for (const file of closure(cardManifest, key, cardSeen)) add('card', path.join(cardDist, file));
}
add('card', path.join(cardDist, 'card.css'));

const total = rows.reduce((sum, row) => sum + row.bytes, 0);
for (const row of rows) console.log(`${String(row.bytes).padStart(7)}  ${row.part.padEnd(26)} ${row.file}`);
console.log(
  `${String(total).padStart(7)}  total gzip bytes for a first visit to the card page (budget ${BUDGET_BYTES})`,
);
if (total > BUDGET_BYTES) {
  console.error(`Over budget by ${total - BUDGET_BYTES} bytes.`);
  process.exit(1);
}
