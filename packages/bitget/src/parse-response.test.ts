import { describe, expect, it } from 'vitest';
import { BitgetAPIError, BitgetNetworkError, BitgetRateLimitError } from './errors.ts';
import { parseResponse, parseResponseText, responseText } from './parse-response.ts';

const ctx = { method: 'futures_tickers', path: '/api/v2/mix/market/tickers', params: { productType: 'USDT-FUTURES' } };

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('parseResponse', () => {
  it('returns the envelope untouched, requestTime as a number', () => {
    const text = '{"code":"00000","msg":"success","requestTime":1700000000123,"data":[{"lastPr":"67010.5"}]}';
    expect(parseResponse(200, text, ctx)).toEqual({
      code: '00000', msg: 'success', requestTime: 1700000000123, data: [{ lastPr: '67010.5' }],
    });
  });

  it('remembers the text of a response it left as received, and only then', () => {
    const text = '{"code":"00000","msg":"success","requestTime":1,"data":{"a":"1.50"}}';
    expect(responseText(parseResponse(200, text, ctx))).toBe(text);
    // msg filled in from `message`: the text is no longer the response
    expect(responseText(parseResponse(200, '{"code":"00000","message":"success","requestTime":1,"data":{}}', ctx))).toBeUndefined();
  });

  it('keeps requestTime as a string when the server sends a string', () => {
    const r = parseResponse(200, '{"code":"00000","msg":"success","requestTime":"1702571585940","data":null}', ctx);
    expect(r.requestTime).toBe('1702571585940');
  });

  it('reads `message` when `msg` is absent', () => {
    const r = parseResponse(200, '{"code":"00000","message":"success","requestTime":1,"data":{}}', ctx);
    expect(r.msg).toBe('success');
    const e = thrown(() => parseResponse(400, '{"code":"40762","message":"The order amount exceeds the balance","data":null}', ctx));
    expect((e as BitgetAPIError).detail).toBe('The order amount exceeds the balance');
  });

  it('keeps JSON numbers as numbers (merge-depth levels)', () => {
    const r = parseResponse(200, '{"code":"00000","msg":"success","requestTime":1,"data":{"asks":[[26347.5,0.25]]}}', ctx);
    expect(r.data).toEqual({ asks: [[26347.5, 0.25]] });
  });

  it('raises BitgetAPIError with code, detail and context for an error envelope', () => {
    const e = thrown(() =>
      parseResponse(400, '{"code":"40762","msg":"The order amount exceeds the balance","requestTime":1716572156622,"data":null}', ctx),
    );
    expect(e).toBeInstanceOf(BitgetAPIError);
    const err = e as BitgetAPIError;
    expect(err.name).toBe('BitgetAPIError');
    expect(err.code).toBe('40762');
    expect(err.detail).toBe('The order amount exceeds the balance');
    expect(err.context).toEqual(ctx);
    expect(err.status).toBe(400);
    expect(err.message).toContain('40762');
  });

  it('treats a non-00000 code on HTTP 200 as an error and a numeric code as a string', () => {
    const e = thrown(() => parseResponse(200, '{"code":40034,"msg":"Parameter does not exist","data":null}', ctx));
    expect((e as BitgetAPIError).code).toBe('40034');
  });

  it('maps HTTP 429 and body code 429 to BitgetRateLimitError', () => {
    const a = thrown(() => parseResponse(429, 'Too Many Requests', ctx));
    expect(a).toBeInstanceOf(BitgetRateLimitError);
    expect((a as BitgetRateLimitError).code).toBe('429');
    expect((a as BitgetRateLimitError).status).toBe(429);
    const b = thrown(() => parseResponse(200, '{"code":"429","msg":"Too Many Requests","data":null}', ctx));
    expect((b as BitgetRateLimitError).code).toBe('429');
  });

  it('maps a non-JSON body to BitgetNetworkError with the status', () => {
    const e = thrown(() => parseResponse(502, '<html>Bad Gateway</html>', ctx));
    expect(e).toBeInstanceOf(BitgetNetworkError);
    expect((e as BitgetNetworkError).status).toBe(502);
    expect((e as BitgetNetworkError).code).toBe('HTTP_STATUS');
    const f = thrown(() => parseResponse(200, 'not json', ctx));
    expect((f as BitgetNetworkError).code).toBe('BAD_RESPONSE');
    expect((f as BitgetNetworkError).status).toBe(200);
  });

  it('maps 5xx with a JSON body to a network error', () => {
    const e = thrown(() => parseResponse(503, '{"code":"50000","msg":"busy"}', ctx));
    expect(e).toBeInstanceOf(BitgetNetworkError);
    expect((e as BitgetNetworkError).status).toBe(503);
  });

  it('maps a JSON body that is not an envelope (Spring-style 404) to BAD_RESPONSE', () => {
    const e = thrown(() => parseResponse(404, '{"timestamp":1,"status":404,"error":"Not Found","path":"/api/v2/x"}', ctx));
    expect((e as BitgetNetworkError).code).toBe('BAD_RESPONSE');
    expect((e as BitgetNetworkError).status).toBe(404);
  });
});

