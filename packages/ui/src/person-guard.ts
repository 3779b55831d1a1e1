/**
 * For stores whose answers belong to one person (a resident's own record, a
 * child's, a parent's they act for). When the person changes, answers still
 * on their way are for someone else: they, and their errors, are dropped,
 * so a late answer never shows the previous person's data as the new one's.
 */
export function createPersonGuard() {
  let generation = 0;
  return {
    /** Call when the person on screen changes. */
    personChanged(): void {
      generation += 1;
    },
    /** Runs a call for the current person; its answer is kept only if the person is still the same. */
    async forCurrentPerson<T>(call: () => Promise<T>, keep: (value: T) => void): Promise<void> {
      const asked = generation;
      try {
        const value = await call();
        if (asked === generation) keep(value);
      } catch (error) {
        if (asked === generation) throw error;
      }
    },
  };
}
