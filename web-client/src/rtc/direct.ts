import type { EventBody, ParamsIn, PresenceStatus } from '@imw/shared';
import { type ImClient, ImError } from '@imw/shared/sdk';
import { type Msg, msg } from '../i18n';
import { Store } from '../state/store';
import { type DirectPayload, encodeDirectText, parseDirectPayload } from './payload';

/**
 * A direct (peer-to-peer) connection to one friend at a time: an RTCPeerConnection whose
 * offers, answers and ICE candidates travel through the server's `rtc.signal` relay (friends
 * only), with a data channel for chat and optional audio/video.
 *
 * Negotiation follows the "perfect negotiation" pattern (W3C WebRTC 1.0 §10.7): the peer with
 * the lower user id is impolite (its offer wins a collision), the other one polite (it rolls
 * back). The same rule settles glare when both friends press "Direct" at once: the higher id
 * drops its own offer and takes the other one, without asking, since it wanted the connection too.
 */

export type DirectPhase =
  /** A friend offered a connection; waiting for this user to accept. */
  | 'incoming'
  /** Our offer is out; waiting for the friend to accept. */
  | 'calling'
  /** Accepted; ICE and DTLS are being set up. */
  | 'connecting'
  /** The data channel is open. */
  | 'open'
  /** A call rings (see `ring`); no peer connection exists yet (R-CALL-2). */
  | 'ringing';

/**
 * A call that rings (R-CALL-*): `out` we rang the friend, `in` the friend rings us. `id` is the
 * ring's call id: the session's own for a new call, a fresh one for a call within an open
 * direct connection (whose call id stays the connection's).
 */
export interface Ring {
  readonly id: string;
  readonly dir: 'in' | 'out';
  readonly video: boolean;
}

export interface DirectSession {
  readonly peerId: number;
  readonly callId: string;
  readonly phase: DirectPhase;
  readonly local: MediaStream | null;
  readonly remote: MediaStream | null;
  readonly muted: boolean;
  readonly cameraOff: boolean;
  readonly ring: Ring | null;
}

export interface DirectState {
  readonly session: DirectSession | null;
  /** Why the last session ended, for the friend's conversation to say so. */
  readonly ended: { readonly peerId: number; readonly callId: string; readonly reason: Msg } | null;
  /** The last thing that went wrong while starting (e.g. no camera), for the call panel. */
  readonly problem: Msg | null;
}

type Signal = EventBody<'rtc.signal'>;
type OutSignal = Omit<ParamsIn<'rtc.signal'>, 'to' | 'callId'>;

/** Candidates may be relayed ahead of their offer; keep a few, bounded. */
const MAX_EARLY_CANDIDATES = 64;
const MAX_EARLY_CALLS = 4;
const MAX_SIGNAL_RETRIES = 5;

const newCallId = () => crypto.randomUUID();

export interface DirectCallbacks {
  /** A chat line that came or went over the data channel. */
  onMessage(peerId: number, payload: DirectPayload, own: boolean): void;
  /** The user's own status as shown to them (the social store's, which changes at once). */
  ownStatus(): PresenceStatus;
}

export class DirectManager extends Store<DirectState> {
  private pc: RTCPeerConnection | null = null;
  private channel: RTCDataChannel | null = null;
  private pendingOffer: string | null = null;
  private early = new Map<string, RTCIceCandidateInit[]>();
  private makingOffer = false;
  private ignoreOffer = false;
  private unsubscribe: (() => void)[] = [];
  /** The callee side of an accepted new call: getting the camera; the caller's offer waits for it. */
  private loadingMedia = false;
  private answering = false;
  /** The new call this side accepted: only its offer is answered by `answerPending`. */
  private acceptedCall: string | null = null;

  constructor(
    private readonly client: ImClient,
    private readonly myId: number,
    private readonly callbacks: DirectCallbacks,
  ) {
    super({ session: null, ended: null, problem: null });
  }

  start(): void {
    if (this.unsubscribe.length > 0) return;
    this.unsubscribe.push(this.client.on('rtc.signal', (s) => void this.onSignal(s)));
    const onPageHide = () => this.hangUp(msg('calls:ended.otherLeft'));
    window.addEventListener('pagehide', onPageHide);
    this.unsubscribe.push(() => window.removeEventListener('pagehide', onPageHide));
  }

