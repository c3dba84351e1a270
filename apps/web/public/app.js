// Dashboard entry: sign-in, the periodic refresh, and wiring of the sections.
// Modules: api.js (HTTP), alert.js (#error), dom.js (element helpers), refresh.js (reload
// coordination), keys.js, workers.js, editor.js + code-area.js (worker form), run.js (run now),
// state.js, webhook.js, logs.js (live logs), journal.js (journal, its filters, totals and CSV),
// account.js (a key's balances and positions), alerts.js (failure alerts).
import { api, clearToken, loadToken, onUnauthorized, setToken } from './api.js';
import { action, clearError, showError } from './alert.js';
import { $ } from './dom.js';
import { initEditor, setEditorKeys } from './editor.js';
import { initAccount } from './account.js';
import { initAlerts, loadAlerts } from './alerts.js';
import { initJournal, loadJournal, renderJournal } from './journal.js';
import { renderKeys, initKeys } from './keys.js';
import { initLogs, stopLogs } from './logs.js';
import { refreshNow, setLoader } from './refresh.js';
import { initRun } from './run.js';
import { initState } from './state.js';
import { initWebhook, closeWebhook } from './webhook.js';
import { initWorkers, renderWorkers } from './workers.js';

const REFRESH_MS = 5000;
let timer = null;
let signedIn = false;

function showLogin() {
  signedIn = false;
  clearInterval(timer);
  timer = null;
  stopLogs();
  closeWebhook();
  $('#login').hidden = false;
  $('#main').hidden = true;
  $('#sign-out').hidden = true;
  $('#who').textContent = '';
}

/** Loads everything the page shows; errors go to #error and are cleared by the next success. */
async function load() {
  if (!signedIn) return;
  try {
    const [me, keys, workers, journal] = await Promise.all([api('/api/me'), api('/api/keys'), api('/api/workers'), loadJournal()]);
    // Signed out while this was loading: show nothing of it.
    if (!signedIn) return;
    $('#who').textContent = me.name;
    renderKeys(keys, workers);
    setEditorKeys(keys);
    renderWorkers(workers, keys);
    renderJournal(journal, workers);
    $('#main').hidden = false;
    $('#login').hidden = true;
    $('#sign-out').hidden = false;
    clearError('refresh');
  } catch (err) {
    showError(err, 'refresh');
  }
}

function start() {
  signedIn = true;
  // Alerts change only by the user's own action here: loaded once, not every 5 s.
  void loadAlerts().catch((err) => showError(err, 'refresh'));
  void refreshNow();
  timer ??= setInterval(() => { void refreshNow(); }, REFRESH_MS);
}

setLoader(load);
onUnauthorized(showLogin);
initKeys();
initEditor();
initRun();
initState();
initWebhook();
initLogs();
initJournal();
initWorkers();
initAccount();
initAlerts();

$('#login-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = $('#token-input').value.trim();
  $('#token-input').value = '';
  if (!value) return;
  setToken(value);
  clearError();
  start();
});
$('#refresh').addEventListener('click', action(() => refreshNow()));
// Signing out forgets the token in this browser and starts from a fresh page, so nothing of this
// user's data (tables, open panels, module state) is left for whoever signs in next.
$('#sign-out').addEventListener('click', () => {
  clearToken();
  location.replace(location.pathname);
});
// Safety net: a rejection that escaped a handler still reaches the user (and is not swallowed).
window.addEventListener('unhandledrejection', (e) => showError(e.reason));

if (loadToken()) start();
else showLogin();
