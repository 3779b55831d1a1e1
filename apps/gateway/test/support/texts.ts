/**
 * Reading the portal's texts and the source that uses them, for
 * test/messages-catalogue.test.ts.
 *
 * Texts: the UI kit's and each app's `src/locales/<locale>.json`. A micro-app's
 * file has a `shell` section: the texts of that app which the shell shows
 * (message-center topics, access-log actions, home-page activity), published
 * beside the app's bundle as its text catalogue (scripts/app-texts.ts).
 *
 * Source: the gateway's `src` (without the generated Prisma client), read as
 * text. Which app can show a key that a gateway file sends is derived, not
 * listed: the routers of src/app-router.ts whose code reaches the file
 * (runtime imports followed), and the apps whose code calls those routers
 * (`api.<router>.…`).
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..', '..');
export const GATEWAY_SRC = path.join(REPO_ROOT, 'apps', 'gateway', 'src');
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Whoever has texts: the UI kit and every app (shell and micro-apps). */
export const KIT = 'kit';
export const SHELL = 'shell';

/** The apps with texts of their own, by name (apps/<name>/src/locales). */
export function appNames(): string[] {
  return fs
    .readdirSync(path.join(REPO_ROOT, 'apps'))
    .filter((name) => fs.existsSync(path.join(REPO_ROOT, 'apps', name, 'src', 'locales')))
    .sort();
}

/** The micro-apps: every app with texts but the shell. */
export function microAppNames(): string[] {
  return appNames().filter((name) => name !== SHELL);
}

function localesDir(owner: string): string {
  return owner === KIT
    ? path.join(REPO_ROOT, 'packages', 'ui', 'src', 'locales')
    : path.join(REPO_ROOT, 'apps', owner, 'src', 'locales');
}

export function localeFile(owner: string, locale: Locale): string {
  return path.join(localesDir(owner), `${locale}.json`);
}

export type Texts = Record<string, unknown>;

export function readTexts(owner: string, locale: Locale): Texts {
  return JSON.parse(fs.readFileSync(localeFile(owner, locale), 'utf8')) as Texts;
}

/** Every key of a nested text file, dotted, each with its value (texts are strings; anything else is a mistake). */
export function leaves(node: unknown, prefix = ''): [string, unknown][] {
  if (node && typeof node === 'object' && !Array.isArray(node)) {
    return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) =>
      leaves(value, prefix ? `${prefix}.${key}` : key),
    );
  }
  return [[prefix, node]];
}

/** The text at a dotted key, as vue-i18n finds it (it splits keys at dots), or undefined. */
export function lookup(texts: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined),
      texts,
    );
}

export function hasText(texts: unknown, key: string): boolean {
  const value = lookup(texts, key);
  return typeof value === 'string' && value.length > 0;
}

// ---------------------------------------------------------------- source

export function sourceFiles(directory: string, extensions = ['.ts']): string[] {
  return fs
    .readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && extensions.some((extension) => entry.name.endsWith(extension)))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter(
      (file) =>
        !file.includes(`${path.sep}generated${path.sep}`) && !file.includes(`${path.sep}node_modules${path.sep}`),
    )
    .sort();
}

export function relative(file: string): string {
  return path.relative(REPO_ROOT, file);
}

/** A string in the source: a quoted literal, or a template literal as written (`enrollment.status.${to}`). */
export interface SourceString {
  value: string;
  template: boolean;
  /** The name of the property it is the value of (`topic: '…'`), if it is one. */
  property: string | null;
  file: string;
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(
    file,
    fs.readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
}

/** Every string literal and template literal in a file, read with TypeScript's own parser (comments are not code). */
export function stringsIn(file: string): SourceString[] {
  const source = parse(file);
  const found: SourceString[] = [];
  const visit = (node: ts.Node) => {
    const isString = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
    if (isString || ts.isTemplateExpression(node)) {
      const parent = node.parent;
      const property =
        parent && ts.isPropertyAssignment(parent) && parent.initializer === node ? parent.name.getText(source) : null;
      const value = isString ? (node as ts.StringLiteral).text : node.getText(source).slice(1, -1);
      found.push({ value, template: !isString, property, file });
      if (!isString) ts.forEachChild(node, visit);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The gateway files a file imports at run time (`import type` runs nothing). */
function runtimeImports(file: string): string[] {
  const source = parse(file);
  const specifiers: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier))
      specifiers.push(node.moduleSpecifier.text);
    if (
      ts.isExportDeclaration(node) &&
      !node.isTypeOnly &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      specifiers.push(node.moduleSpecifier.text);
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    )
      specifiers.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts'))
    .filter((target) => fs.existsSync(target) && !target.includes(`${path.sep}generated${path.sep}`));
}

function reachableFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    pending.push(...runtimeImports(file));
  }
  return seen;
}

/** The gateway's routers as src/app-router.ts mounts them: name (as the browser calls it, `api.<name>`) -> file. */
export function mountedRouters(): Map<string, string> {
  const file = path.join(GATEWAY_SRC, 'app-router.ts');
  const text = fs.readFileSync(file, 'utf8');
  const files = new Map(
    [...text.matchAll(/import \{ (\w+) \} from '([^']+)'/g)].map((match) => [
      match[1]!,
      path.resolve(path.dirname(file), match[2]!).replace(/\.js$/, '.ts'),
    ]),
  );
  const body = text.slice(text.indexOf('router({'));
  return new Map([...body.matchAll(/^\s*(\w+): (\w+),?$/gm)].map((match) => [match[1]!, files.get(match[2]!)!]));
}

/** Which routers each app calls (`api.card.summary.query(…)` calls `card`). */
export function routersCalledBy(app: string): Set<string> {
  const files = sourceFiles(path.join(REPO_ROOT, 'apps', app, 'src'), ['.ts', '.vue']);
  return new Set(
    files.flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/\bapi\.(\w+)\./g)].map((match) => match[1]!)),
  );
}

/** For each gateway file, the apps that can show what it sends: the callers of every router whose code reaches it. */
export function appsShowingGatewayFiles(): Map<string, Set<string>> {
  const callers = new Map(appNames().map((app) => [app, routersCalledBy(app)]));
  const shownBy = new Map<string, Set<string>>();
  for (const [name, routerFile] of mountedRouters()) {
    const apps = [...callers].filter(([, routers]) => routers.has(name)).map(([app]) => app);
    for (const file of reachableFrom(routerFile)) {
      const set = shownBy.get(file) ?? new Set<string>();
      for (const app of apps) set.add(app);
      shownBy.set(file, set);
    }
  }
  return shownBy;
}
