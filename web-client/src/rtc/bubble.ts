import type { BubbleRefusal, EventBody, ParamsIn, SceneBubble } from '@imw/shared';
import type { ImClient } from '@imw/shared/sdk';
import { Store } from '../state/store';

/**
 * The call of the user's bubble (#19): one RTCPeerConnection per other member, a browser mesh,
 * signalled with `scene.signal` (the server relays to members of the same bubble only). The
 * server decides who is in the bubble (`scene.bubble`); this class follows: a member who is no
 * longer listed has its connection closed at once, which ends its tracks here.
 *
 * Negotiation is "perfect negotiation" (W3C WebRTC 1.0 §10.7) per pair: the lower user id is
 * impolite. The camera and microphone stay off until the user turns them on (`enableMedia`);
 * before that the user still sees and hears the others (receive-only transceivers).
 */

export interface BubblePeer {
  readonly id: number;
  readonly stream: MediaStream | null;
  /** Screen shared by this peer, shown as its own tile. */
  readonly screen: MediaStream | null;
}

export interface BubbleCallState {
  /** The user's bubble (or meeting), or null. */
  readonly mine: SceneBubble | null;
  /** Every bubble the user has heard of, to draw them on the map. */
  readonly bubbles: ReadonlyMap<string, SceneBubble>;
  readonly peers: readonly BubblePeer[];
  readonly local: MediaStream | null;
  readonly screen: MediaStream | null;
  readonly mediaOn: boolean;
  readonly audioOnly: boolean;
  readonly muted: boolean;
  readonly cameraOff: boolean;
  readonly dnd: boolean;
  /** Spatial audio (volume by distance, stereo pan); off plays everyone at full volume, centred. */
  readonly spatial: boolean;
  /** The last refusal (full or locked), until the user joins a bubble. */
  readonly refused: { readonly reason: BubbleRefusal; readonly meeting: boolean } | null;
  readonly problem: string | null;
}

type Signal = EventBody<'scene.signal'>;
type OutSignal = Omit<ParamsIn<'scene.signal'>, 'to' | 'callId'>;

interface Peer {
  readonly id: number;
  readonly pc: RTCPeerConnection;
  readonly polite: boolean;
  makingOffer: boolean;
  ignoreOffer: boolean;
  stream: MediaStream | null;
  screen: MediaStream | null;
  /** The transceivers that carry our camera and microphone (and screen) to this peer. */
  audio: RTCRtpTransceiver | null;
  video: RTCRtpTransceiver | null;
  screenSender: RTCRtpSender | null;
}

export class BubbleCall extends Store<BubbleCallState> {
  private readonly peers = new Map<number, Peer>();
  private unsubscribe: (() => void)[] = [];
  private iceServers: RTCIceServer[] | null = null;
  /** The call id names the bubble, so signals of an old bubble are told apart. */
  private callId = '';
  private signals: Promise<void> = Promise.resolve();
  /** Signalling messages this side sent (the bench figure "signals per bubble formed"). */
  signalsSent = 0;

  constructor(
    private readonly client: ImClient,
    private readonly myId: number,
  ) {
    super({
      mine: null,
      bubbles: new Map(),
      peers: [],
      local: null,
      screen: null,
      mediaOn: false,
      audioOnly: false,
      muted: false,
      cameraOff: false,
      dnd: false,
      spatial: true,
      refused: null,
      problem: null,
    });
  }

  start(): void {
    if (this.unsubscribe.length > 0) return;
    this.unsubscribe = [
      this.client.on('scene.bubble', (b) => this.onBubble(b)),
      this.client.on('scene.bubbleRefused', (r) =>
        this.update((s) => ({ ...s, refused: { reason: r.reason, meeting: r.bubbleId.startsWith('m:') } })),
      ),
      // One at a time, in order: a candidate must not overtake the offer it belongs to.
      this.client.on('scene.signal', (s) => {
        this.signals = this.signals.then(() => this.onSignal(s));
      }),
      this.client.on('scene.changed', () => this.reset()),
    ];
  }

