import uWS from 'uWebSockets.js';

/**
 * Baseline: the least a relay can do on uWebSockets.js. No login, no encryption, binary frames.
 * A client's first message (u32 LE group id) joins that group and is answered with one byte;
 * every later message goes to the group's other members (uWS pub/sub, publisher excluded).
 */
interface Member {
  topic: string | null;
}

const port = Number(process.env.PORT ?? 0);

uWS
  .App()
  .ws<Member>('/*', {
    compression: uWS.DISABLED,
    maxPayloadLength: 64 * 1024,
    // The same slow-reader budget our server uses (MAX_BACKPRESSURE_BYTES).
    maxBackpressure: 1024 * 1024,
    idleTimeout: 120,
    upgrade: (res, req, context) => {
      res.upgrade<Member>(
        { topic: null },
        req.getHeader('sec-websocket-key'),
        req.getHeader('sec-websocket-protocol'),
        req.getHeader('sec-websocket-extensions'),
        context,
      );
    },
    message: (ws, message) => {
      const m = ws.getUserData();
      if (m.topic === null) {
        if (message.byteLength < 4) return ws.end(1002, 'join first');
        m.topic = `g${new DataView(message).getUint32(0, true)}`;
        ws.subscribe(m.topic);
        ws.send(new Uint8Array([1]), true);
        return;
      }
      ws.publish(m.topic, message, true);
    },
  })
  .listen('127.0.0.1', port, (token) => {
    if (!token) {
      console.error('uws relay: listen failed');
      process.exit(1);
    }
    console.log(`uws relay listening on ws://127.0.0.1:${uWS.us_socket_local_port(token)}/`);
  });
