/**
 * Micro-apps are built in library mode, which writes CSS to a file and does
 * not inject it. An app adds its stylesheet when it mounts and removes it
 * when it unmounts, so its styles never outlive it.
 */
export function linkStylesheet(href: string): () => void {
  const existing = document.querySelector<HTMLLinkElement>(`link[rel="stylesheet"][href="${CSS.escape(href)}"]`);
  if (existing) return () => existing.remove();
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  document.head.appendChild(link);
  return () => link.remove();
}

interface Lifecycles<Props> {
  bootstrap: (props: Props) => Promise<unknown>;
  mount: (props: Props) => Promise<unknown>;
  unmount: (props: Props) => Promise<unknown>;
}

/** Wraps single-spa lifecycles so the app's stylesheet is present exactly while it is mounted. */
export function withStylesheet<Props>(lifecycles: Lifecycles<Props>, href: string): Lifecycles<Props> {
  let remove: (() => void) | null = null;
  return {
    bootstrap: lifecycles.bootstrap,
    async mount(props) {
      remove = linkStylesheet(href);
      // Wait for the styles so the app never flashes unstyled.
      const link = document.querySelector<HTMLLinkElement>(`link[rel="stylesheet"][href="${CSS.escape(href)}"]`);
      if (link && !link.sheet) {
        await new Promise<void>((resolve) => {
          link.addEventListener('load', () => resolve(), { once: true });
          link.addEventListener('error', () => resolve(), { once: true });
        });
      }
      return lifecycles.mount(props);
    },
    async unmount(props) {
      const result = await lifecycles.unmount(props);
      remove?.();
      remove = null;
      return result;
    },
  };
}
