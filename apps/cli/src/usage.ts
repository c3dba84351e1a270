const HEAD = `Usage: tickbox <command> [options]

Options for every command:
  --url URL       the Tickbox server (else TICKBOX_URL, else the saved login, else http://127.0.0.1:3000)
  --token TOKEN   API token (else TICKBOX_TOKEN, else the saved login)
  --json          print the API's JSON instead of tables
  -h, --help      show this help
`;

/** One section per command group; `tickbox <group> --help` shows just that one. */
const SECTIONS: Record<string, string> = {
  login: `
Login:
  tickbox login [--url URL] [--token TOKEN]   check the token (GET /api/me) and save url and token
                                              (token from --token, TICKBOX_TOKEN or one line on stdin)
  tickbox logout                              forget the saved login
  tickbox whoami                              the user the token belongs to
`,
  keys: `
Exchange keys:
  tickbox keys list
  tickbox keys add --name NAME --mode sim|demo|live [--api-key KEY]
        secret and passphrase: TICKBOX_KEY_SECRET / TICKBOX_KEY_PASSPHRASE, else two lines on
        stdin (typed without echo on a terminal); never flags. A sim key needs neither.
  tickbox keys rotate <key> --api-key KEY     new credentials of the same account (secret and passphrase
                                              as for keys add); its workers use them from their next tick
  tickbox keys rename <key> <name>
  tickbox keys account <key> [--product-type USDT-FUTURES|USDC-FUTURES|COIN-FUTURES]
                                              futures balances and open positions on the exchange
  tickbox keys rm <key> [--force]             --force: even while workers use it
`,
  workers: `
Workers (<worker> is an id or a name):
  tickbox workers list
  tickbox workers show <worker> [--code]
  tickbox workers deploy <file.js|file.ts> [--name NAME] [--every 5s | --cron "*/5 * * * * *"]
        [--key KEY] [--product-type USDT-FUTURES|USDC-FUTURES|COIN-FUTURES] [--disabled]
        creates the worker (name defaults to the file name), or updates the one with that name:
        new code is a new version and setup runs again; a new worker without --key gets your only
        sim/demo key (never a live one unasked); --key none: no key
  tickbox workers enable <worker>
  tickbox workers disable <worker>
  tickbox workers disable-all                 stop every worker now (running ticks finish; open orders stay)
  tickbox workers run <worker>                one tick now, in the scheduler; exit 1 if it fails
  tickbox workers rm <worker>                 its trades stay in the journal
  tickbox workers runs <worker> [--limit N]
  tickbox workers logs <worker> [--level L] [--limit N] [--after ID] [-f|--follow]
  tickbox workers state <worker> [--reset]
  tickbox workers versions <worker> [--limit N] [--show VERSION]
        code history, newest first; --show prints one version's code (roll back by deploying it)
  tickbox workers webhook <worker> [--off]
        prints a secret URL (shown once) that runs the tick once per alert posted to it, e.g. from
        TradingView; run it again for a new URL (the old one stops working), --off to turn it off
  tickbox workers webhook <worker> --allow IP,... | --allow-any
        accept alerts only from these IPv4/IPv6 addresses or CIDR ranges (the URL stays), or from
        any sender; TradingView: --allow 52.89.214.238,34.212.75.30,54.218.53.128,52.32.178.7
`,
  trades: `
Trade journal:
  tickbox trades [--worker W] [--symbol S] [--status S] [--from T] [--to T] [--limit N] [--cursor C]
  tickbox trades --csv [--worker W] [--symbol S] [--status S] [--from T] [--to T]
  tickbox trades summary [--worker W] [--from T] [--to T]
        T is an ISO 8601 time, e.g. 2025-01-31T00:00:00Z
`,
  tokens: `
API tokens (<token> is an id or a name):
  tickbox tokens list                         your tokens; * marks the one this command uses
  tickbox tokens create <name>                prints the new token, the only time it is shown
  tickbox tokens revoke <token>               it stops working at once; your only token cannot be revoked
`,
  alerts: `
Failure alerts (a POST with {text, content, kind, worker, error, at}: Slack, Discord or any JSON receiver):
  tickbox alerts show                         on or off, and to which host
  tickbox alerts set                          the URL from TICKBOX_ALERT_URL or one line on stdin (it is a
                                              credential: never a flag); alerts when a worker's setup fails,
                                              a tick fails after one that did not, a worker recovers, and
                                              the exchange rejects an order (at most every 10 min per worker)
  tickbox alerts test                         send one now
  tickbox alerts off
  tickbox alerts mute <worker>                no alerts from this worker (the others still send theirs)
  tickbox alerts unmute <worker>
`,
  users: `
Users (admins only):
  tickbox users list                          every user with their workers and tokens counted
  tickbox users create <name> [--admin]       prints the user's first token, the only time it is shown
`,
};

const TAIL = `
Exit codes: 0 done, 1 an error from Tickbox or the network, 2 a usage mistake.
`;

const TOPICS: Record<string, string> = { logout: 'login', whoami: 'login' };

/** The whole usage, or one group's section when the topic names one. */
export function usage(topic?: string): string {
  const section = topic === undefined ? undefined : SECTIONS[TOPICS[topic] ?? topic];
  return HEAD + (section ?? Object.values(SECTIONS).join('')) + TAIL;
}
