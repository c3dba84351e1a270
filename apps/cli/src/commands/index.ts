import type { Command } from '../context.ts';
import { activityCommands } from './activity.ts';
import { alertCommands } from './alerts.ts';
import { authCommands } from './auth.ts';
import { deployCommands } from './deploy.ts';
import { keyCommands } from './keys.ts';
import { logCommands } from './logs.ts';
import { tokenCommands } from './tokens.ts';
import { tradeCommands } from './trades.ts';
import { userCommands } from './users.ts';
import { webhookCommands } from './webhook.ts';
import { workerCommands } from './workers.ts';

export const COMMANDS: Command[] = [
  ...authCommands, ...keyCommands, ...workerCommands, ...webhookCommands, ...deployCommands, ...activityCommands, ...logCommands, ...tradeCommands,
  ...tokenCommands, ...userCommands, ...alertCommands,
];
