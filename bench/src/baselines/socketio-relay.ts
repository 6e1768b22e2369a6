import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

/**
 * Baseline: the same relay on socket.io 4 (websocket transport only, rooms, no auth, no
 * encryption). `join` puts the socket in a room and acknowledges; `m` goes to the room's others.
 */
const http = createServer();
const sio = new Server(http, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });

sio.on('connection', (socket) => {
  let room: string | null = null;
  socket.on('join', (group: number, ack?: () => void) => {
    room = `g${group}`;
    void socket.join(room);
    ack?.();
  });
  socket.on('m', (data: Buffer) => {
    if (room) socket.to(room).emit('m', data);
  });
});

http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = http.address() as AddressInfo;
  console.log(`socket.io relay listening on http://127.0.0.1:${port}`);
});
