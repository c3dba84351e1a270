/**
 * A Bitget business error: becomes `{code, msg, requestTime, data: null}` with `httpStatus`.
 * Codes and messages follow CONTRACT.md §3.3 (real messages where one was captured).
 */
export class BitgetSimError extends Error {
  override readonly name = 'BitgetSimError';
  readonly code: string;
  readonly httpStatus: number;

  constructor(code: string, msg: string, httpStatus = 400, options?: { cause?: unknown }) {
    super(msg, options);
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

/** Configuration problems of the simulator itself (bad CSV, unreadable data file). */
export class SimulatorConfigError extends Error {
  override readonly name = 'SimulatorConfigError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

const fail = (code: string, msg: string, status = 400) => new BitgetSimError(code, msg, status);

export const errors = {
  accessKeyEmpty: () => fail('40001', 'ACCESS_KEY cannot be empty'),
  signEmpty: () => fail('40003', 'Signature cannot be empty'),
  timestampInvalid: () => fail('40005', 'Invalid ACCESS_TIMESTAMP'),
  accessKeyInvalid: () => fail('40006', 'Invalid ACCESS_KEY'),
  timestampExpired: () => fail('40008', 'Request timestamp expired'),
  signInvalid: () => fail('40009', 'sign signature error'),
  passphraseEmpty: () => fail('40011', 'ACCESS_PASSPHRASE cannot be empty'),
  passphraseWrong: () => fail('40012', 'apikey/password is incorrect'),
  environment: () => fail('40099', 'exchange environment is incorrect'),
  paramsInvalid: (detail = 'Parameter verification failed') => fail('40017', detail),
  paramEmpty: (name: string) => fail('40019', `Parameter ${name} cannot be empty`),
  paramError: (name: string) => fail('40020', `Parameter ${name} error`),
  symbolUnknown: (name = 'symbol') => fail('40034', `Parameter ${name} does not exist`),
  orderNotFoundDetail: () => fail('40109', 'The data of the order cannot be found, please confirm the order number'),
  clientOidTooLong: () => fail('40305', 'The clientOid length is not allowed to exceed 50 and can only contain letters, numbers and ._-:'),
  batchTooLarge: () => fail('40306', 'Batch processing orders can only process up to 50'),
  insufficientPosition: () => fail('40757', 'Not enough position is available.'),
  exceedsBalance: () => fail('40762', 'The order amount exceeds the balance'),
  orderNotFound: () => fail('40768', 'Order does not exist'),
  unilateral: () => fail('40774', 'The order type for unilateral position must also be the unilateral position type.'),
  duplicateClientOid: () => fail('40786', 'Duplicate clientOid'),
  sizeScale: (value: string, scale: number) => fail('40808', `Parameter verification exception size checkBDScale error value=${value} checkScale=${scale}`),
  sizeMultiple: (value: string, step: string) => fail('40808', `Parameter verification exception size ${value} is not a multiple of ${step}`),
  longStopAboveMark: () => fail('40917', 'The stop price for longs must be less than the mark price'),
  positionModeBusy: () => fail('40920', 'Position or order exists, the position mode cannot be switched'),
  priceScale: (value: string) => fail('41103', `param price scale error error value=${value}`),
  spotOrderNotFound: () => fail('43001', 'The order does not exist'),
  tpslNoPosition: () => fail('43023', 'Insufficient position, can not set take profit or stop loss'),
  tpslInvalid: (detail: string) => fail('43011', detail),
  spotInsufficient: () => fail('43012', 'Insufficient balance'),
  planNotFound: () => fail('43025', 'Plan order does not exist'),
  spotDuplicateClientOid: () => fail('43118', 'clientOrderId duplicate'),
  belowMinAmount: (min: string, coin: string) => fail('45110', `less than the minimum amount ${min} ${coin}`),
  belowMinQty: (min: string) => fail('45111', `less than the minimum order quantity ${min}`),
  aboveMaxQty: (max: string) => fail('45112', `more than the maximum order quantity ${max}`),
  marginModeBusy: () => fail('45117', 'Currently holding positions or orders, the margin mode cannot be adjusted'),
  shortStopBelowMark: () => fail('45122', 'Short position stop loss price please > mark price'),
  noOrderToCancel: () => fail('22001', 'No order to cancel'),
  noPosition: () => fail('22002', 'No position to close'),
  tooManyRequests: () => fail('429', 'Too Many Requests', 429),
  notFound: () => fail('40404', 'Request URL NOT FOUND', 404),
};
