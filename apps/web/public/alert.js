// The page's one error alert (#error). Every failed API call ends up here with the API's message.
import { $ } from './dom.js';

let shownFrom = null;

/** Text for an error: the API's `message`, or the error's own message. */
export function errorText(err) {
  if (err && typeof err === 'object' && typeof err.message === 'string' && err.message) return err.message;
  return String(err);
}

/**
 * Shows `err` in #error. `from` names what failed: the periodic refresh only clears its own
 * errors, so a failed action stays visible until the user does something else.
 */
export function showError(err, from = 'action') {
  const box = $('#error');
  box.textContent = errorText(err);
  box.hidden = false;
  shownFrom = from;
}

/** Hides #error (only if it was shown by `from`, when given). */
export function clearError(from) {
  if (from !== undefined && shownFrom !== from) return;
  const box = $('#error');
  box.hidden = true;
  box.textContent = '';
  shownFrom = null;
}

/**
 * Wraps a user action (event handler): clears the previous error, runs it, and shows any error
 * it throws, so no handler can leave a rejected promise behind.
 */
export function action(fn) {
  return async (...args) => {
    clearError();
    try {
      await fn(...args);
    } catch (err) {
      showError(err);
    }
  };
}
