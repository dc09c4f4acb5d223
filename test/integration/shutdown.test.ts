// Shutting down must not wait for ever on a connection whose other end
// vanished mid-request (a phone that lost its network, a browser killed while
// its link was cut): the server gives open connections a grace period, then
// closes them, and the process can exit.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startTestServer } from '../helpers/testServer';

describe('server shutdown', function () {
  this.timeout(30_000);

  it('ends even while a request is still coming in, closing that connection after a grace period', async () => {
    const server = await startTestServer();
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // Headers promise a body that never comes: the request stays in progress.
    socket.write(`POST /api/accounts/sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`);
    const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    await server.close();
    await socketClosed;
    assert.equal(socket.destroyed, true);
  });
});
