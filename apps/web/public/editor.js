// The worker editor: one form for "New worker" (POST /api/workers) and "Edit" (PATCH
// /api/workers/:id, sending only what changed — unchanged code is not re-sent, because new code
// is a new version and a redeploy that re-runs setup). Enabled is not part of PATCH in the API:
// a changed checkbox is applied with POST /enable or /disable after the PATCH.
import { api, ApiError, workerPath } from './api.js';
import { action } from './alert.js';
import { $, button, el } from './dom.js';
import { enhanceCodeArea, moveCaret } from './code-area.js';
import { refreshNow } from './refresh.js';

const TEMPLATE = `// setup runs once per deploy, tick on every scheduled run.
export async function setup(ctx) {
  ctx.log.info('deployed', ctx.worker.name);
}

export async function tick(ctx) {
  const n = ctx.state.get('ticks', 0) + 1;
  ctx.state.set('ticks', n);
  const res = await ctx.bitget.futures_tickers();
  ctx.log.info('tick', n, 'tickers:', res.data.length);
}
`;

const SCHEDULE_HINTS = {
  every: { placeholder: '5s', hint: 'Interval: a number and ms, s, m, h or d — e.g. 5s, 1m, 2h (from 1s to 7d).' },
  cron: { placeholder: '*/5 * * * * *', hint: 'Cron expression, 5 fields (minute first) or 6 (seconds first), e.g. */5 * * * * * for every 5 seconds.' },
};

/** The worker being edited (GET /api/workers/:id answer), or null for a new one. */
let editing = null;
let keys = [];
/** The open form has changes that were not saved. */
let dirty = false;

function syncScheduleKind() {
  const kind = $('#worker-schedule-kind').value;
  $('#worker-schedule').placeholder = SCHEDULE_HINTS[kind].placeholder;
  $('#worker-schedule-hint').textContent = SCHEDULE_HINTS[kind].hint;
}

/** Fills the key <select> from the keys list, keeping the current choice. */
function fillKeys(selected) {
  const select = $('#worker-key');
  const value = selected === undefined ? select.value : (selected ?? '');
  const options = [el('option', { value: '', textContent: 'none (public market data only)' })];
  for (const k of keys) options.push(el('option', { value: k.id, textContent: `${k.name} (${k.mode}, …${k.apiKeyHint})` }));
  if (value && !keys.some((k) => k.id === value)) options.push(el('option', { value, textContent: `unknown key ${value}` }));
  select.replaceChildren(...options);
  select.value = value;
}

/**
 * A new worker's key: a user with one sim or demo key almost always means that one; a live key is
 * never chosen unasked, and with several keys the choice is theirs (as the CLI's deploy does).
 */
const defaultKeyId = () => (keys.length === 1 && keys[0].mode !== 'live' ? keys[0].id : null);

/** Called on every refresh with the user's keys (a new, untouched form also takes its default key). */
export function setEditorKeys(list) {
  const same = JSON.stringify(list.map((k) => [k.id, k.name, k.mode, k.apiKeyHint])) === JSON.stringify(keys.map((k) => [k.id, k.name, k.mode, k.apiKeyHint]));
  keys = list;
  if (!same) fillKeys(editing === null && !dirty ? defaultKeyId() : undefined);
}

function clearEditorError() {
  $('#editor-error').hidden = true;
  $('#editor-error').replaceChildren();
}

function showEditorError(err) {
  const box = $('#editor-error');
  const details = err instanceof ApiError ? (err.details ?? err.body ?? {}) : {};
  const line = Number.isInteger(details.line) ? details.line : undefined;
  const column = Number.isInteger(details.column) ? details.column : undefined;
  if (line !== undefined) {
    const col = column ?? 1;
    const go = () => moveCaret($('#worker-code'), line, col);
    box.replaceChildren(
      el('strong', { className: 'position', textContent: `${err.code === 'syntax_error' ? 'Syntax error' : 'Error'} at ${line}:${col}` }),
      ` — ${err.message} `,
      button('Show in code', go),
    );
    box.hidden = false;
    go();
  } else {
    box.replaceChildren(err instanceof Error ? err.message : String(err));
    box.hidden = false;
  }
}

/** Closes the editor (only if it edits `workerId`, when given). */
export function closeEditor(workerId) {
  if (workerId !== undefined && editing?.id !== workerId) return;
  editing = null;
  dirty = false;
  $('#editor-panel').hidden = true;
  clearEditorError();
  $('#editor-status').textContent = '';
}

