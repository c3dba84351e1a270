// Keys: the user's Bitget credentials, listed masked (the API only ever returns a 4-character
// hint), added through a form whose secret inputs are cleared once the API stored them, and
// deleted with a confirmation (and, when the API refuses because a worker still uses the key,
// an explicit "delete anyway" that passes ?force=true). A demo or live key's credentials can be
// replaced in place (rotation: PATCH /api/keys/:id), so the workers bound to it carry on.
import { api, ApiError, keyPath } from './api.js';
import { action, showError } from './alert.js';
import { $, button, cell, el, when } from './dom.js';
import { refreshNow } from './refresh.js';
import { closeAccount, showAccount } from './account.js';

const MODE_HINTS = {
  sim: 'Simulator keys need no exchange account: Tickbox generates credentials the built-in simulator accepts.',
  demo: 'A Bitget demo-trading API key (paper money). All three fields are required.',
  live: 'A Bitget API key that trades real money. All three fields are required; give it trade permission only, never withdrawal.',
};

const CREDENTIAL_INPUTS = ['#key-api-key', '#key-secret', '#key-passphrase'];
const ROTATE_INPUTS = ['#key-rotate-api-key', '#key-rotate-secret', '#key-rotate-passphrase'];
let lastRendered = '';
let pendingDelete = null;
let rotating = null;

/** Shows or hides the credential fields: the API makes them up for sim keys. */
function syncMode() {
  const mode = $('#key-mode').value;
  const fieldset = $('#key-credentials');
  const needed = mode !== 'sim';
  fieldset.hidden = !needed;
  fieldset.disabled = !needed;
  for (const sel of CREDENTIAL_INPUTS) $(sel).required = needed;
  $('#key-mode-hint').textContent = MODE_HINTS[mode] ?? '';
}

function clearCredentials(inputs = CREDENTIAL_INPUTS) {
  for (const sel of inputs) {
    const input = $(sel);
    input.value = '';
    input.removeAttribute('value');
  }
}

async function addKey(event) {
  event.preventDefault();
  const mode = $('#key-mode').value;
  const body = { name: $('#key-name').value.trim(), mode };
  if (mode !== 'sim') {
    body.apiKey = $('#key-api-key').value.trim();
    body.secret = $('#key-secret').value;
    body.passphrase = $('#key-passphrase').value;
  }
  $('#key-save').disabled = true;
  try {
    await api('/api/keys', { method: 'POST', body });
  } finally {
    $('#key-save').disabled = false;
  }
  clearCredentials();
  $('#key-name').value = '';
  $('#key-add').open = false;
  await refreshNow();
}

function hideConflict() {
  pendingDelete = null;
  $('#key-conflict').hidden = true;
  $('#key-conflict-message').textContent = '';
}

async function deleteKey(key, force) {
  await api(keyPath(key.id, force ? '?force=true' : ''), { method: 'DELETE' });
  hideConflict();
  await refreshNow();
}

async function askDelete(key) {
  hideConflict();
  if (!confirm(`Delete the key "${key.name}"? Workers can no longer use it.`)) return;
  try {
    await deleteKey(key, false);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 409) throw err;
    // The API refuses while a worker uses the key (or orders it placed are still open).
    showError(err);
    const users = Array.isArray(err.details?.workers) ? err.details.workers.map((w) => w.name) : [];
    pendingDelete = key;
    $('#key-conflict-message').textContent = `${err.message}${users.length ? ` (used by: ${users.join(', ')})` : ''}. `
      + 'Deleting it anyway unbinds those workers; their private calls fail until another key is bound.';
    $('#key-conflict').hidden = false;
    $('#key-force-delete').focus();
  }
}

function openRotate(key) {
  rotating = key;
  clearCredentials(ROTATE_INPUTS);
  $('#key-rotate-title').textContent = `Replace the credentials of "${key.name}" (${key.mode})`;
  $('#key-rotate').hidden = false;
  $('#key-rotate-api-key').focus();
}

function closeRotate() {
  rotating = null;
  clearCredentials(ROTATE_INPUTS);
  $('#key-rotate').hidden = true;
}

async function rotateKey(event) {
  event.preventDefault();
  if (!rotating) return;
  const body = { apiKey: $('#key-rotate-api-key').value.trim(), secret: $('#key-rotate-secret').value, passphrase: $('#key-rotate-passphrase').value };
  $('#key-rotate-save').disabled = true;
  try {
    await api(keyPath(rotating.id), { method: 'PATCH', body });
  } finally {
    $('#key-rotate-save').disabled = false;
  }
  closeRotate();
  await refreshNow();
}

/** Renders the keys table; `workers` gives the "used by" column. */
export function renderKeys(keys, workers) {
  const usedBy = new Map();
  for (const w of workers) if (w.keyId) usedBy.set(w.keyId, [...(usedBy.get(w.keyId) ?? []), w.name]);
  const rendered = JSON.stringify([keys, [...usedBy]]);
  if (rendered === lastRendered) return;
  lastRendered = rendered;
  $('#keys tbody').replaceChildren(...keys.map((k) => el('tr', { dataset: { keyId: k.id } },
    cell(k.name),
    cell(k.mode, `mode-${k.mode}`),
    el('td', {}, el('code', { className: 'hint-mask', textContent: k.apiKeyHint, title: 'API key hint as stored (last 4 characters)' })),
    cell(when(k.createdAt)),
    cell(k.rotatedAt ? when(k.rotatedAt) : ''),
    cell((usedBy.get(k.id) ?? []).join(', ')),
    el('td', {}, el('div', { className: 'row-actions' },
      // A sim key's credentials are made up by Tickbox: nothing to rotate.
      button('Account', action(() => showAccount(k))),
      k.mode === 'sim' ? undefined : button('Rotate', () => openRotate(k)),
      button('Delete', action(() => askDelete(k)), { className: 'danger' }))),
  )));
  $('#keys-empty').hidden = keys.length > 0;
  if (pendingDelete && !keys.some((k) => k.id === pendingDelete.id)) hideConflict();
  if (rotating && !keys.some((k) => k.id === rotating.id)) closeRotate();
  closeAccount(keys);
}

export function initKeys() {
  $('#key-mode').addEventListener('change', syncMode);
  $('#key-form').addEventListener('submit', action(addKey));
  $('#key-force-delete').addEventListener('click', action(async () => {
    if (pendingDelete) await deleteKey(pendingDelete, true);
  }));
  $('#key-conflict-cancel').addEventListener('click', hideConflict);
  $('#key-rotate').addEventListener('submit', action(rotateKey));
  $('#key-rotate-cancel').addEventListener('click', closeRotate);
  syncMode();
}
