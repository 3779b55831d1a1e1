import { getPortalClient, type RouterOutputs } from '@portal/api-client';
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { useMicroAppContext } from '@portal/ui';

type Summary = RouterOutputs['card']['summary'];
type Contributions = RouterOutputs['card']['contributions'];
type BenefitsPage = RouterOutputs['card']['benefits'];

/**
 * The card app's data. Every call names the authorization in assisted mode;
 * the gateway decides whose card that is and whether staff may see it.
 */
export const useCardStore = defineStore('card', () => {
  const api = getPortalClient();
  const { authorizationId } = useMicroAppContext();
  const subject = authorizationId ? { authorizationId } : {};

  const summary = ref<Summary | null>(null);
  const contributions = ref<Contributions | null>(null);
  const benefits = ref<BenefitsPage['payments']>([]);
  const benefitsNext = ref<string | null>(null);

  async function loadSummary() {
    summary.value = await api.card.summary.query(subject);
  }

  async function loadContributions(year?: number) {
    contributions.value = await api.card.contributions.query({ ...subject, year });
  }

  async function loadBenefits(more = false) {
    const page = await api.card.benefits.query({
      ...subject,
      before: more ? (benefitsNext.value ?? undefined) : undefined,
    });
    benefits.value = more ? [...benefits.value, ...page.payments] : page.payments;
    benefitsNext.value = page.nextBefore;
  }

  async function reportLoss() {
    await api.card.reportLoss.mutate(subject);
    await loadSummary();
  }

  async function requestReplacement(request: {
    requestKey: string;
    reason: 'LOST' | 'DAMAGED';
    pickupCenterCode: string;
  }) {
    const result = await api.card.requestReplacement.mutate({ ...subject, ...request });
    await loadSummary();
    return result;
  }

  async function confirmPickup(replacementId: string) {
    await api.card.confirmPickup.mutate({ ...subject, replacementId });
    await loadSummary();
  }

  return {
    assisted: authorizationId !== null,
    summary,
    contributions,
    benefits,
    benefitsNext,
    loadSummary,
    loadContributions,
    loadBenefits,
    reportLoss,
    requestReplacement,
    confirmPickup,
  };
});
