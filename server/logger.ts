// Structured JSON logs. Lines carry ids (consult, participant), never names
// or other personal data.
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'consilium' } });
}
