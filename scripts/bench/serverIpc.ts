// The messages between the bench and the Consilium server it starts in a
// child process (serverHost.ts), validated on both sides.
import { z } from 'zod';

export const hostRequestSchema = z.discriminatedUnion('type', [
  /** Doctor accounts, consults and invite links, made through the server's own stores. */
  z.strictObject({ type: z.literal('prepareConsults'), id: z.number().int(), count: z.number().int().min(1).max(500) }),
  /** The server process's memory. */
  z.strictObject({ type: z.literal('memory'), id: z.number().int() }),
  z.strictObject({ type: z.literal('close'), id: z.number().int() }),
]);
export type HostRequest = z.infer<typeof hostRequestSchema>;

export const preparedConsultSchema = z.strictObject({
  consultId: z.string(),
  doctorCookie: z.string(),
  patientToken: z.string(),
  interpreterToken: z.string(),
});
export type PreparedConsult = z.infer<typeof preparedConsultSchema>;

export const hostMemorySchema = z.strictObject({ rss: z.number(), heapUsed: z.number() });

export const hostMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), port: z.number().int(), workerPids: z.array(z.number().int()).min(1) }),
  z.strictObject({ type: z.literal('failed'), message: z.string() }),
  z.strictObject({ type: z.literal('reply'), id: z.number().int(), result: z.unknown() }),
  z.strictObject({ type: z.literal('error'), id: z.number().int(), message: z.string() }),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;
