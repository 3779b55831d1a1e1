import { createPinia } from 'pinia';

/**
 * The shell's own Pinia. Pinia is shared through the import map, and every
 * micro-app that mounts makes its own Pinia the "active" one; code of the
 * shell that runs outside a component (router guards, event listeners) must
 * therefore name this one, or it would read an empty store of some app's.
 */
export const shellPinia = createPinia();
