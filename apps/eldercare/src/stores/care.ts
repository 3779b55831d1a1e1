import { getPortalClient, type RouterInputs, type RouterOutputs } from '@portal/api-client';
import { createPersonGuard, useMicroAppContext } from '@portal/ui';
import { defineStore } from 'pinia';
import { ref } from 'vue';

export type Profile = RouterOutputs['eldercare']['profile'];
export type Catalogue = RouterOutputs['eldercare']['catalogue'];
export type CatalogueItem = Catalogue['items'][number];
export type ServiceKind = CatalogueItem['kind'];
export type Order = RouterOutputs['eldercare']['orders']['orders'][number];
export type OrderWhen = RouterInputs['eldercare']['orders']['when'];
export type ProfileUpdate = Omit<RouterInputs['eldercare']['updateProfile'], 'authorizationId' | 'delegationId'>;
export type Received = RouterOutputs['delegation']['received'];

export const SERVICE_KINDS = [
  'MEAL',
  'CLEANING',
  'BATHING',
  'MEDICAL_ESCORT',
  'HOME_VISIT',
  'EMERGENCY_CALL',
] as const satisfies readonly ServiceKind[];

/**
 * The elderly care app's data for one older resident: the signed-in resident
 * themself, the parent whose delegation (委托) they act under, or, in assisted
 * mode, the resident who authorized the counter. Every call names the
 * delegation or the authorization; the gateway decides whose care that is.
 * Switching whom one acts for forgets everything loaded, and answers that
 * arrive for the previous person are dropped.
 */
export const useCareStore = defineStore('care', () => {
  const api = getPortalClient();
  const { authorizationId } = useMicroAppContext();
  const assisted = authorizationId !== null;

  const delegationId = ref<string | null>(null);
  const { personChanged, forCurrentPerson } = createPersonGuard();

  const profile = ref<Profile | null>(null);
  const catalogue = ref<Catalogue | null>(null);
  const orders = ref<Record<OrderWhen, Order[] | null>>({ UPCOMING: null, PAST: null });
  /** Delegations others gave the signed-in resident (residents only; null until loaded). */
  const received = ref<Received | null>(null);

  function subject(): { authorizationId: string } | { delegationId: string } | Record<string, never> {
    if (authorizationId) return { authorizationId };
    return delegationId.value ? { delegationId: delegationId.value } : {};
  }

  function setDelegation(id: string | null) {
    const next = assisted ? null : id;
    if (next === delegationId.value) return;
    delegationId.value = next;
    personChanged();
    profile.value = null;
    catalogue.value = null;
    orders.value = { UPCOMING: null, PAST: null };
  }

  async function loadReceived() {
    if (assisted) return;
    received.value = await api.delegation.received.query();
  }

  async function loadProfile() {
    await forCurrentPerson(
      () => api.eldercare.profile.query(subject()),
      (value) => (profile.value = value),
    );
  }

  async function updateProfile(update: ProfileUpdate) {
    const result = await api.eldercare.updateProfile.mutate({ ...subject(), ...update });
    profile.value = null;
    return result;
  }

  async function requestAssessment() {
    const result = await api.eldercare.requestAssessment.mutate(subject());
    await loadProfile();
    return result;
  }

  async function loadCatalogue(kind?: ServiceKind) {
    await forCurrentPerson(
      () => api.eldercare.catalogue.query({ ...subject(), kind }),
      (value) => (catalogue.value = value),
    );
  }

  async function book(slotId: string, requestKey: string, note: string | undefined) {
    const order = await api.eldercare.book.mutate({ ...subject(), slotId, requestKey, note });
    orders.value = { UPCOMING: null, PAST: null };
    profile.value = null;
    return order;
  }

  async function loadOrders(when: OrderWhen) {
    await forCurrentPerson(
      () => api.eldercare.orders.query({ ...subject(), when }),
      (value) => (orders.value = { ...orders.value, [when]: value.orders }),
    );
  }

  async function cancel(orderId: string) {
    await api.eldercare.cancel.mutate({ ...subject(), orderId });
    profile.value = null;
    await loadOrders('UPCOMING');
  }

  async function rate(orderId: string, stars: number, comment: string | undefined) {
    await api.eldercare.rate.mutate({ ...subject(), orderId, stars, comment });
    await loadOrders('PAST');
  }

  return {
    assisted,
    delegationId,
    profile,
    catalogue,
    orders,
    received,
    setDelegation,
    loadReceived,
    loadProfile,
    updateProfile,
    requestAssessment,
    loadCatalogue,
    book,
    loadOrders,
    cancel,
    rate,
  };
});
