import { portalLocale, type PortalLocale } from '@portal/ui';
import { computed, reactive, watch, type ComputedRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { MICRO_APPS, type MicroApp } from './micro-apps';

/**
 * Texts the shell shows on behalf of a micro-app: its message-center topics
 * (`inbox.topics.card.replacement.SUBMITTED`), its access-log actions
 * (`accessLog.action.card.summary`) and its home-page activity
 * (`activity.card.LOSS_REPORTED`). They belong to the app: its build publishes
 * them as `texts/<locale>.json` beside its entry module (scripts/app-texts.ts),
 * so deploying the app alone changes them. The shell's own (assisted service:
 * `assist.*`) are in its src/locales.
 *
 * A catalogue is fetched the first time the shell shows one of its texts, for
 * the current language only, and merged into the shell's messages; only the
 * app's own namespace is taken from it. Nothing is fetched before a page needs
 * it, so the card page's first visit costs no request more.
 */

export type AppTextSection = 'inbox.topics' | 'accessLog.action' | 'activity';
const SECTIONS: readonly AppTextSection[] = ['inbox.topics', 'accessLog.action', 'activity'];

type CatalogueState = 'loading' | 'loaded' | 'failed';
/** Per app and language (`card:en`). A failed catalogue is fetched again the next time a page asks for it. */
const states = reactive(new Map<string, CatalogueState>());
const inFlight = new Map<string, Promise<void>>();

type MergeLocaleMessage = (locale: string, message: Record<string, unknown>) => void;

/** The micro-app whose catalogue has the text for a topic or action key ("eldercare.order.BOOKED"); null for the shell's own. */
export function textOwner(key: string): MicroApp | null {
  const first = key.split('.', 1)[0];
  return MICRO_APPS.find((app) => app.name === first) ?? null;
}

/** Beside the module the import map names for the app: the catalogue of the version this page loads. */
function catalogueUrl(app: MicroApp, locale: PortalLocale): string {
  return new URL(`texts/${locale}.json`, import.meta.resolve(app.specifier)).href;
}

function child(node: unknown, key: string): unknown {
  return node && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
}

/** Only the app's own namespace in each section, so one app's catalogue can never change another's texts or the shell's. */
function ownPart(app: string, catalogue: unknown): Record<string, unknown> {
  const part: Record<string, unknown> = {};
  for (const section of SECTIONS) {
    const path = [...section.split('.'), app];
    const texts = path.reduce<unknown>(child, catalogue);
    if (!texts || typeof texts !== 'object') continue;
    let node = part;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[app] = texts;
  }
  return part;
}

function loadCatalogue(merge: MergeLocaleMessage, app: MicroApp, locale: PortalLocale): Promise<void> {
  const id = `${app.name}:${locale}`;
  if (states.get(id) === 'loaded') return Promise.resolve();
  const running = inFlight.get(id);
  if (running) return running;
  states.set(id, 'loading');
  const loading = fetch(catalogueUrl(app, locale), { credentials: 'same-origin' })
    .then(async (response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      merge(locale, ownPart(app.name, await response.json()));
      states.set(id, 'loaded');
    })
    .catch((error: unknown) => {
      states.set(id, 'failed');
      console.warn(`The ${locale} texts of ${app.name} could not be loaded; generic texts are shown instead`, error);
    })
    .finally(() => inFlight.delete(id));
  inFlight.set(id, loading);
  return loading;
}

/**
 * For a shell component that shows apps' texts. `keys` gives the topic or
 * action keys on screen; their catalogues are loaded in the current language
 * (and again when it changes). `ready` is false while one is still on its
 * way; `text` is null when the text is not there (its catalogue failed, or the
 * key is unknown), so the caller shows its generic text.
 */
export function useAppTexts(keys: () => readonly string[]): {
  ready: ComputedRef<boolean>;
  text: (section: AppTextSection, key: string, params?: Record<string, unknown>) => string | null;
} {
  const { t, te, mergeLocaleMessage } = useI18n();
  const owners = computed(() => [
    ...new Set(
      keys()
        .map((key) => textOwner(key))
        .filter((app): app is MicroApp => app !== null),
    ),
  ]);
  watch(
    [() => owners.value.map((app) => app.name).join(','), portalLocale],
    () => {
      const locale = portalLocale.value;
      for (const app of owners.value) void loadCatalogue(mergeLocaleMessage as MergeLocaleMessage, app, locale);
    },
    { immediate: true },
  );
  const ready = computed(() =>
    owners.value.every((app) => {
      const state = states.get(`${app.name}:${portalLocale.value}`);
      return state === 'loaded' || state === 'failed';
    }),
  );

  function text(section: AppTextSection, key: string, params: Record<string, unknown> = {}): string | null {
    const owner = textOwner(key);
    if (owner && states.get(`${owner.name}:${portalLocale.value}`) !== 'loaded') return null;
    const full = `${section}.${key}`;
    return te(full) ? t(full, params) : null;
  }

  return { ready, text };
}
