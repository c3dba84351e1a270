// A key's account on the exchange (GET /api/keys/:id/account, read by the scheduler): futures
// balances and open positions for one product type, loaded when opened, on Refresh and on a
// product type change (not every 5 s: each look is two reads against the key's rate limits).
// Amounts are the exchange's strings, shown as they are.
import { api, keyPath } from './api.js';
import { action } from './alert.js';
import { $, cell, el, when } from './dom.js';

let current = null;
/** Bumped per request, so an answer that arrives after another key or product type was chosen is dropped. */
let asked = 0;

export async function showAccount(key) {
  if (current?.id !== key.id) $('#account-product-type').value = 'USDT-FUTURES';
  current = key;
  $('#account-key').textContent = `${key.name} (${key.mode})`;
  $('#account-panel').hidden = false;
  await loadAccount();
}

async function loadAccount() {
  const key = current;
  if (!key) return;
  const productType = $('#account-product-type').value;
  const mine = ++asked;
  $('#account-status').textContent = 'Reading the account on the exchange…';
  let view;
  try {
    view = await api(keyPath(key.id, `/account?productType=${encodeURIComponent(productType)}`));
  } catch (err) {
    if (mine === asked) $('#account-status').textContent = '';
    throw err;
  }
  if (mine !== asked) return;
  const list = (v) => (Array.isArray(v) ? v : []);
  $('#account-status').textContent = `${view.productType}, read at ${when(view.fetchedAt)}`;
  $('#account-balances tbody').replaceChildren(...list(view.accounts).map((a) => el('tr', {},
    cell(a.marginCoin), cell(a.accountEquity, 'num'), cell(a.available, 'num'), cell(a.locked, 'num'), cell(a.unrealizedPL, 'num'),
  )));
  const positions = list(view.positions);
  $('#account-positions tbody').replaceChildren(...positions.map((p) => el('tr', {},
    cell(p.symbol), cell(p.holdSide), cell(p.total, 'num'), cell(p.openPriceAvg, 'num'), cell(p.markPrice, 'num'),
    cell(p.unrealizedPL, 'num'), cell(p.leverage, 'num'), cell(p.marginMode), cell(p.liquidationPrice, 'num'),
  )));
  $('#account-no-positions').hidden = positions.length > 0;
}

/** Closes the panel; with `keys` (the refreshed list), only if its key is no longer in it. */
export function closeAccount(keys) {
  if (keys !== undefined && (current === null || keys.some((k) => k.id === current.id))) return;
  current = null;
  asked++;
  $('#account-panel').hidden = true;
}

export function initAccount() {
  $('#account-refresh').addEventListener('click', action(loadAccount));
  $('#account-product-type').addEventListener('change', action(loadAccount));
  $('#account-close').addEventListener('click', () => closeAccount());
}