  stop(): void {
    this.hangUp(msg('calls:ended.otherLeft'));
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }

  /** The live connection, for tests (window.__imwRtc) and diagnostics. */
  peerConnection(): RTCPeerConnection | null {
    return this.pc;
  }

  // ---- user actions ----

  /** Offers a direct connection to a friend. */
  async connect(peerId: number): Promise<void> {
    if (this.current.session) return;
    const callId = newCallId();
    this.setSession({ peerId, callId, phase: 'calling' });
    const pc = await this.createPeer(peerId, callId);
    if (!pc) return;
    // Creating the channel triggers negotiationneeded, which sends the offer.
    this.attachChannel(pc.createDataChannel('chat', { ordered: true }), peerId);
  }

  async accept(): Promise<void> {
    const s = this.current.session;
    if (s?.phase !== 'incoming' || this.pendingOffer === null) return;
    const offer = this.pendingOffer;
    this.pendingOffer = null;
    this.setSession({ ...s, phase: 'connecting' });
    const pc = await this.createPeer(s.peerId, s.callId);
    if (!pc) return;
    await this.onDescription(pc, 'offer', offer);
  }

  decline(): void {
    const s = this.current.session;
    if (s?.phase !== 'incoming') return;
    this.send(s.peerId, s.callId, { kind: 'hangup' });
    this.end(null);
  }

  /** Ends the session, whatever its phase, and tells the friend. */
  hangUp(reason: Msg = msg('calls:ended.byYou')): void {
    const s = this.current.session;
    if (!s) return;
    // A ring of ours within the connection has its own id: end it too (the server's ring timer).
    if (s.ring?.dir === 'out' && s.ring.id !== s.callId) this.send(s.peerId, s.ring.id, { kind: 'hangup' });
    this.send(s.peerId, s.callId, { kind: 'hangup' });
    this.end(reason);
  }

  /**
   * Rings a friend (R-CALL-2): no camera, microphone, connection or offer until the friend
   * accepts. Within an open direct connection with them the call rings there.
   */
  call(peerId: number, video = true): void {
    const s = this.current.session;
    if (s && (s.peerId !== peerId || s.phase !== 'open' || s.local || s.ring)) return;
    const id = newCallId();
    if (!s) this.setSession({ peerId, callId: id, phase: 'ringing' });
    this.patchSession({ ring: { id, dir: 'out', video } });
    this.send(peerId, id, { kind: 'ring', media: video ? 'video' : 'audio' });
  }

  /** Answers a ringing call: our camera, then the caller's offer (a new call) or both add tracks. */
  async acceptCall(): Promise<void> {
    const s = this.current.session;
    const ring = s?.ring;
    if (!s || ring?.dir !== 'in') return;
    this.send(s.peerId, ring.id, { kind: 'accept' });
    if (s.phase !== 'ringing') {
      this.patchSession({ ring: null });
      await this.startCall(ring.video);
      return;
    }
    this.patchSession({ ring: null, phase: 'connecting' });
    this.acceptedCall = s.callId;
    this.loadingMedia = true;
    const stream = await this.getMedia(ring.video);
    this.loadingMedia = false;
    if (this.current.session?.callId !== s.callId) {
      for (const t of stream?.getTracks() ?? []) t.stop();
      return;
    }
    if (stream) this.patchSession({ local: stream, muted: false, cameraOff: false });
    await this.answerPending();
  }

  /**
   * Turns a ringing call down. While invisible nothing is sent (R-CALL-5): the call rings out as
   * it would to an offline friend.
   */
  declineCall(): void {
    const s = this.current.session;
    const ring = s?.ring;
    if (!s || ring?.dir !== 'in') return;
    if (this.callbacks.ownStatus() !== 'invisible') this.send(s.peerId, ring.id, { kind: 'decline' });
    if (s.phase === 'ringing') this.end(null);
    else this.patchSession({ ring: null });
  }

