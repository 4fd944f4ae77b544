import { mount } from 'svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

/** A startup failure is shown in the window rather than leaving it blank. */
function showFatal(error: unknown): void {
  const box = document.createElement('pre');
  box.setAttribute('data-testid', 'fatal-error');
  box.style.cssText = 'margin:32px;padding:16px;white-space:pre-wrap;color:#b42318;background:#fdeceb;border-radius:8px';
  const e = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  box.textContent = `Baton could not start its interface:\n${e}`;
  target?.replaceChildren(box);
}

window.addEventListener('error', (event) => showFatal(event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => console.error(event.reason));

// Imported dynamically so that an error while loading any screen is caught and shown.
import('./App.svelte')
  .then(({ default: App }) => mount(App, { target }))
  .catch(showFatal);
