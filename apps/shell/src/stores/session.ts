import { describeError, type RouterOutputs } from '@portal/api-client';
import { setElderMode } from '@portal/ui';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api } from '../api';

export type Me = RouterOutputs['auth']['me'];

/** Who is signed in. Authorization is the gateway's; this only decides what to show. */
export const useSessionStore = defineStore('session', () => {
  const me = ref<Me>(null);
  const loaded = ref(false);
  /** Set when the gateway ended the session, to explain the sign-in page. */
  const expired = ref(false);

  const isResident = computed(() => me.value?.kind === 'RESIDENT');
  const isCounterStaff = computed(() => me.value?.kind === 'STAFF' && me.value.role === 'COUNTER');
  const isCardOffice = computed(() => me.value?.kind === 'STAFF' && me.value.role === 'CARD_OFFICE');

  async function load() {
    try {
      me.value = await api.auth.me.query();
    } catch (error) {
      if (describeError(error).code !== 'UNAUTHORIZED') throw error;
      me.value = null;
    }
    // The user's own choice of the elder-friendly mode follows them to every device.
    if (me.value && me.value.elderMode !== null) setElderMode(me.value.elderMode);
    loaded.value = true;
  }

  /** Switches the elder-friendly mode, and remembers it for the signed-in user. */
  async function chooseElderMode(on: boolean) {
    setElderMode(on);
    if (!me.value) return;
    me.value = { ...me.value, elderMode: on, offerElderMode: false };
    await api.auth.setElderMode.mutate({ on }).catch(() => undefined);
  }

  async function signInResident(idNumber: string, password: string) {
    await api.auth.signInResident.mutate({ idNumber, password });
    expired.value = false;
    await load();
  }

  async function signInStaff(staffNumber: string, password: string) {
    await api.auth.signInStaff.mutate({ staffNumber, password });
    expired.value = false;
    await load();
  }

  async function signOut() {
    await api.auth.signOut.mutate().catch(() => undefined);
    me.value = null;
  }

  function markExpired() {
    me.value = null;
    expired.value = true;
  }

  return {
    me,
    loaded,
    expired,
    isResident,
    isCounterStaff,
    isCardOffice,
    load,
    chooseElderMode,
    signInResident,
    signInStaff,
    signOut,
    markExpired,
  };
});
