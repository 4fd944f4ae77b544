/**
 * Presentation mode for the workshop screens: projector-size type, editing chrome
 * hidden (anything marked `.edit-chrome`), and keyboard navigation between the
 * screen's `.slide` sections (↓/PageDown/Space next, ↑/PageUp previous, Esc leaves).
 * Space on a focused button or link presses it, as everywhere else.
 */
export const presentation = $state({ on: false, slide: 0 });

export function setPresentation(on: boolean): void {
  presentation.on = on;
  presentation.slide = 0;
  // The toggle keeps focus after a click; Space would press it again instead of moving on.
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  document.documentElement.classList.toggle('presenting', on);
  if (on) showSlide(0);
}

function slides(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>('main .slide'));
}

function showSlide(i: number): void {
  const all = slides();
  if (all.length === 0) return;
  presentation.slide = Math.max(0, Math.min(i, all.length - 1));
  all.forEach((el, j) => el.classList.toggle('current-slide', j === presentation.slide));
  all[presentation.slide].scrollIntoView({ block: 'start', behavior: 'instant' as ScrollBehavior });
}

/** Keydown handler for `<svelte:window onkeydown={presentationKeys} />`. */
export function presentationKeys(e: KeyboardEvent): void {
  if (!presentation.on) return;
  const target = e.target as HTMLElement | null;
  if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
  if (target?.isContentEditable) return;
  if (e.key === ' ' && target?.closest('button, a[href], summary, label, [role="button"], [role="radio"]')) return;
  if (e.key === 'Escape') {
    setPresentation(false);
  } else if (['ArrowDown', 'PageDown', ' ', 'ArrowRight'].includes(e.key)) {
    showSlide(presentation.slide + 1);
  } else if (['ArrowUp', 'PageUp', 'ArrowLeft'].includes(e.key)) {
    showSlide(presentation.slide - 1);
  } else if (e.key === 'Home') {
    showSlide(0);
  } else if (e.key === 'End') {
    showSlide(slides().length - 1);
  } else {
    return;
  }
  e.preventDefault();
}
