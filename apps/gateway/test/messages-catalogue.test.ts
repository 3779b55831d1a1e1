import fs from 'node:fs';
import path from 'node:path';
import type { IdNumberProblem } from '@portal/identity';
import { describe, expect, it } from 'vitest';
import {
  AllocationOutcome,
  CardEventKind,
  CareOrderStatus,
  ReplacementStatus,
  Service,
} from '../src/generated/prisma/enums.js';
import { DELEGABLE_SERVICES } from '../src/routers/delegation/grants.js';
import { PROVIDER_STEPS } from '../src/routers/eldercare/provider-orders.js';
import { TRANSITIONS } from '../src/routers/enrollment/rules.js';
import {
  KIT,
  LOCALES,
  SHELL,
  REPO_ROOT,
  GATEWAY_SRC,
  appNames,
  appsShowingGatewayFiles,
  hasText,
  leaves,
  lookup,
  microAppNames,
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
 *   every router uses, to the kit;
 * - every message-center topic the gateway sends (notifyResident/notifyResidents:
 *   each `topic:` string, templates such as `enrollment.status.${to}` made into
 *   every key they can give), every access-log action (each other string named
 *   like `card.summary`), and every kind of the home page's card activity has a
 *   text in both languages in its owner's texts: a micro-app's `shell` section
 *   (published beside its bundle as its text catalogue, scripts/app-texts.ts)
 *   for `card.*`, `health.*`, `enrollment.*`, `eldercare.*`, the shell's own for
 *   the rest (assisted service, `assist.*`).
 */

const OWNERS = [KIT, ...appNames()];
const texts = Object.fromEntries(
  OWNERS.map((owner) => [owner, Object.fromEntries(LOCALES.map((locale) => [locale, readTexts(owner, locale)]))]),
) as Record<string, Record<Locale, Record<string, unknown>>>;

/** Keys the gateway builds from a value: each template as written in the source, with every key it can make. */
const ID_NUMBER_PROBLEMS = { shape: true, birthDate: true, checkDigit: true } as const satisfies Record<
  IdNumberProblem,
  true
>;
const prefixed = (prefix: string, values: readonly string[]) => values.map((value) => `${prefix}${value}`);
const KEY_TEMPLATES: Record<string, string[]> = {
  'validation.idNumber.${problem}': prefixed('validation.idNumber.', Object.keys(ID_NUMBER_PROBLEMS)),
  // Message topics.
  'card.replacement.${to}': prefixed('card.replacement.', Object.values(ReplacementStatus)),
  'enrollment.status.${to}': prefixed('enrollment.status.', [...new Set(Object.values(TRANSITIONS).flat())]),
  // An allocation tells the families whose application it changed; NEXT_PREFERENCE stays APPROVED and is not sent.
  'enrollment.status.${row.outcome}': prefixed(
    'enrollment.status.',
    Object.values(AllocationOutcome).filter((outcome) => outcome !== 'NEXT_PREFERENCE'),
  ),
  'eldercare.order.${status}': prefixed('eldercare.order.', Object.values(CareOrderStatus)),
  '${service.toLowerCase()}.delegation.${event}': DELEGABLE_SERVICES.flatMap((service) =>
    prefixed(`${service.toLowerCase()}.delegation.`, ['GRANTED', 'REVOKED']),
  ),
  // Access-log actions.
  'eldercare.provider.${input.to}': prefixed('eldercare.provider.', Object.keys(PROVIDER_STEPS)),
};

function expandKey(value: string, template: boolean, where: string): string[] {
  if (!template) return [value];
  const keys = KEY_TEMPLATES[value];
  if (!keys)
    throw new Error(`${where} builds the key \`${value}\`: add it to KEY_TEMPLATES with every key it can make`);
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
      .flatMap((string) =>
        expandKey(string.value, string.template, relative(file)).map((key) => ({
          key,
          where: relative(file),
          apps: [...(shownBy.get(file) ?? [])].sort(),
        })),
      ),
  );
}

/** Keys the browser code names itself: the API client's (every app uses it) and each app's own. */
function browserKeyUses(): KeyUse[] {
  // Single quotes in scripts and templates (t('errors.notFound')); double quotes are template attributes (v-if="errors.message.value").
  const literal = /'((?:errors|validation)\.[A-Za-z0-9.]+)'/g;
  const scan = (directory: string, apps: string[]) =>
    sourceFiles(directory, ['.ts', '.vue']).flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(literal)].map((match) => ({
        key: match[1]!,
        where: relative(file),
        apps,
      })),
    );
  return [
    ...scan(path.join(REPO_ROOT, 'packages', 'api-client', 'src'), []),
    ...scan(path.join(REPO_ROOT, 'packages', 'ui', 'src'), []),
    ...appNames().flatMap((app) => scan(path.join(REPO_ROOT, 'apps', app, 'src'), [app])),
  ];
}

