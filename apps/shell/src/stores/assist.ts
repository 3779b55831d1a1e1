import type { RouterOutputs } from '@portal/api-client';
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api } from '../api';

type Authorization = RouterOutputs['assist']['get'];

/** The authorization staff are working under, for the banner. */
export const useAssistStore = defineStore('assist', () => {
  const current = ref<Authorization | null>(null);

  async function open(authorizationId: string) {
    if (current.value?.id !== authorizationId) current.value = null;
    try {
      current.value = await api.assist.get.query({ authorizationId });
    } catch {
      // Not this staff member's, or no such authorization: shown like one that has ended.
      current.value = {
        id: authorizationId,
        method: 'ONE_TIME_CODE',
        scopes: [],
        includesSensitiveHealth: false,
        expiresAt: new Date(0),
        state: 'ENDED',
        resident: null,
      };
    }
  }

  async function end(authorizationId: string) {
    await api.assist.end.mutate({ authorizationId });
    current.value = null;
  }

  return { current, open, end };
});