  stop(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.reset();
    for (const t of this.current.local?.getTracks() ?? []) t.stop();
    for (const t of this.current.screen?.getTracks() ?? []) t.stop();
  }

  /** For end-to-end tests: the live connections by peer id. */
  connections(): Map<number, RTCPeerConnection> {
    return new Map([...this.peers].map(([id, p]) => [id, p.pc]));
  }

  // ---- user actions ----

  /** Turns the camera (unless audio only) and microphone on: asks the browser the first time. */
  async enableMedia(audioOnly = this.current.audioOnly): Promise<void> {
    if (this.current.local) return;
    let local: MediaStream;
    try {
      local = await navigator.mediaDevices.getUserMedia({ audio: true, video: !audioOnly });
    } catch (e) {
      this.update((s) => ({ ...s, problem: e instanceof DOMException ? e.name : String(e) }));
      return;
    }
    this.update((s) => ({
      ...s,
      local,
      mediaOn: true,
      audioOnly,
      muted: false,
      cameraOff: false,
      problem: null,
    }));
    for (const p of this.peers.values()) void this.attachLocal(p);
  }

  disableMedia(): void {
    const local = this.current.local;
    if (!local) return;
    for (const t of local.getTracks()) t.stop();
    for (const p of this.peers.values()) {
      void p.audio?.sender.replaceTrack(null);
      void p.video?.sender.replaceTrack(null);
    }
    this.update((s) => ({ ...s, local: null, mediaOn: false }));
  }

  setAudioOnly(audioOnly: boolean): void {
    this.update((s) => ({ ...s, audioOnly }));
  }

  toggleMute(): void {
    const muted = !this.current.muted;
    for (const t of this.current.local?.getAudioTracks() ?? []) t.enabled = !muted;
    this.update((s) => ({ ...s, muted }));
  }

  toggleCamera(): void {
    const cameraOff = !this.current.cameraOff;
    for (const t of this.current.local?.getVideoTracks() ?? []) t.enabled = !cameraOff;
    this.update((s) => ({ ...s, cameraOff }));
  }

  setSpatial(spatial: boolean): void {
    this.update((s) => ({ ...s, spatial }));
  }

  async setDnd(dnd: boolean): Promise<void> {
    await this.client.request('scene.bubblePrefs', { dnd });
    this.update((s) => ({ ...s, dnd }));
  }

  async setLocked(locked: boolean): Promise<void> {
    await this.client.request('scene.bubbleLock', { locked });
  }

