import { ApiError } from '../api.js';
import { type Child, h, replace } from '../dom.js';

/**
 * Draws `section` now and every `everyMs` after, until stopped; a failed refresh shows why in place and
 * keeps trying (a service restarting should not need a page reload).
 */
export function live(section: HTMLElement, everyMs: number, draw: () => Promise<Child[]>): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    try {
      const nodes = await draw();
      if (!stopped) replace(section, ...nodes);
    } catch (error) {
      if (stopped || (error instanceof ApiError && error.status === 401)) return;
      replace(
        section,
        h('p', { class: 'error', role: 'alert' }, `Could not load: ${(error as Error).message}`),
      );
    }
    if (!stopped) timer = setTimeout(tick, everyMs);
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
