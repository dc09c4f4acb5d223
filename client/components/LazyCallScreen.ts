// The call (mediasoup-client, Socket.IO, the waiting screen, the tiles) is a
// chunk of its own: the link page shows without it, fetches it once the first
// screen is up, and shows it when the person joins.
import { lazyPart } from './LazyPart';

export const CallScreen = lazyPart(async () => (await import('./CallScreen')).CallScreen);
