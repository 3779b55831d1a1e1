import { DATA_CHANGED_EVENT } from '@portal/api-client';
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { Router } from 'vue-router';
import { api } from '../api';
import { shellPinia } from '../pinia';
import { useSessionStore } from './session';

const REFRESH_EVERY_MS = 60_000;

/**
 * The resident's unread message count for the header. Refreshed while a
 * resident is signed in: on sign-in, on every shell route change, after any
 * app's change succeeded (a submitted application may bring a message), when
 * the window regains focus and every minute. Staff and signed-out visitors have none.
 */
export const useInboxStore = defineStore('inbox', () => {
  const unread = ref(0);
  let timer: ReturnType<typeof setInterval> | null = null;
  /** Only the latest request may set the count: an older answer never overwrites a newer one. */
  let generation = 0;
  let connected = false;

  async function refresh() {
    const session = useSessionStore(shellPinia);
    const mine = ++generation;
    if (!session.isResident) {
      unread.value = 0;
      return;
    }
    try {
      const result = await api.messages.unreadCount.query();
      if (mine === generation && session.isResident) unread.value = result.unread;
    } catch {
      // Keep the last known count; an ended session is handled by the shell.
    }
  }

  /** Marking read on the message page shows in the header at once; the gateway's count follows. */
  function markedRead(count: number | 'all') {
    generation++;
    unread.value = count === 'all' ? 0 : Math.max(0, unread.value - count);
    void refresh();
  }

  function stopTimer() {
    if (timer !== null) clearInterval(timer);
    timer = null;
  }

  function onFocus() {
    void refresh();
  }

  /** Called once at start-up. */
  function connect(router: Router) {
    if (connected) return;
    connected = true;
    const session = useSessionStore(shellPinia);
    watch(
      () => session.me,
      () => {
        stopTimer();
        if (session.isResident) {
          timer = setInterval(() => void refresh(), REFRESH_EVERY_MS);
        } else {
          generation++;
          unread.value = 0;
        }
        void refresh();
      },
      { immediate: true },
    );
    router.afterEach((_to, _from, failure) => {
      if (!failure && session.isResident) void refresh();
    });
    window.addEventListener('focus', onFocus);
    window.addEventListener(DATA_CHANGED_EVENT, (event) => {
      // Marking read updates the count itself.
      if ((event as CustomEvent<{ path: string }>).detail?.path !== 'messages.markRead' && session.isResident)
        void refresh();
    });
  }

  return { unread, refresh, markedRead, connect };
});
