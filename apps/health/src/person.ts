import { computed } from 'vue';
import { useRoute, type LocationQueryRaw } from 'vue-router';
import { useMicroAppContext } from '@portal/ui';

/**
 * Whose record the URL asks for: ?person=<id> names a resident's minor child;
 * without it the record is the resident's own. Staff in assisted mode always
 * see the authorizing resident's record, so the query means nothing there.
 */
export function usePersonQuery() {
  const route = useRoute();
  const { authorizationId } = useMicroAppContext();
  const personId = computed(() => {
    const value = route.query.person;
    return authorizationId === null && typeof value === 'string' && value ? value : null;
  });
  /** The query every link inside the app carries, so the chosen record stays chosen. */
  const query = computed<LocationQueryRaw>(() => (personId.value ? { person: personId.value } : {}));
  return { personId, query };
}
