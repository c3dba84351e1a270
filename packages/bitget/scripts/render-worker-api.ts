import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BITGET_METHODS, REFERENCE_METHOD_NAMES } from '../src/endpoints/all-methods.ts';
import type { MethodSpec, ParamSpec } from '../src/method-spec.ts';
import { DOC_ERRORS, DOC_INTRO } from './worker-api-doc-text.ts';
import { DTS_HEADER, METHOD_EXTRAS } from './worker-api-static.ts';

// Renders src/worker-api.d.ts and docs/worker-api.md from BITGET_METHODS so the typings, the
// docs and the runtime validation cannot drift apart (a test re-renders and compares).

export const DTS_PATH = fileURLToPath(new URL('../src/worker-api.d.ts', import.meta.url));
export const DOC_PATH = fileURLToPath(new URL('../../../docs/worker-api.md', import.meta.url));

function tsType(p: ParamSpec): string {
  if (p.name === 'product_type') return 'ProductType';
  if (p.name === 'granularity') return p.values?.includes('1H') ? 'FuturesGranularity' : 'SpotGranularity';
  switch (p.type) {
    case 'enum':
      return (p.values ?? []).map((v) => `'${v}'`).join(' | ');
    case 'decimal':
      return 'Decimalish';
    case 'integer':
      return 'Integerish';
    case 'yes_no':
      return "'YES' | 'NO' | boolean";
    case 'order_list':
      return 'BatchOrderItem[]';
    default:
      return 'string';
  }
}

/** Required for the caller: required and without any default. */
const mandatory = (p: ParamSpec): boolean => p.required === true && p.default === undefined && p.defaultFrom === undefined;

function defaultText(p: ParamSpec): string | undefined {
  if (p.defaultFrom === 'productType') return "the worker's product type (USDT-FUTURES unless configured)";
  if (p.defaultFrom === 'marginCoin') return '"USDT"; "USDC" for USDC-FUTURES; the base coin of the symbol for COIN-FUTURES';
  if (p.defaultFrom === 'now') return 'now';
  if (p.default !== undefined) return typeof p.default === 'string' ? `"${p.default}"` : String(p.default);
  return undefined;
}

function paramDoc(p: ParamSpec): string {
  const d = defaultText(p);
  return `${p.doc}${d === undefined ? '' : ` (default: ${d})`}`;
}

