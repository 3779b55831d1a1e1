import { getPortalClient, type RouterInputs, type RouterOutputs } from '@portal/api-client';
import { defineStore } from 'pinia';
import { ref } from 'vue';

export type Candidates = RouterOutputs['delegation']['candidates'];
export type Given = RouterOutputs['delegation']['given'];
export type GrantRequest = RouterInputs['delegation']['grant'];

/** Delegations (委托) the signed-in resident gives and holds; the resident's own business, never the counter's. */
export const useFamilyStore = defineStore('family', () => {
  const api = getPortalClient();
  const candidates = ref<Candidates | null>(null);
  const given = ref<Given | null>(null);

  async function load() {
    const [who, gave] = await Promise.all([api.delegation.candidates.query(), api.delegation.given.query()]);
    candidates.value = who;
    given.value = gave;
  }

  async function grant(request: GrantRequest) {
    const result = await api.delegation.grant.mutate(request);
    given.value = await api.delegation.given.query();
    return result;
  }

  async function revoke(delegationId: string) {
    await api.delegation.revoke.mutate({ delegationId });
    given.value = await api.delegation.given.query();
  }

  return { candidates, given, load, grant, revoke };
});
