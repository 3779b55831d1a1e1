import { computed } from 'vue';
import { useRoute, type LocationQueryRaw } from 'vue-router';
import { useMicroAppContext } from '@portal/ui';

/**
 * Whom the resident acts for, from the URL: ?for=<delegation> names a
 * delegation (委托) a parent gave them; without it the care is their own.
 * The gateway decides whether that delegation is live and whose care it
 * opens. Staff in assisted mode always act for the authorizing resident.
 */
export function useActingFor() {
  const route = useRoute();
  const { authorizationId } = useMicroAppContext();
  const delegationId = computed(() => {
    const value = route.query.for;
    return authorizationId === null && typeof value === 'string' && value ? value : null;
  });
  /** The query every link inside the app carries, so the choice stays made. */
  const query = computed<LocationQueryRaw>(() => (delegationId.value ? { for: delegationId.value } : {}));
  return { delegationId, query };
}
