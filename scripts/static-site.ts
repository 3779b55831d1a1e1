import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { SHARED_LIBRARIES } from './shared-libraries';

/**
 * Publishes builds into the static directory the gateway (or any web server
 * or CDN) serves:
 *
 *   index.html                      the shell page; the gateway writes the import map into it
 *   importmap.json                  specifier -> URL for every shared library and micro-app
 *   shell/assets/*                  the shell's hashed files
 *   shared/<library>/<hash>/*       vue, vue-router, pinia, ... loaded once per page
 *   apps/<app>/<version>/*          each micro-app build, in its own version folder
 *
 * Versioned folders are never overwritten, so a page that is open keeps
 * working while a new version is published.
 */

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MICRO_APP_NAMES = ['card', 'health', 'enrollment', 'eldercare'] as const;
export type MicroAppName = (typeof MICRO_APP_NAMES)[number];

export function staticDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const dataDir = path.resolve(env.PORTAL_DATA_DIR ?? path.join(REPO_ROOT, '.data'));
  return path.resolve(env.PORTAL_STATIC_DIR ?? path.join(dataDir, 'www'));
}

interface ImportMap {
  imports: Record<string, string>;
}

function readImportMap(staticDir: string): ImportMap {
  const file = path.join(staticDir, 'importmap.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ImportMap) : { imports: {} };
}

/** Written to a temporary file and renamed, so a reader never sees half a map. */
function writeImportMap(staticDir: string, map: ImportMap) {
  const file = path.join(staticDir, 'importmap.json');
  const temporary = `${file}.${process.pid}.tmp`;
  const sorted = Object.fromEntries(Object.entries(map.imports).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(temporary, `${JSON.stringify({ imports: sorted }, null, 2)}\n`);
  fs.renameSync(temporary, file);
}

function contentHash(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) {
    hash.update(path.basename(file));
    hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 10);
}

/** Copies a file and writes a gzip twin for scripts and stylesheets (the gateway serves those to browsers that accept gzip). */
function publishFile(source: string, target: string) {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(source, target);
  if (/\.(js|css|json|svg|html)$/.test(target))
    fs.writeFileSync(`${target}.gz`, gzipSync(fs.readFileSync(source), { level: 9 }));
}

function listFiles(directory: string): string[] {
  return fs
    .readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.includes(`${path.sep}.vite${path.sep}`));
}

function sharedLibrarySource(spec: (typeof SHARED_LIBRARIES)[keyof typeof SHARED_LIBRARIES]): string[] {
  if ('package' in spec) {
    const packageDir = fs.realpathSync(path.join(REPO_ROOT, 'apps', 'shell', 'node_modules', spec.package));
    return [path.join(packageDir, spec.file)];
  }
  const base = path.join(REPO_ROOT, spec.workspace);
  return [spec.file, ...('extraFiles' in spec ? spec.extraFiles : [])].map((file) => path.join(base, file));
}

export function publishSharedLibraries(staticDir: string): Record<string, string> {
  const imports: Record<string, string> = {};
  for (const [specifier, spec] of Object.entries(SHARED_LIBRARIES)) {
    const files = sharedLibrarySource(spec);
    for (const file of files) {
      if (!fs.existsSync(file)) throw new Error(`Missing build of ${specifier}: ${file} (run the build first)`);
    }
    const folder = `shared/${specifier.replace(/^@/, '').replace(/\//g, '-')}/${contentHash(files)}`;
    for (const file of files) publishFile(file, path.join(staticDir, folder, path.basename(file)));
    imports[specifier] = `/${folder}/${path.basename(files[0]!)}`;
  }
  return imports;
}

export function publishShell(staticDir: string) {
  const dist = path.join(REPO_ROOT, 'apps', 'shell', 'dist');
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error('Missing shell build (run the build first)');
  for (const file of listFiles(path.join(dist, 'assets'))) {
    publishFile(file, path.join(staticDir, 'shell', 'assets', path.relative(path.join(dist, 'assets'), file)));
  }
  // Last: the page switches to the new assets only once they are all in place.
  publishFile(path.join(dist, 'index.html'), path.join(staticDir, 'index.html'));
}

/** Publishes one micro-app's current build under a new version folder and points the import map at it. */
export function publishMicroApp(staticDir: string, name: MicroAppName): { version: string; url: string } {
  const appDir = path.join(REPO_ROOT, 'apps', name);
  const dist = path.join(appDir, 'dist');
  const entry = path.join(dist, `${name}.js`);
  if (!fs.existsSync(entry)) throw new Error(`Missing build of ${name}: ${entry}`);
  const pkg = JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8')) as { version: string };
  const files = listFiles(dist);
  const version = `${pkg.version}-${contentHash(files)}`;
  const folder = path.join(staticDir, 'apps', name, version);
  for (const file of files) publishFile(file, path.join(folder, path.relative(dist, file)));
  const url = `/apps/${name}/${version}/${name}.js`;
  const map = readImportMap(staticDir);
  map.imports[`@portal/app-${name}`] = url;
  writeImportMap(staticDir, map);
  return { version, url };
}

/** Publishes everything: shared libraries, every micro-app, then the shell. */
export function publishAll(staticDir: string) {
  fs.mkdirSync(staticDir, { recursive: true });
  const map = readImportMap(staticDir);
  Object.assign(map.imports, publishSharedLibraries(staticDir));
  writeImportMap(staticDir, map);
  for (const name of MICRO_APP_NAMES) publishMicroApp(staticDir, name);
  publishShell(staticDir);
}
