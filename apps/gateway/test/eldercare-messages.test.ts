import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every error and validation key the elderly-care and delegation code (and the
 * middleware that resolves delegations) can send has Chinese and English text,
 * so no refusal reaches a resident as a bare key.
 */
const SOURCES = ['src/routers/eldercare', 'src/routers/delegation', 'src/trpc.ts', 'src/schemas.ts'];

const commonMessages = Object.fromEntries(
  (['zh-CN', 'en'] as const).map((locale) => [locale, JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../packages/ui/src/locales', `${locale}.json`), 'utf8')) as unknown]),
);

function filesUnder(entry: string): string[] {
  const full = path.resolve(import.meta.dirname, '..', entry);
  if (fs.statSync(full).isFile()) return [full];
  return fs.readdirSync(full).flatMap((name) => filesUnder(path.join(entry, name)));
}

function keysIn(text: string): string[] {
  return [...text.matchAll(/'((?:errors|validation)\.[A-Za-z0-9.]+)'/g)].map((match) => match[1]!);
}

function lookup(messages: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), messages);
}

describe('elderly-care and delegation message keys', () => {
  const keys = [...new Set(SOURCES.flatMap(filesUnder).flatMap((file) => keysIn(fs.readFileSync(file, 'utf8'))))].sort();

  it('finds the keys it checks', () => {
    expect(keys).toContain('errors.eldercare.slotTaken');
    expect(keys).toContain('validation.assessment.scoreRange');
    expect(keys).toContain('errors.delegationScope');
  });

  it.each(['zh-CN', 'en'] as const)('every key has a %s text', (locale) => {
    const missing = keys.filter((key) => typeof lookup(commonMessages[locale], key) !== 'string');
    expect(missing).toEqual([]);
  });
});