describe('parseResponseText (answers handed on as JSON text)', () => {
  it('passes a success envelope through as received (number or string requestTime)', () => {
    for (const text of [
      '{"code":"00000","msg":"success","requestTime":1700000000123,"data":[{"lastPr":"67010.5"}]}',
      '{"code":"00000","msg":"success","requestTime":"1702571585940","data":null}',
    ]) expect(parseResponseText(200, text, ctx)).toBe(text);
  });

  it('classifies everything else exactly as parseResponse does', () => {
    const refused = '{"code":"40762","msg":"The order amount exceeds the balance","requestTime":1,"data":null}';
    expect(thrown(() => parseResponseText(400, refused, ctx))).toBeInstanceOf(BitgetAPIError);
    // a refusal on HTTP 200 is still a refusal
    expect(thrown(() => parseResponseText(200, refused, ctx))).toBeInstanceOf(BitgetAPIError);
    expect(thrown(() => parseResponseText(429, '', ctx))).toBeInstanceOf(BitgetRateLimitError);
    const bad = thrown(() => parseResponseText(502, '{"code":"00000","msg":"success","requestTime":1,"data":[]}', ctx));
    expect(bad).toBeInstanceOf(BitgetNetworkError);
    expect((bad as BitgetNetworkError).status).toBe(502);
    // a duplicate code wins in JSON.parse: the body is classified, not passed through
    const dup = thrown(() => parseResponseText(200, '{"code":"00000","msg":"success","requestTime":1,"data":null,"code":"40762","msg":"no"}', ctx));
    expect(dup).toBeInstanceOf(BitgetAPIError);
    expect((dup as BitgetAPIError).code).toBe('40762');
    // a field named code inside data: full parse, same success
    expect(JSON.parse(parseResponseText(200, '{"code":"00000","msg":"success","requestTime":1,"data":[{"code":"x"}]}', ctx)).data).toEqual([{ code: 'x' }]);
    // cut short after the prefix (not ending in }): not passed through, so the parse reports it as a bad body
    const cut = thrown(() => parseResponseText(200, '{"code":"00000","msg":"success","requestTime":1,"data":[{"a":', ctx));
    expect(cut).toBeInstanceOf(BitgetNetworkError);
    expect((cut as BitgetNetworkError).code).toBe('BAD_RESPONSE');
  });

  it('hands on a success that does not open like the usual envelope as its JSON, normalised', () => {
    expect(JSON.parse(parseResponseText(200, '{ "code": "00000", "msg": "success", "requestTime": 1, "data": {"a": "1.50"} }', ctx))).toEqual({
      code: '00000', msg: 'success', requestTime: 1, data: { a: '1.50' },
    });
    expect(JSON.parse(parseResponseText(200, '{"code":"00000","message":"success","requestTime":1,"data":{}}', ctx)).msg).toBe('success');
  });
});