function missingTexts(uses: KeyUse[], locale: Locale): string[] {
  const missing = uses.filter(
    ({ key, apps }) =>
      !hasText(texts[KIT]![locale], key) &&
      (apps.length === 0 || apps.some((app) => !hasText(texts[app]![locale], key))),
  );
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
    const notTexts = [...zh!, ...en!]
      .filter(([, value]) => typeof value !== 'string' || value.trim() === '')
      .map(([key]) => key);
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
    const shownBy = (file: string) =>
      [...new Set(gateway.filter((use) => use.where === `apps/gateway/src/${file}`).flatMap((use) => use.apps))].sort();
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

/** Who has the texts the shell shows for a topic or action: the micro-app it is named after, or the shell. */
function ownerOf(key: string): string {
  const first = key.split('.', 1)[0]!;
  return microAppNames().includes(first) ? first : SHELL;
}

/** The owner's texts as the shell gets them: a micro-app's `shell` section (its published catalogue), the shell's own file. */
function shownTexts(owner: string, locale: Locale): unknown {
  return owner === SHELL ? texts[SHELL]![locale] : texts[owner]![locale].shell;
}

interface ShellKey {
  key: string;
  where: string;
}

/**
 * Topics and access-log actions in the gateway's source. The command-line
 * tools are left out: they call procedures by path (`eldercare.book`), which
 * reads like an action.
 */
function topicsAndActions(): { topics: ShellKey[]; actions: ShellKey[] } {
  const services = new RegExp(
    `^(?:assist|${Object.values(Service)
      .map((service) => service.toLowerCase())
      .join('|')})\\.[A-Za-z0-9_.\${}]+$`,
  );
  const topics: ShellKey[] = [];
  const actions: ShellKey[] = [];
  for (const file of sourceFiles(GATEWAY_SRC).filter((name) => !name.includes(`${path.sep}cli${path.sep}`))) {
    for (const string of stringsIn(file)) {
      const where = relative(file);
      if (string.property === 'topic')
        topics.push(...expandKey(string.value, string.template, where).map((key) => ({ key, where })));
      else if (services.test(string.value))
        actions.push(...expandKey(string.value, string.template, where).map((key) => ({ key, where })));
    }
  }
  return { topics, actions };
}

function missingShown(keys: ShellKey[], section: string, locale: Locale): string[] {
  const missing = keys.filter(({ key }) => !hasText(lookup(shownTexts(ownerOf(key), locale), section), key));
  return [
    ...new Set(
      missing.map(({ key, where }) => {
        const owner = ownerOf(key);
        return `${section}.${key} (${where}): needs a ${locale} text in apps/${owner}/src/locales/${locale}.json${owner === SHELL ? '' : ' under "shell"'}`;
      }),
    ),
  ].sort();
}

describe('texts the shell shows for each service', () => {
  const { topics, actions } = topicsAndActions();
  const activity: ShellKey[] = Object.values(CardEventKind).map((kind) => ({
    key: `card.${kind}`,
    where: 'CardEventKind in prisma/schema.prisma',
  }));

  it('finds the topics and actions it checks', () => {
    const topicKeys = new Set(topics.map(({ key }) => key));
    const actionKeys = new Set(actions.map(({ key }) => key));
    for (const key of [
      'card.replacement.READY_FOR_PICKUP',
      'card.lossReportedByDelegate',
      'enrollment.status.OFFERED',
      'enrollment.status.MANUAL_PLACEMENT',
      'eldercare.order.BOOKED',
      'eldercare.delegation.GRANTED',
      'eldercare.assessment.RECORDED',
      'assist.codeBlocked',
    ]) {
      expect(topicKeys).toContain(key);
    }
    for (const key of [
      'card.summary',
      'card.verifyQr',
      'health.timeline',
      'enrollment.review',
      'enrollment.lottery',
      'eldercare.book',
      'eldercare.assessor.record',
      'eldercare.provider.COMPLETED',
      'assist.authorized',
      'assist.findResident',
    ]) {
      expect(actionKeys).toContain(key);
    }
    expect(topicKeys).not.toContain('enrollment.status.DRAFT');
  });

  it.each(LOCALES)('every message topic has a %s text in its service’s texts', (locale) => {
    expect(missingShown(topics, 'inbox.topics', locale)).toEqual([]);
  });

  it.each(LOCALES)('every access-log action has a %s text in its service’s texts', (locale) => {
    expect(missingShown(actions, 'accessLog.action', locale)).toEqual([]);
  });

  it.each(LOCALES)('every kind of card activity on the home page has a %s text in the card app', (locale) => {
    expect(missingShown(activity, 'activity', locale)).toEqual([]);
  });

  it.each(microAppNames())(
    '%s: its "shell" texts are in its own namespaces only, and the shell has none of them',
    (app) => {
      const own = [`inbox.topics.${app}.`, `accessLog.action.${app}.`, `activity.${app}.`];
      for (const locale of LOCALES) {
        const stray = leaves(texts[app]![locale].shell)
          .map(([key]) => key)
          .filter((key) => !own.some((prefix) => key.startsWith(prefix)));
        expect(stray).toEqual([]);
        const inShell = own
          .map((prefix) => prefix.slice(0, -1))
          .filter((key) => lookup(texts[SHELL]![locale], key) !== undefined);
        expect(inShell).toEqual([]);
      }
    },
  );
});
