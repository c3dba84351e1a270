import Type from 'typebox';
import type { Static } from 'typebox';

/** PUT /api/me/alerts: where failure alerts are POSTed (Slack, Discord or any JSON receiver). */
export const AlertUrlBody = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 2000, description: 'http(s) URL; a credential (e.g. a Slack or Discord webhook URL), stored encrypted' }),
}, { additionalProperties: false });

/** GET /api/me/alerts: whether alerts are on, and to which host — never the URL itself. */
export const AlertsView = Type.Object({
  enabled: Type.Boolean(),
  host: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  /** The last alert delivered to this URL. */
  lastSentAt: Type.Union([Type.String(), Type.Null()]),
  /** Why the last delivery failed, unless one worked since (never the URL itself). */
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastErrorAt: Type.Union([Type.String(), Type.Null()]),
});
export type AlertsViewT = Static<typeof AlertsView>;