function pascal(name: string): string {
  return name.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function errorsOf(spec: MethodSpec): string[] {
  // A modify with a new size and price places the replacing order (journalled like any order).
  const places = spec.orderAction !== undefined || spec.changeAction === 'modify';
  const list = ['BitgetValidationError (code "INVALID_PARAMETER") for bad arguments, before any request'];
  if (spec.auth) list.push('BitgetCredentialsError (code "NO_KEY") when no key is bound to the worker');
  if (places) {
    list.push('BitgetOrderNotSentError (code "DUPLICATE_CLIENT_OID" or "JOURNAL_FAILED") when the client_oid was already used on this key or the order could not be journalled; nothing was sent');
  }
  list.push('BitgetAPIError (exchange code, detail, context) when Bitget rejects the request');
  list.push('BitgetRateLimitError (code "RATE_LIMITED" or "429")');
  list.push(
    places
      ? 'BitgetNetworkError (status) on a network failure; the order is first looked up by clientOid, so it is never placed twice'
      : `BitgetNetworkError (status) on a network failure${spec.httpMethod === 'GET' ? ' after retries' : ''}`,
  );
  return list;
}

function renderMethodDts(spec: MethodSpec): string {
  const extra = METHOD_EXTRAS[spec.name];
  if (!extra) throw new Error(`METHOD_EXTRAS lacks ${spec.name}`);
  const ret = `Promise<BitgetResponse<${extra.data}>>`;
  const positional = spec.params.map((p) => `${p.name}${mandatory(p) ? '' : '?'}: ${tsType(p)}`).join(', ');
  const doc = [
    `/**`,
    ` * ${spec.summary}`,
    ` * \`${spec.httpMethod} ${spec.path}\` (${spec.auth ? 'private' : 'public'}).`,
    ...spec.params.map((p) => ` * @param ${p.name} ${paramDoc(p)}`),
    ` * @example`,
    ...extra.example.split('\n').map((l) => ` * ${l}`),
    ...errorsOf(spec).map((e) => ` * @throws ${e}`),
    ` */`,
  ];
  return [
    ...doc.map((l) => `  ${l}`),
    `  ${spec.name}(${positional}): ${ret};`,
    `  /** Named form of {@link BitgetMethods.${spec.name}}: one object with the same parameter names. */`,
    `  ${spec.name}(params: ${pascal(spec.name)}Params): ${ret};`,
  ].join('\n');
}

function renderParamsInterface(spec: MethodSpec): string {
  const fields = spec.params.map((p) => `  /** ${paramDoc(p)} */\n  ${p.name}${mandatory(p) ? '' : '?'}: ${tsType(p)};`);
  return `/** Named parameters of ctx.bitget.${spec.name}. */\nexport interface ${pascal(spec.name)}Params {\n${fields.join('\n')}\n}`;
}

export function renderWorkerApiDts(): string {
  return [
    DTS_HEADER,
    '/** ctx.bitget: every method accepts positional arguments in the documented order, or one object of named parameters. */',
    'export interface BitgetMethods {',
    BITGET_METHODS.map(renderMethodDts).join('\n\n'),
    '}',
    '',
    BITGET_METHODS.map(renderParamsInterface).join('\n\n'),
    '',
  ].join('\n');
}

function renderMethodDoc(spec: MethodSpec): string {
  const extra = METHOD_EXTRAS[spec.name];
  const reference = (REFERENCE_METHOD_NAMES as readonly string[]).includes(spec.name) ? ' · reference SDK method' : '';
  const sig = spec.params.map((p) => (mandatory(p) ? p.name : `${p.name}?`)).join(', ');
  const rows = spec.params.map((p) => {
    const req = mandatory(p) ? 'yes' : 'no';
    return `| \`${p.name}\` | \`${tsType(p).replace(/\|/g, '\\|')}\` | ${req} | ${(defaultText(p) ?? '—').replace(/\|/g, '\\|')} | ${p.doc.replace(/\|/g, '\\|')} |`;
  });
  return [
    `### ${spec.name}`,
    '',
    `${spec.summary}`,
    '',
    `\`${spec.httpMethod} ${spec.path}\` · ${spec.auth ? 'private (needs a key)' : 'public'} · rate class \`${spec.rateClass}\`${reference}`,
    '',
    '```ts',
    `ctx.bitget.${spec.name}(${sig})`,
    '```',
    '',
    ...(rows.length === 0
      ? ['No parameters.']
      : ['| parameter | type | required | default | notes |', '|---|---|---|---|---|', ...rows]),
    '',
    `Returns \`{code, msg, requestTime, data: ${extra?.data ?? 'unknown'}}\`.`,
    '',
    '```js',
    extra?.example ?? '',
    '```',
    '',
    'Errors: ' + errorsOf(spec).join('; ') + '.',
    '',
  ].join('\n');
}

export function renderWorkerApiDoc(): string {
  const families: [string, string][] = [
    ['market', 'Market data (public)'], ['account', 'Futures account and settings'], ['position', 'Futures positions'],
    ['order', 'Futures orders'], ['plan', 'Futures trigger and TP/SL orders'], ['spot', 'Spot account and trading'],
  ];
  const index = BITGET_METHODS.map((s) => `| [\`${s.name}\`](#${s.name}) | \`${s.httpMethod} ${s.path}\` | ${s.auth ? 'private' : 'public'} |`);
  return [
    DOC_INTRO,
    '## Method index',
    '',
    '| method | endpoint | auth |',
    '|---|---|---|',
    ...index,
    '',
    ...families.flatMap(([family, title]) => [
      `## ${title}`,
      '',
      ...BITGET_METHODS.filter((s) => s.family === family).map(renderMethodDoc),
    ]),
    DOC_ERRORS,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(DTS_PATH, renderWorkerApiDts());
  writeFileSync(DOC_PATH, renderWorkerApiDoc());
  console.log(`wrote ${DTS_PATH}\nwrote ${DOC_PATH}`);
}
