import { ref, watch } from 'vue';

export type PortalLocale = 'zh-CN' | 'en';
export const LOCALES: readonly PortalLocale[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'portal.locale';

function initialLocale(): PortalLocale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    // Storage may be blocked; Chinese is the default.
  }
  return 'zh-CN';
}

/**
 * The page's one language, shared by the shell and every micro-app (this
 * module is loaded once through the import map). Remembered across visits.
 */
export const portalLocale = ref<PortalLocale>(initialLocale());

export function setPortalLocale(locale: PortalLocale) {
  portalLocale.value = locale;
}

watch(
  portalLocale,
  (locale) => {
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // Not remembered, but still switched.
    }
    if (typeof document !== 'undefined') document.documentElement.lang = locale;
  },
  { immediate: true },
);