  /** Sends a chat line over the data channel. False when the channel is not open. */
  sendText(text: string): boolean {
    const s = this.current.session;
    const ch = this.channel;
    if (!s || !ch || ch.readyState !== 'open') return false;
    const payload: DirectPayload = { id: newCallId(), text, atMs: Date.now() };
    ch.send(encodeDirectText(payload));
    this.callbacks.onMessage(s.peerId, payload, true);
    return true;
  }

  /** Adds this side's microphone (and camera) to the connection: negotiationneeded does the rest. */
  async startCall(video = true): Promise<void> {
    const s = this.current.session;
    const pc = this.pc;
    if (!s || !pc || s.local) return;
    const stream = await this.getMedia(video);
    if (!stream) return;
    if (this.pc !== pc) {
      for (const t of stream.getTracks()) t.stop();
      return;
    }
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    this.patchSession({ local: stream, muted: false, cameraOff: false });
    this.setProblem(null);
  }

  /** The microphone (and camera); null, with the problem shown, when neither can be had. */
  private async getMedia(video: boolean): Promise<MediaStream | null> {
    try {
      return await navigator.mediaDevices.getUserMedia({ audio: true, video });
    } catch (e) {
      if (!video) {
        this.setProblem(msg('calls:problem.microphone', { error: errorName(e) }));
        return null;
      }
      // No camera (or it is refused): a voice call still works.
      try {
        return await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (e2) {
        this.setProblem(msg('calls:problem.media', { error: errorName(e2) }));
        return null;
      }
    }
  }

  toggleMute(): void {
    const s = this.current.session;
    if (!s?.local) return;
    const muted = !s.muted;
    for (const t of s.local.getAudioTracks()) t.enabled = !muted;
    this.patchSession({ muted });
  }

  toggleCamera(): void {
    const s = this.current.session;
    if (!s?.local) return;
    const cameraOff = !s.cameraOff;
    for (const t of s.local.getVideoTracks()) t.enabled = !cameraOff;
    this.patchSession({ cameraOff });
  }

  dismissEnded(): void {
    this.update((st) => (st.ended ? { ...st, ended: null } : st));
  }

  // ---- signalling ----

  private async onSignal(sig: Signal): Promise<void> {
    const s = this.current.session;
    const mine = s !== null && s.peerId === sig.from;

    if (sig.kind === 'ring' || sig.kind === 'accept' || sig.kind === 'decline') {
      await this.onRingSignal(sig);
      return;
    }

    if (sig.kind === 'hangup') {
      if (mine && s.ring && s.ring.id === sig.callId && s.phase !== 'ringing') {
        // The ring within an open connection ended (rang out or was cancelled); the connection stays.
        this.patchSession({ ring: null });
        if (s.ring.dir === 'out') this.setProblem(msg('calls:ring.unanswered'));
      } else if (mine && s.callId === sig.callId) {
        // Our ring ended by the other side (busy) or by the server (rang out): say so to the server
        // too, so that its ring timer stops (R-CALL-4); after its own timeout this is a no-op.
        if (s.phase === 'ringing' && s.ring?.dir === 'out') this.send(s.peerId, s.callId, { kind: 'hangup' });
        this.end(
          s.phase === 'ringing'
            ? s.ring?.dir === 'out'
              ? msg('calls:ring.unanswered')
              : null
            : msg(s.phase === 'calling' ? 'calls:ended.declined' : 'calls:ended.hungUp'),
        );
      } else if (this.current.ended?.callId === sig.callId) {
        // The peer-to-peer close can overtake the relayed hang-up: say who ended it.
        this.update((st) =>
          st.ended ? { ...st, ended: { ...st.ended, reason: msg('calls:ended.hungUp') } } : st,
        );
      }
      this.early.delete(sig.callId);
      return;
    }

    if (sig.kind === 'candidate') {
      if (!sig.candidate) return;
      if (mine && s.callId === sig.callId && this.pc?.remoteDescription) {
        await this.addCandidate(this.pc, sig.candidate);
      } else {
        this.keepEarly(sig.callId, sig.candidate);
      }
      return;
    }

    if (!sig.sdp) return;

    if (sig.kind === 'answer') {
      if (!mine || s.callId !== sig.callId || !this.pc) return;
      if (s.phase === 'calling') this.patchSession({ phase: 'connecting' });
      await this.onDescription(this.pc, 'answer', sig.sdp);
      return;
    }

    // An offer.
    if (s && !mine) {
      // One direct connection at a time: tell the other friend we are busy. Unless invisible
      // (R-SEC-6): an instant hang-up from someone shown offline would say they are online, so
      // the offer goes unanswered, as it would if the user were offline.
      if (this.callbacks.ownStatus() !== 'invisible') this.send(sig.from, sig.callId, { kind: 'hangup' });
      return;
    }
    if (s && s.callId === sig.callId) {
      // A renegotiation (a call started) within the session.
      if (this.pc) await this.onDescription(this.pc, 'offer', sig.sdp);
      // R-CALL-2: an offer for a call this side has not accepted is not taken.
      else if (s.phase !== 'ringing') {
        this.pendingOffer = sig.sdp;
        await this.answerPending();
      }
      return;
    }
    if (s && s.phase === 'calling') {
      // Glare: both sides offered at once. The lower user id's offer wins.
      if (this.myId < sig.from) return;
      this.closePeer();
      this.setSession({ peerId: sig.from, callId: sig.callId, phase: 'incoming' });
      this.pendingOffer = sig.sdp;
      await this.accept();
      return;
    }
    if (s) this.closePeer(); // the friend started over (e.g. reloaded): a new offer replaces the old session
    this.pendingOffer = sig.sdp;
    this.update((st) => ({
      ...st,
      ended: null,
      session: this.newSession({ peerId: sig.from, callId: sig.callId, phase: 'incoming' }),
    }));
  }

  /** R-CALL-*: a ring, or the answer to ours. */
  private async onRingSignal(sig: Signal): Promise<void> {
    const s = this.current.session;
    const mine = s !== null && s.peerId === sig.from;
    if (sig.kind === 'ring') {
      const ring: Ring = { id: sig.callId, dir: 'in', video: sig.media !== 'audio' };
      if (mine && s.ring?.id === sig.callId) return;
      if (mine && s.phase === 'open' && !s.ring && !s.local) return this.patchSession({ ring });
      if (s) {
        // Busy; unless invisible (R-CALL-5): then silence, as from an offline friend.
        if (this.callbacks.ownStatus() !== 'invisible') this.send(sig.from, sig.callId, { kind: 'hangup' });
        return;
      }
      this.update(() => ({
        ended: null,
        problem: null,
        session: { ...this.newSession({ peerId: sig.from, callId: sig.callId, phase: 'ringing' }), ring },
      }));
      return;
    }
    if (sig.from === this.myId) {
      // R-CALL-7: answered on another device of ours; this one stops ringing.
      if (s?.ring?.dir === 'in' && s.ring.id === sig.callId) {
        if (s.phase === 'ringing') this.end(null);
        else this.patchSession({ ring: null });
      }
      return;
    }
    const ring = mine ? s.ring : null;
    if (!s || ring?.dir !== 'out' || ring.id !== sig.callId) return;
    if (sig.kind === 'decline') {
      // Our hang-up stops the server's ring timer: a declined call leaves no line (R-CALL-4).
      this.send(s.peerId, ring.id, { kind: 'hangup' });
      if (s.phase === 'ringing') this.end(msg('calls:ring.declined'));
      else {
        this.patchSession({ ring: null });
        this.setProblem(msg('calls:ring.declined'));
      }
      return;
    }
    // Accepted: only now the camera and microphone (R-CALL-2).
    this.patchSession({ ring: null });
    if (s.phase !== 'ringing') {
      this.send(s.peerId, ring.id, { kind: 'hangup' }); // the ring's own id: stops the server's timer
      await this.startCall(ring.video);
      return;
    }
    this.patchSession({ phase: 'connecting' });
    const stream = await this.getMedia(ring.video);
    if (this.current.session?.callId !== s.callId) {
      for (const t of stream?.getTracks() ?? []) t.stop();
      return;
    }
    if (stream) this.patchSession({ local: stream, muted: false, cameraOff: false });
    const pc = await this.createPeer(s.peerId, s.callId);
    if (!pc) return;
    for (const t of stream?.getTracks() ?? []) pc.addTrack(t, stream as MediaStream);
    // Creating the channel triggers negotiationneeded: one offer with the tracks and the channel,
    // which also stops the server's ring timer.
    this.attachChannel(pc.createDataChannel('chat', { ordered: true }), s.peerId);
  }

  /** The callee of an accepted new call answers the caller's offer once its camera is ready. */
  private async answerPending(): Promise<void> {
    const s = this.current.session;
    if (s?.phase !== 'connecting' || s.callId !== this.acceptedCall) return;
    if (this.pc || this.answering || this.loadingMedia) return;
    const offer = this.pendingOffer;
    if (offer === null) return;
    this.pendingOffer = null;
    this.answering = true;
    try {
      const pc = await this.createPeer(s.peerId, s.callId);
      if (pc) await this.onDescription(pc, 'offer', offer);
    } finally {
      this.answering = false;
    }
  }

  private async onDescription(pc: RTCPeerConnection, type: 'offer' | 'answer', sdp: string): Promise<void> {
    const s = this.current.session;
    if (!s || this.pc !== pc) return;
    const polite = this.myId > s.peerId;
    const collision = type === 'offer' && (this.makingOffer || pc.signalingState !== 'stable');
    this.ignoreOffer = !polite && collision;
    if (this.ignoreOffer) return;
    try {
      // A polite peer's setRemoteDescription rolls its own pending offer back implicitly.
      await pc.setRemoteDescription({ type, sdp });
      for (const c of this.early.get(s.callId) ?? []) await this.addCandidate(pc, c);
      this.early.delete(s.callId);
      if (type === 'offer') {
        // An accepted call's camera goes into the offer's transceivers, in the answer.
        const local = this.current.session?.local;
        for (const t of local?.getTracks() ?? []) {
          if (!pc.getSenders().some((x) => x.track === t)) pc.addTrack(t, local as MediaStream);
        }
        await pc.setLocalDescription();
        const answer = pc.localDescription;
        if (answer && this.pc === pc) this.send(s.peerId, s.callId, { kind: 'answer', sdp: answer.sdp });
      }
    } catch (e) {
      console.warn('direct connection: negotiation failed', e);
      if (this.pc === pc && pc.connectionState === 'new') this.hangUp(msg('calls:ended.setupFailed'));
    }
  }

  private async addCandidate(pc: RTCPeerConnection, c: RTCIceCandidateInit): Promise<void> {
    try {
      await pc.addIceCandidate(c);
    } catch (e) {
      // Candidates of an offer this side ignored (collision) fail by design.
      if (!this.ignoreOffer) console.warn('direct connection: bad ICE candidate', e);
    }
  }

  private keepEarly(callId: string, c: ParamsIn<'rtc.signal'>['candidate']): void {
    if (!c) return;
    let list = this.early.get(callId);
    if (!list) {
      if (this.early.size >= MAX_EARLY_CALLS) {
        const oldest = this.early.keys().next().value;
        if (oldest !== undefined) this.early.delete(oldest);
      }
      list = [];
      this.early.set(callId, list);
    }
    if (list.length < MAX_EARLY_CANDIDATES) list.push(c);
  }

  /** Fire and forget, in order (the SDK sends frames in call order); rate limits are retried. */
  private send(to: number, callId: string, sig: OutSignal, attempt = 0): void {
    this.client.request('rtc.signal', { to, callId, ...sig }).catch((e: unknown) => {
      if (e instanceof ImError && e.code === 'RATE_LIMITED' && attempt < MAX_SIGNAL_RETRIES) {
        setTimeout(() => this.send(to, callId, sig, attempt + 1), e.retryAfterMs ?? 500);
        return;
      }
      const s = this.current.session;
      // The relay answers friends at once; silence means the other user is not (or no longer) a friend.
      if (e instanceof ImError && e.code === 'TIMEOUT' && sig.kind === 'offer' && s?.callId === callId) {
        this.end(msg('calls:ended.noAnswer'));
      }
    });
  }

  // ---- the peer connection ----

  private async createPeer(peerId: number, callId: string): Promise<RTCPeerConnection | null> {
    let iceServers: RTCIceServer[] = [];
    try {
      const r = await this.client.request('rtc.iceServers', {});
      iceServers = r.iceServers.map((s) => ({
        urls: s.urls,
        ...(s.username !== undefined ? { username: s.username } : {}),
        ...(s.credential !== undefined ? { credential: s.credential } : {}),
      }));
    } catch (e) {
      // Host candidates still connect on one network; TURN-only networks will fail visibly.
      console.warn('direct connection: no ICE servers', e);
    }
    const s = this.current.session;
    if (!s || s.callId !== callId) return null;

    const pc = new RTCPeerConnection({ iceServers });
    this.pc = pc;
    this.makingOffer = false;
    this.ignoreOffer = false;

    pc.onicecandidate = ({ candidate }) => {
      if (candidate && this.pc === pc)
        this.send(peerId, callId, { kind: 'candidate', candidate: candidateInit(candidate) });
    };
    pc.onnegotiationneeded = async () => {
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        const offer = pc.localDescription;
        if (offer && this.pc === pc)
          this.send(peerId, callId, { kind: 'offer', sdp: offer.sdp, media: this.mediaKind() });
      } catch (e) {
        console.warn('direct connection: could not make an offer', e);
      } finally {
        this.makingOffer = false;
      }
    };
    pc.ontrack = ({ track, streams }) => {
      if (this.pc !== pc) return;
      const remote = streams[0] ?? this.current.session?.remote ?? new MediaStream();
      if (!remote.getTracks().includes(track)) remote.addTrack(track);
      this.patchSession({ remote });
      track.addEventListener('ended', () => this.patchSession({}));
    };
    pc.ondatachannel = ({ channel }) => {
      if (this.pc === pc) this.attachChannel(channel, peerId);
    };
    pc.onconnectionstatechange = () => {
      if (this.pc !== pc) return;
      if (pc.connectionState === 'failed') this.hangUp(msg('calls:ended.failed'));
    };
    return pc;
  }

