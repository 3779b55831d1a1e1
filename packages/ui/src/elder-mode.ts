import { ref, watch } from 'vue';

const STORAGE_KEY = 'portal.elderMode';

function initial(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false;
  }
}

/**
 * The elder-friendly mode (长辈模式, China's 2020 适老化 campaign), shared by
 * the shell and every micro-app. It only switches an attribute on <html>:
 * the design tokens in tokens.css do the rest, so an app needs no code of
 * its own. Remembered in this browser; the shell also stores it per user.
 */
export const elderMode = ref<boolean>(initial());

export function setElderMode(on: boolean) {
  elderMode.value = on;
}

watch(
  elderMode,
  (on) => {
    try {
      localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
    } catch {
      // Not remembered in this browser, but still switched.
    }
    if (typeof document !== 'undefined') {
      if (on) document.documentElement.dataset.elderMode = 'on';
      else delete document.documentElement.dataset.elderMode;
    }
  },
  { immediate: true },
);
