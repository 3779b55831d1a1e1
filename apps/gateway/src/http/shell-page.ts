import fs from 'node:fs';
import path from 'node:path';
import { ImportMapFile, inlineJson } from './import-map.js';

const PLACEHOLDER = '<!--portal:importmap-->';

/** The shell's index.html with the current import map written into it. */
export class ShellPage {
  private readonly importMap: ImportMapFile;
  private template: { mtimeMs: number; html: string } | null = null;

  constructor(private readonly staticDir: string) {
    this.importMap = ImportMapFile.in(staticDir);
  }

  render(nonce: string): string | null {
    const file = path.join(this.staticDir, 'index.html');
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) return null;
    if (!this.template || this.template.mtimeMs !== stat.mtimeMs) {
      this.template = { mtimeMs: stat.mtimeMs, html: fs.readFileSync(file, 'utf8') };
    }
    const script = `<script type="importmap" nonce="${nonce}">${inlineJson(this.importMap.read())}</script>`;
    return this.template.html.replace(PLACEHOLDER, script);
  }
}