  private attachChannel(channel: RTCDataChannel, peerId: number): void {
    this.channel = channel;
    channel.onopen = () => {
      if (this.channel === channel) this.patchSession({ phase: 'open' });
    };
    channel.onclose = () => {
      if (this.channel === channel && this.current.session) this.end(msg('calls:ended.closed'));
    };
    channel.onmessage = ({ data }) => {
      const payload = parseDirectPayload(data);
      if (payload) this.callbacks.onMessage(peerId, payload, false);
    };
  }

  private mediaKind(): 'data' | 'audio' | 'video' {
    const local = this.current.session?.local;
    if (!local) return 'data';
    return local.getVideoTracks().length > 0 ? 'video' : 'audio';
  }

  private closePeer(): void {
    const s = this.current.session;
    for (const t of s?.local?.getTracks() ?? []) t.stop();
    const { pc, channel } = this;
    this.pc = null;
    this.channel = null;
    this.pendingOffer = null;
    channel?.close();
    pc?.close();
  }

  private end(reason: Msg | null): void {
    const s = this.current.session;
    this.closePeer();
    if (s) this.early.delete(s.callId);
    this.update(() => ({
      session: null,
      ended: s && reason ? { peerId: s.peerId, callId: s.callId, reason } : null,
      problem: null,
    }));
  }

  // ---- state helpers ----

  private newSession(p: { peerId: number; callId: string; phase: DirectPhase }): DirectSession {
    return { ...p, local: null, remote: null, muted: false, cameraOff: false, ring: null };
  }

  private setSession(p: { peerId: number; callId: string; phase: DirectPhase }): void {
    this.update(() => ({ session: this.newSession(p), ended: null, problem: null }));
  }

  /** Patches the live session; an empty patch still publishes (a remote track ended). */
  private patchSession(patch: Partial<DirectSession>): void {
    this.update((st) => (st.session ? { ...st, session: { ...st.session, ...patch } } : st));
  }

  private setProblem(problem: Msg | null): void {
    this.update((st) => (st.problem === problem ? st : { ...st, problem }));
  }
}

function candidateInit(c: RTCIceCandidate): NonNullable<ParamsIn<'rtc.signal'>['candidate']> {
  return {
    candidate: c.candidate,
    sdpMid: c.sdpMid,
    sdpMLineIndex: c.sdpMLineIndex,
    usernameFragment: c.usernameFragment,
  };
}

function errorName(e: unknown): string {
  return e instanceof DOMException ? e.name : String(e);
}
