import { watch } from 'vue';
import { createI18n } from 'vue-i18n';
import { portalLocale, type PortalLocale } from './locale.js';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

type Catalog = Record<string, unknown>;

function merge(base: Catalog, extra: Catalog): Catalog {
  const result: Catalog = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const existing = result[key];
    result[key] =
      existing && typeof existing === 'object' && value && typeof value === 'object'
        ? merge(existing as Catalog, value as Catalog)
        : value;
  }
  return result;
}

/** Texts every app needs: common words, service names, and the gateway's generic error and validation keys. */
const commonMessages: Record<PortalLocale, Catalog> = { 'zh-CN': zhCN, en };

/**
 * An i18n instance for one app (shell or micro-app): the portal's common
 * messages plus the app's own (its src/locales/*.json), following the shared
 * portal locale.
 */
export function createPortalI18n(messages: Record<PortalLocale, Catalog>) {
  const i18n = createI18n({
    legacy: false,
    locale: portalLocale.value,
    fallbackLocale: 'zh-CN',
    messages: {
      'zh-CN': merge(commonMessages['zh-CN'], messages['zh-CN']),
      en: merge(commonMessages.en, messages.en),
    } as never,
  });
  watch(portalLocale, (locale) => {
    (i18n.global.locale as unknown as { value: string }).value = locale;
  });
  return i18n;
}