/** Opens the editor for a new worker (no argument) or for `worker` (a row of GET /api/workers). */
export async function openEditor(worker) {
  if (dirty && !$('#editor-panel').hidden && !confirm('Discard the unsaved changes in the worker editor?')) return;
  clearEditorError();
  $('#editor-status').textContent = '';
  if (worker) {
    const detail = await api(workerPath(worker.id));
    editing = detail;
    $('#editor-title').textContent = `Edit worker — ${detail.name}`;
    $('#worker-name').value = detail.name;
    $('#worker-language').value = detail.language ?? 'js';
    const kind = detail.schedule && typeof detail.schedule.cron === 'string' ? 'cron' : 'every';
    $('#worker-schedule-kind').value = kind;
    $('#worker-schedule').value = detail.schedule?.[kind] ?? '';
    fillKeys(detail.keyId);
    $('#worker-product-type').value = detail.productType;
    $('#worker-enabled').checked = detail.enabled;
    $('#worker-code').value = detail.code ?? '';
    await fillVersions(detail);
  } else {
    $('#version-row').hidden = true;
    editing = null;
    $('#editor-title').textContent = 'New worker';
    $('#worker-form').reset();
    $('#worker-language').value = 'js';
    $('#worker-schedule-kind').value = 'every';
    $('#worker-schedule').value = '1m';
    fillKeys(defaultKeyId());
    $('#worker-product-type').value = 'USDT-FUTURES';
    $('#worker-enabled').checked = true;
    $('#worker-code').value = TEMPLATE;
  }
  syncScheduleKind();
  dirty = false;
  $('#editor-panel').hidden = false;
  $('#editor-panel').scrollIntoView({ block: 'nearest' });
  $('#worker-name').focus();
}

const when = (iso) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/** The version picker of an edited worker: its code history, newest first (GET /versions). */
async function fillVersions(detail) {
  $('#version-row').hidden = true;
  // The history is an extra: the editor opens without it when it cannot be read.
  const items = await api(workerPath(detail.id, '/versions?limit=50')).then((r) => r.items, () => []);
  const options = items.map((v) => el('option', {
    value: v.current ? '' : v.id,
    textContent: `${v.current ? 'current — ' : ''}${when(v.createdAt)} · ${v.language} · ${v.runs} runs · ${v.trades} trades`,
  }));
  $('#worker-version').replaceChildren(...options);
  $('#worker-version').value = '';
  $('#version-row').hidden = items.length < 2;
}

/** Loads the chosen version's code into the form (the current one's when the first entry is chosen). */
async function loadVersion() {
  const worker = editing;
  if (!worker) return;
  const id = $('#worker-version').value;
  const v = id ? await api(workerPath(worker.id, `/versions/${encodeURIComponent(id)}`)) : { code: worker.code ?? '', language: worker.language ?? 'js' };
  // The editor may show another worker (or another choice) by the time the answer arrives.
  if (editing !== worker || $('#worker-version').value !== id) return;
  $('#worker-code').value = v.code;
  $('#worker-language').value = v.language;
  dirty = true;
  $('#editor-status').textContent = id ? `Loaded the version of ${when(v.createdAt)}: Save to deploy it again.` : '';
}

function readForm() {
  const kind = $('#worker-schedule-kind').value;
  return {
    name: $('#worker-name').value.trim(),
    code: $('#worker-code').value,
    language: $('#worker-language').value,
    schedule: { [kind]: $('#worker-schedule').value.trim() },
    keyId: $('#worker-key').value || null,
    productType: $('#worker-product-type').value,
    enabled: $('#worker-enabled').checked,
  };
}

async function save() {
  const form = readForm();
  let status;
  if (!editing) {
    await api('/api/workers', { method: 'POST', body: form });
    status = `Created ${form.name}.`;
  } else {
    const w = editing;
    const patch = {};
    if (form.name !== w.name) patch.name = form.name;
    if (JSON.stringify(form.schedule) !== JSON.stringify(w.schedule)) patch.schedule = form.schedule;
    if (form.keyId !== (w.keyId ?? null)) patch.keyId = form.keyId;
    if (form.productType !== w.productType) patch.productType = form.productType;
    if (form.code !== (w.code ?? '') || form.language !== (w.language ?? 'js')) {
      patch.code = form.code;
      patch.language = form.language;
    }
    const changes = Object.keys(patch);
    if (changes.length > 0) {
      const updated = await api(workerPath(w.id), { method: 'PATCH', body: patch });
      // If enabling/disabling fails below, a second Save must not send the same code again.
      editing = { ...w, ...updated, code: form.code, language: form.language };
    }
    if (form.enabled !== w.enabled) await api(workerPath(w.id, form.enabled ? '/enable' : '/disable'), { method: 'POST' });
    status = changes.length === 0 && form.enabled === w.enabled ? 'Nothing changed.'
      : patch.code !== undefined ? `Saved ${form.name} as a new version (setup runs again before the next tick).` : `Saved ${form.name}.`;
  }
  closeEditor();
  $('#workers-note').textContent = status;
  await refreshNow();
}

export function initEditor() {
  enhanceCodeArea($('#worker-code'));
  $('#worker-form').addEventListener('input', () => { dirty = true; });
  $('#worker-form').addEventListener('change', () => { dirty = true; });
  $('#worker-schedule-kind').addEventListener('change', () => {
    const input = $('#worker-schedule');
    if (Object.values(SCHEDULE_HINTS).some((h) => h.placeholder === input.value)) input.value = '';
    syncScheduleKind();
  });
  $('#editor-cancel').addEventListener('click', () => closeEditor());
  $('#worker-version').addEventListener('change', action(() => loadVersion()));
  $('#worker-form').addEventListener('submit', action(async (event) => {
    event.preventDefault();
    clearEditorError();
    $('#worker-save').disabled = true;
    $('#editor-status').textContent = 'Saving…';
    try {
      await save();
    } catch (err) {
      $('#editor-status').textContent = '';
      showEditorError(err);
      throw err;
    } finally {
      $('#worker-save').disabled = false;
    }
  }));
  $('#new-worker').addEventListener('click', action(() => openEditor()));
  syncScheduleKind();
}

