import { limitAtMost, param, requireOneOf } from '../method-spec.ts';
import type { MethodSpec, ParamSpec } from '../method-spec.ts';

// Futures trigger (plan) orders and TP/SL orders.

const triggerType: ParamSpec = {
  name: 'trigger_type', wire: 'triggerType', type: 'enum', values: ['mark_price', 'fill_price'], default: 'mark_price',
  doc: 'mark_price | fill_price',
};

/** Which plan orders a list covers: "profit_loss" is every TP/SL kind. */
const listPlanType: ParamSpec = {
  name: 'plan_type', wire: 'planType', type: 'enum', values: ['normal_plan', 'track_plan', 'profit_loss'], default: 'normal_plan',
  doc: 'normal_plan | track_plan | profit_loss',
};

const TPSL_PLAN_TYPES = ['profit_plan', 'loss_plan', 'moving_plan', 'pos_profit', 'pos_loss'] as const;

export const PLAN_METHODS: readonly MethodSpec[] = [
  {
    name: 'futures_place_plan_order', family: 'plan', market: 'futures', httpMethod: 'POST',
    path: '/api/v2/mix/order/place-plan-order', auth: true, rateClass: 'orders', orderAction: 'plan',
    summary: 'Place a trigger (normal_plan) or trailing (track_plan) order: data {orderId, clientOid}.',
    params: [
      param.symbol(true),
      param.side(),
      param.size('base-coin amount'),
      { name: 'trigger_price', wire: 'triggerPrice', type: 'decimal', required: true, doc: 'price that activates the order' },
      param.orderType(),
      param.price('limit price once triggered (normal_plan + limit only)'),
      triggerType,
      { name: 'plan_type', wire: 'planType', type: 'enum', values: ['normal_plan', 'track_plan'], default: 'normal_plan', doc: 'normal_plan | track_plan' },
      { name: 'callback_ratio', wire: 'callbackRatio', type: 'decimal', doc: 'trailing distance in % (track_plan only, <= 10)' },
      param.tradeSide(),
      param.marginCoin(),
      param.marginMode(),
      param.productType(),
      param.reduceOnly(),
      param.clientOid(),
      { name: 'stop_surplus_trigger_price', wire: 'stopSurplusTriggerPrice', type: 'decimal', doc: 'attached take-profit trigger price' },
      { name: 'stop_loss_trigger_price', wire: 'stopLossTriggerPrice', type: 'decimal', doc: 'attached stop-loss trigger price' },
    ],
    check: (p) => {
      if (p['plan_type'] === 'track_plan') {
        if (p['callback_ratio'] === undefined) return ['callback_ratio', "callback_ratio is required when plan_type is 'track_plan'"];
        if (p['price'] !== undefined) return ['price', "price must be omitted when plan_type is 'track_plan'"];
        if (p['order_type'] !== 'market') return ['order_type', "order_type must be 'market' when plan_type is 'track_plan'"];
        return undefined;
      }
      if (p['callback_ratio'] !== undefined) return ['callback_ratio', "callback_ratio is only valid when plan_type is 'track_plan'"];
      if (p['order_type'] === 'market' && p['price'] !== undefined) return ['price', "price must be omitted when order_type is 'market' (the order fills at market once triggered)"];
      return p['order_type'] === 'limit' && p['price'] === undefined
        ? ['price', "price is required when order_type is 'limit'"]
        : undefined;
    },
  },
  {
    name: 'futures_place_tpsl_order', family: 'plan', market: 'futures', httpMethod: 'POST',
    path: '/api/v2/mix/order/place-tpsl-order', auth: true, rateClass: 'orders', orderAction: 'tpsl',
    summary: 'Place a take-profit / stop-loss order on a position: data {orderId, clientOid}.',
    params: [
      param.symbol(true),
      { name: 'plan_type', wire: 'planType', type: 'enum', values: TPSL_PLAN_TYPES, required: true, doc: TPSL_PLAN_TYPES.join(' | ') },
      { name: 'trigger_price', wire: 'triggerPrice', type: 'decimal', required: true, doc: 'trigger price' },
      {
        name: 'hold_side', wire: 'holdSide', type: 'enum', values: ['long', 'short', 'buy', 'sell'], required: true,
        doc: 'position side: long | short in hedge mode; buy (long) | sell (short) in one-way mode',
      },
      { name: 'size', wire: 'size', type: 'decimal', doc: 'required for profit_plan, loss_plan, moving_plan; pos_* cover the whole position' },
      { name: 'execute_price', wire: 'executePrice', type: 'decimal', doc: 'limit price when triggered; omit for market' },
      triggerType,
      { name: 'range_rate', wire: 'rangeRate', type: 'decimal', doc: 'callback rate (moving_plan only)' },
      param.productType(),
      param.marginCoin(),
      param.clientOid(),
    ],
    check: (p) => {
      const partial = p['plan_type'] === 'profit_plan' || p['plan_type'] === 'loss_plan' || p['plan_type'] === 'moving_plan';
      if (partial && p['size'] === undefined) return ['size', `size is required when plan_type is '${String(p['plan_type'])}'`];
      if (p['plan_type'] === 'moving_plan') {
        if (p['range_rate'] === undefined) return ['range_rate', "range_rate is required when plan_type is 'moving_plan'"];
        if (p['execute_price'] !== undefined) return ['execute_price', "execute_price must be omitted when plan_type is 'moving_plan'"];
      }
      return undefined;
    },
  },
  {
    name: 'futures_cancel_plan_order', family: 'plan', market: 'futures', httpMethod: 'POST',
    path: '/api/v2/mix/order/cancel-plan-order', auth: true, rateClass: 'orders', changeAction: 'cancel_plan',
    summary: 'Cancel one trigger or TP/SL order by order_id or client_oid: data {successList, failureList}.',
    params: [
      param.symbol(true),
      { ...param.orderId(), wire: undefined },
      { ...param.clientOid('client order id of the plan order'), wire: undefined },
      {
        name: 'plan_type', wire: 'planType', type: 'enum', default: 'normal_plan',
        values: ['normal_plan', 'track_plan', ...TPSL_PLAN_TYPES], doc: 'kind of the order to cancel',
      },
      param.productType(),
      param.marginCoin(),
    ],
    check: (p) => requireOneOf(p, 'order_id', 'client_oid'),
    // Bitget cancels ALL matching plan orders when orderIdList is absent, so it is always sent.
    adjust: (wire, p) => {
      const entry: Record<string, string> = {};
      if (typeof p['order_id'] === 'string') entry['orderId'] = p['order_id'];
      if (typeof p['client_oid'] === 'string') entry['clientOid'] = p['client_oid'];
      wire['orderIdList'] = [entry];
    },
  },
  {
    name: 'futures_pending_plan_orders', family: 'plan', market: 'futures', httpMethod: 'GET',
    path: '/api/v2/mix/order/orders-plan-pending', auth: true, rateClass: 'orders',
    summary: 'Untriggered plan orders: data {entrustedList, endId}; plan_type "profit_loss" lists TP/SL orders.',
    params: [
      param.productType(),
      param.symbol(false),
      listPlanType,
      param.limit(undefined, 'at most 100'),
      param.idLessThan(),
      param.orderId(),
      param.clientOid('client order id of the plan order'),
    ],
    check: limitAtMost(100),
  },
  {
    name: 'futures_plan_orders_history', family: 'plan', market: 'futures', httpMethod: 'GET',
    path: '/api/v2/mix/order/orders-plan-history', auth: true, rateClass: 'orders',
    summary: 'Plan and TP/SL orders that are no longer waiting: data {entrustedList, endId}; planStatus executed | fail_trigger | cancelled, and executeOrderId is the order a trigger placed.',
    params: [
      param.productType(),
      param.symbol(false),
      listPlanType,
      param.orderId(),
      param.clientOid('client order id of the plan order'),
      { name: 'plan_status', wire: 'planStatus', type: 'enum', values: ['executed', 'fail_trigger', 'cancelled'], doc: 'executed | fail_trigger | cancelled' },
      param.limit(undefined, 'at most 100'),
      param.idLessThan(),
      param.time('start_time'),
      param.time('end_time'),
    ],
    check: limitAtMost(100),
  },
];
