/** The workshop timer, stored in the workspace. Rust side: src-tauri/src/commands/timer.rs. */
import { call } from './core';
import type { TimerView } from '../bindings/TimerView';

export const timerGet = () => call<TimerView | null>('timer_get');
export const timerSelect = (sessionId: number, block: number) => call<TimerView>('timer_select', { sessionId, block });
export const timerStart = () => call<TimerView>('timer_start');
export const timerPause = () => call<TimerView>('timer_pause');