  /** Shares the screen (getDisplayMedia) with everyone in the bubble, as its own tile. */
  async shareScreen(): Promise<void> {
    if (this.current.screen) return;
    let screen: MediaStream;
    try {
      screen = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (e) {
      this.update((s) => ({ ...s, problem: e instanceof DOMException ? e.name : String(e) }));
      return;
    }
    screen.getVideoTracks()[0]?.addEventListener('ended', () => this.stopScreen());
    this.update((s) => ({ ...s, screen }));
    for (const p of this.peers.values()) this.attachScreen(p);
  }

  stopScreen(): void {
    const screen = this.current.screen;
    if (!screen) return;
    for (const t of screen.getTracks()) t.stop();
    for (const p of this.peers.values()) {
      if (p.screenSender && p.pc.signalingState !== 'closed') {
        const t = p.pc.getTransceivers().find((x) => x.sender === p.screenSender);
        if (t) t.direction = 'inactive';
        void p.screenSender.replaceTrack(null);
      }
      p.screenSender = null;
    }
    this.update((s) => ({ ...s, screen: null }));
  }

  // ---- the server's view ----

  private onBubble(b: SceneBubble): void {
    const bubbles = new Map(this.current.bubbles);
    if (b.members.length === 0) bubbles.delete(b.bubbleId);
    else bubbles.set(b.bubbleId, b);
    const inIt = b.members.includes(this.myId);
    const wasMine = this.current.mine?.bubbleId === b.bubbleId;
    let mine = this.current.mine;
    if (inIt) mine = b;
    else if (wasMine) mine = null;
    this.update((s) => ({ ...s, bubbles, mine, refused: inIt ? null : s.refused }));
    if (inIt || wasMine) this.follow(mine);
  }

  /** Opens connections to new members and closes those to members who left (or all). */
  private follow(mine: SceneBubble | null): void {
    const callId = mine ? mine.bubbleId : '';
    if (callId !== this.callId) {
      for (const id of [...this.peers.keys()]) this.closePeer(id);
      this.callId = callId;
    }
    const members = new Set(mine?.members ?? []);
    for (const id of [...this.peers.keys()]) if (!members.has(id)) this.closePeer(id);
    for (const id of members) if (id !== this.myId && !this.peers.has(id)) void this.openPeer(id);
    this.publishPeers();
  }

  private reset(): void {
    for (const id of [...this.peers.keys()]) this.closePeer(id);
    this.callId = '';
    this.update((s) => ({ ...s, mine: null, bubbles: new Map(), peers: [], refused: null }));
  }

  // ---- peer connections ----

  private async servers(): Promise<RTCIceServer[]> {
    if (this.iceServers) return this.iceServers;
    try {
      const r = await this.client.request('rtc.iceServers', {});
      this.iceServers = r.iceServers.map((s) => ({
        urls: s.urls,
        ...(s.username !== undefined ? { username: s.username } : {}),
        ...(s.credential !== undefined ? { credential: s.credential } : {}),
      }));
    } catch {
      // Host candidates still connect on one network.
      this.iceServers = [];
    }
    return this.iceServers;
  }

  private async openPeer(id: number): Promise<Peer | null> {
    const callId = this.callId;
    const iceServers = await this.servers();
    if (this.callId !== callId || this.peers.has(id)) return this.peers.get(id) ?? null;
    if (!this.current.mine?.members.includes(id)) return null;
    const pc = new RTCPeerConnection({ iceServers });
    const p: Peer = {
      id,
      pc,
      polite: this.myId > id,
      makingOffer: false,
      ignoreOffer: false,
      stream: null,
      screen: null,
      audio: null,
      video: null,
      screenSender: null,
    };
    this.peers.set(id, p);
    pc.onicecandidate = ({ candidate }) => {
      if (candidate && this.peers.get(id) === p) {
        this.send(id, {
          kind: 'candidate',
          candidate: {
            candidate: candidate.candidate,
            sdpMid: candidate.sdpMid,
            sdpMLineIndex: candidate.sdpMLineIndex,
            usernameFragment: candidate.usernameFragment,
          },
        });
      }
    };
    pc.onnegotiationneeded = async () => {
      try {
        p.makingOffer = true;
        await pc.setLocalDescription();
        if (pc.localDescription && this.peers.get(id) === p)
          this.send(id, { kind: 'offer', sdp: pc.localDescription.sdp });
      } catch (e) {
        console.warn('bubble call: could not make an offer', e);
      } finally {
        p.makingOffer = false;
      }
    };
    pc.ontrack = ({ track, transceiver }) => {
      if (this.peers.get(id) !== p) return;
      // The first audio and video transceivers carry the camera and microphone; a later video
      // one is a shared screen.
      const isScreen =
        track.kind === 'video' &&
        transceiver !== pc.getTransceivers().find((t) => t.receiver.track.kind === 'video');
      if (isScreen) {
        p.screen = new MediaStream([track]);
        track.addEventListener('mute', () => {
          p.screen = null;
          this.publishPeers();
        });
        track.addEventListener('unmute', () => {
          p.screen = new MediaStream([track]);
          this.publishPeers();
        });
      } else {
        p.stream ??= new MediaStream();
        if (!p.stream.getTracks().includes(track)) p.stream.addTrack(track);
        p.stream = new MediaStream(p.stream.getTracks());
      }
      this.publishPeers();
    };
    // The impolite side (lower id) sets up both directions for audio and video, so each side
    // receives even before it turns its own camera on.
    if (!p.polite) {
      p.audio = pc.addTransceiver('audio', { direction: 'sendrecv' });
      p.video = pc.addTransceiver('video', { direction: 'sendrecv' });
      void this.attachLocal(p);
      if (this.current.screen) this.attachScreen(p);
    } else {
      // The offer may have come before this side knew of the bubble: ask for it (again).
      this.send(id, { kind: 'ready' });
    }
    return p;
  }

  private async attachLocal(p: Peer): Promise<void> {
    const local = this.current.local;
    if (!local || !p.audio || !p.video) return;
    await p.audio.sender.replaceTrack(local.getAudioTracks()[0] ?? null);
    await p.video.sender.replaceTrack(local.getVideoTracks()[0] ?? null);
  }

  private attachScreen(p: Peer): void {
    const track = this.current.screen?.getVideoTracks()[0];
    if (!track || p.screenSender || p.pc.signalingState === 'closed') return;
    // A transceiver of its own, never one of the camera's, so the other side tells them apart.
    p.screenSender = p.pc.addTransceiver(track, {
      direction: 'sendonly',
      streams: [this.current.screen!],
    }).sender;
  }

  private closePeer(id: number): void {
    const p = this.peers.get(id);
    if (!p) return;
    this.peers.delete(id);
    // Closing stops the receivers: the peer's tracks end here at once.
    p.pc.close();
    for (const t of p.stream?.getTracks() ?? []) t.stop();
    for (const t of p.screen?.getTracks() ?? []) t.stop();
  }

  private publishPeers(): void {
    const peers: BubblePeer[] = [...this.peers.values()].map((p) => ({
      id: p.id,
      stream: p.stream,
      screen: p.screen,
    }));
    this.update((s) => ({ ...s, peers }));
  }

  private send(to: number, sig: OutSignal): void {
    if (!this.callId) return;
    this.signalsSent++;
    this.client.request('scene.signal', { to, callId: this.callId, ...sig }).catch((e: unknown) => {
      console.warn('bubble call: signal not sent', e);
    });
  }

  private async onSignal(s: Signal): Promise<void> {
    if (s.callId !== this.callId) return;
    const p = this.peers.get(s.from) ?? (await this.openPeer(s.from));
    if (!p || s.callId !== this.callId) return;
    const { pc } = p;
    try {
      if (s.kind === 'offer' || s.kind === 'answer') {
        if (s.sdp === undefined) return;
        const collision = s.kind === 'offer' && (p.makingOffer || pc.signalingState !== 'stable');
        p.ignoreOffer = !p.polite && collision;
        if (p.ignoreOffer) return;
        await pc.setRemoteDescription({ type: s.kind, sdp: s.sdp });
        if (s.kind === 'offer') {
          // The polite side answers on the impolite side's transceivers, and sends on them too.
          if (p.polite && (!p.audio || !p.video)) {
            for (const t of pc.getTransceivers()) {
              const kind = t.receiver.track.kind;
              if (kind === 'audio' && !p.audio) p.audio = t;
              else if (kind === 'video' && !p.video) p.video = t;
              else continue;
              t.direction = 'sendrecv';
            }
            await this.attachLocal(p);
            if (this.current.screen) this.attachScreen(p);
          }
          await pc.setLocalDescription();
          if (pc.localDescription) this.send(s.from, { kind: 'answer', sdp: pc.localDescription.sdp });
        }
      } else if (s.kind === 'candidate' && s.candidate) {
        try {
          await pc.addIceCandidate(s.candidate);
        } catch (e) {
          if (!p.ignoreOffer) throw e;
        }
      } else if (s.kind === 'ready') {
        // The other side was not listening yet: the offer (with its candidates by now) again.
        if (!p.polite && pc.signalingState === 'have-local-offer' && pc.localDescription)
          this.send(s.from, { kind: 'offer', sdp: pc.localDescription.sdp });
      } else if (s.kind === 'hangup') {
        this.closePeer(s.from);
        this.publishPeers();
      }
    } catch (e) {
      console.warn('bubble call: signal failed', e);
    }
  }
}
