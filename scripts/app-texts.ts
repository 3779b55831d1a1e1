import fs from 'node:fs';
import path from 'node:path';

/**
 * A micro-app's texts that the shell shows: its message-center topics
 * (`inbox.topics.<app>.…`), its access-log actions (`accessLog.action.<app>.…`)
 * and its home-page activity (`activity.<app>.…`). They are written in the
 * app's own `src/locales/<locale>.json`, under the key `shell`, with the paths
 * the shell looks them up by.
 *
 * The app's build (this Vite plugin, in each micro-app's vite.config.ts):
 * - leaves the `shell` section out of the app's bundle (the app never shows it);
 * - writes it as `texts/<locale>.json` beside the app's entry module, so it is
 *   published in the app's version folder and `deploy:app` changes it with the app.
 *
 * The shell finds a catalogue beside the module the import map names for the
 * app (`apps/shell/src/app-texts.ts`) and fetches it when it first shows one of
 * its texts, in the current language only.
 */

export const TEXT_LOCALES = ['zh-CN', 'en'] as const;
export type TextLocale = (typeof TEXT_LOCALES)[number];

/** Where a catalogue is, relative to the app's entry module. */
export function catalogueFile(locale: TextLocale): string {
  return `texts/${locale}.json`;
}

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The only paths an app's catalogue may fill: its own namespace in each section. Deploying one app cannot change another's texts. */
export function allowedSections(app: string): string[][] {
  return [
    ['inbox', 'topics', app],
    ['accessLog', 'action', app],
    ['activity', app],
  ];
}

/** Checks that a `shell` section holds nothing but the app's own namespaces, and texts in them. Throws, naming the first problem. */
export function checkShellSection(app: string, section: unknown, where: string): Node {
  if (section === undefined) return {};
  if (!isNode(section)) throw new Error(`${where}: "shell" must be an object`);
  const allowed = allowedSections(app);
  const startsWith = (parts: string[], prefix: string[]) => prefix.every((part, index) => parts[index] === part);
  const walk = (node: Node, at: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      const here = [...at, key];
      const name = `shell.${here.join('.')}`;
      const inside = allowed.some((parts) => here.length >= parts.length && startsWith(here, parts));
      const onTheWay = allowed.some((parts) => here.length < parts.length && startsWith(parts, here));
      if (inside && typeof value === 'string') continue;
      if ((inside || onTheWay) && isNode(value)) walk(value, here);
      else if (inside) throw new Error(`${where}: ${name} is not a text`);
      else
        throw new Error(
          `${where}: ${name} is not one of this app's (${allowed.map((parts) => `shell.${parts.join('.')}`).join(', ')})`,
        );
    }
  };
  walk(section, []);
  return section;
}

interface AssetEmitter {
  emitFile(file: { type: 'asset'; fileName: string; source: string }): string;
}

/** The Vite plugin: `plugins: [vue(), appTexts('card')]`. */
export function appTexts(app: string) {
  let root = process.cwd();
  const localeFile = (locale: TextLocale) => path.join(root, 'src', 'locales', `${locale}.json`);
  const isLocaleFile = (id: string) =>
    TEXT_LOCALES.some((locale) => path.resolve(id.split('?')[0]!) === localeFile(locale));
  return {
    name: 'portal-app-texts',
    // Before Vite's own JSON plugin turns the file into a module.
    enforce: 'pre' as const,
    configResolved(config: { root: string }) {
      root = config.root;
    },
    transform(code: string, id: string) {
      if (!isLocaleFile(id)) return null;
      const { shell, ...own } = JSON.parse(code) as Node;
      checkShellSection(app, shell, path.relative(root, id));
      return { code: JSON.stringify(own), map: null };
    },
    generateBundle(this: AssetEmitter) {
      for (const locale of TEXT_LOCALES) {
        const file = localeFile(locale);
        const texts = JSON.parse(fs.readFileSync(file, 'utf8')) as Node;
        const section = checkShellSection(app, texts.shell, path.relative(root, file));
        this.emitFile({ type: 'asset', fileName: catalogueFile(locale), source: `${JSON.stringify(section)}\n` });
      }
    },
  };
}
