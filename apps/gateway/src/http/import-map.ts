import fs from 'node:fs';
import path from 'node:path';

export interface ImportMap {
  imports: Record<string, string>;
}

/**
 * The import map names one URL per shared library and per micro-app. It is a
 * file in the static directory, re-read when it changes, so deploying one
 * micro-app is: copy its files, rewrite its line in importmap.json.
 */
export class ImportMapFile {
  private cached: { mtimeMs: number; map: ImportMap } | null = null;

  constructor(private readonly file: string) {}

  read(): ImportMap {
    const stat = fs.statSync(this.file, { throwIfNoEntry: false });
    if (!stat) return { imports: {} };
    if (!this.cached || this.cached.mtimeMs !== stat.mtimeMs) {
      this.cached = { mtimeMs: stat.mtimeMs, map: JSON.parse(fs.readFileSync(this.file, 'utf8')) as ImportMap };
    }
    return this.cached.map;
  }

  static in(staticDir: string): ImportMapFile {
    return new ImportMapFile(path.join(staticDir, 'importmap.json'));
  }
}

/** JSON inside <script> must not be able to close the element. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
