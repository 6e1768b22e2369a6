/** What the web client exposes for tests (see web-client/src/components/world/WorldCanvas.tsx, state/AppState.tsx). */
interface Window {
  __imw?: {
    players(): Array<{ userId: number; name: string; x: number; y: number }>;
    self(): { x: number; y: number };
    bubbles(): Array<{ userId: number; text: string }>;
    fps(): number;
    rendering(): boolean;
    pixelAt(x: number, y: number): [number, number, number] | null;
    toPage(x: number, y: number): { x: number; y: number } | null;
  };
  __imwRtc?: { pc(): RTCPeerConnection | null; ringing(): boolean };
  /** call.spec: how often the page asked for the camera/microphone. */
  __gumCalls?: number;
  /** The bubble call (web-client/src/screens/WorldScreen.tsx): member ids and peer connections. */
  __imwBubble?: {
    mine(): readonly number[] | null;
    connections(): Map<number, RTCPeerConnection>;
    signalsSent(): number;
  };
}
