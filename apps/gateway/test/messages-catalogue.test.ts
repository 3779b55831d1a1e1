import fs from 'node:fs';
import path from 'node:path';
import type { IdNumberProblem } from '@portal/identity';
import { describe, expect, it } from 'vitest';
import {
  KIT,
  LOCALES,
  REPO_ROOT,
  GATEWAY_SRC,
  appNames,
  appsShowingGatewayFiles,
  hasText,
  leaves,
  readTexts,
  relative,
  sourceFiles,
  stringsIn,
  type Locale,
} from './support/texts.js';

/**
 * The portal's texts against what can ask for them. Every app (shell, card,
 * health, enrollment, eldercare) and the UI kit has src/locales/zh-CN.json and
 * en.json (CONTRIBUTING.md, "Browser code"):
 *
 * - both languages of each have exactly the same keys, and every value is a text;
 * - every error and validation key the gateway can send (each 'errors.*' and
 *   'validation.*' string in apps/gateway/src, the zod `error:` keys among
 *   them), and each one the API client or an app uses itself, has a text in
 *   both languages: in the UI kit, or in every app that can show it. The apps
 *   that can show a key are those calling a router whose code reaches the file
 *   that sends it (test/support/texts.ts), so a key of the delegation code
 *   belongs to the eldercare app's family page, and a key of trpc.ts, which
 *   every router uses, to the kit.
 */

const OWNERS = [KIT, ...appNames()];
const texts = Object.fromEntries(OWNERS.map((owner) => [owner, Object.fromEntries(LOCALES.map((locale) => [locale, readTexts(owner, locale)]))])) as Record<
  string,
  Record<Locale, Record<string, unknown>>
>;

/** Keys the gateway builds from a value: each template as written in the source, with every key it can make. */
const ID_NUMBER_PROBLEMS = { shape: true, birthDate: true, checkDigit: true } as const satisfies Record<IdNumberProblem, true>;
const KEY_TEMPLATES: Record<string, string[]> = {
  'validation.idNumber.${problem}': Object.keys(ID_NUMBER_PROBLEMS).map((problem) => `validation.idNumber.${problem}`),
};

function expandKey(value: string, template: boolean, where: string): string[] {
  if (!template) return [value];
  const keys = KEY_TEMPLATES[value];
  if (!keys) throw new Error(`${where} builds the key \`${value}\`: add it to KEY_TEMPLATES with every key it can make`);
  return keys;
}

const MESSAGE_KEY = /^(?:errors|validation)\.[A-Za-z0-9.${}]+$/;

interface KeyUse {
  key: string;
  /** Where it is used, for the failure message. */
  where: string;
  /** Apps that can show it; empty: the UI kit must have it. */
  apps: string[];
}

function gatewayKeyUses(): KeyUse[] {
  const shownBy = appsShowingGatewayFiles();
  return sourceFiles(GATEWAY_SRC).flatMap((file) =>
    stringsIn(file)
      .filter((string) => MESSAGE_KEY.test(string.value))
      .flatMap((string) => expandKey(string.value, string.template, relative(file)).map((key) => ({ key, where: relative(file), apps: [...(shownBy.get(file) ?? [])].sort() }))),
  );
}

/** Keys the browser code names itself: the API client's (every app uses it) and each app's own. */
function browserKeyUses(): KeyUse[] {
  // Single quotes in scripts and templates (t('errors.notFound')); double quotes are template attributes (v-if="errors.message.value").
  const literal = /'((?:errors|validation)\.[A-Za-z0-9.]+)'/g;
  const scan = (directory: string, apps: string[]) =>
    sourceFiles(directory, ['.ts', '.vue']).flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(literal)].map((match) => ({ key: match[1]!, where: relative(file), apps })));
  return [
    ...scan(path.join(REPO_ROOT, 'packages', 'api-client', 'src'), []),
    ...scan(path.join(REPO_ROOT, 'packages', 'ui', 'src'), []),
    ...appNames().flatMap((app) => scan(path.join(REPO_ROOT, 'apps', app, 'src'), [app])),
  ];
}

function missingTexts(uses: KeyUse[], locale: Locale): string[] {
  const missing = uses.filter(({ key, apps }) => !hasText(texts[KIT]![locale], key) && (apps.length === 0 || apps.some((app) => !hasText(texts[app]![locale], key))));
  return [
    ...new Set(
      missing.map(({ key, where, apps }) => {
        const lacking = apps.filter((app) => !hasText(texts[app]![locale], key));
        return `${key} (${where}): needs a ${locale} text in packages/ui${lacking.length ? ` or in ${lacking.map((app) => `apps/${app}`).join(' and ')}` : ''}`;
      }),
    ),
  ].sort();
}

describe('text files', () => {
  it('exist for the UI kit and every app', () => {
    expect(OWNERS).toEqual([KIT, 'card', 'eldercare', 'enrollment', 'health', 'shell']);
  });

  it.each(OWNERS)('%s: zh-CN.json and en.json have the same keys, and every value is a text', (owner) => {
    const [zh, en] = LOCALES.map((locale) => leaves(texts[owner]![locale]));
    expect(en!.map(([key]) => key).sort()).toEqual(zh!.map(([key]) => key).sort());
    const notTexts = [...zh!, ...en!].filter(([, value]) => typeof value !== 'string' || value.trim() === '').map(([key]) => key);
    expect(notTexts).toEqual([]);
  });
});

describe('error and validation keys', () => {
  const gateway = gatewayKeyUses();
  const browser = browserKeyUses();
  const keys = new Set([...gateway, ...browser].map((use) => use.key));

  it('finds the keys it checks, and who can show them', () => {
    // What the two earlier checks (enrollment-messages, eldercare-messages) looked for, and more.
    for (const key of [
      'errors.enrollment.roundNotOpen',
      'validation.enrollment.dryRunId',
      'validation.unknownField',
      'errors.eldercare.slotTaken',
      'validation.assessment.scoreRange',
      'errors.delegationScope',
      'errors.delegation.noRelation',
      'validation.idNumber.checkDigit',
      'errors.serviceUnavailable',
      'errors.network',
    ]) {
      expect(keys).toContain(key);
    }
    const shownBy = (file: string) => [...new Set(gateway.filter((use) => use.where === `apps/gateway/src/${file}`).flatMap((use) => use.apps))].sort();
    expect(shownBy('routers/delegation/grants.ts')).toEqual(['eldercare']);
    expect(shownBy('routers/enrollment/allocation.ts')).toEqual(['enrollment']);
    expect(shownBy('routers/health/record-holder.ts')).toEqual(['health']);
    expect(shownBy('routers/assist/router.ts')).toEqual(['shell']);
    expect(shownBy('routers/card/card-actions.ts')).toEqual(['card', 'shell']);
    expect(shownBy('trpc.ts')).toEqual(appNames());
  });

  it.each(LOCALES)('every key the gateway can send has a %s text where it can be shown', (locale) => {
    expect(missingTexts(gateway, locale)).toEqual([]);
  });

  it.each(LOCALES)('every key the API client or an app names itself has a %s text', (locale) => {
    expect(missingTexts(browser, locale)).toEqual([]);
  });
});
