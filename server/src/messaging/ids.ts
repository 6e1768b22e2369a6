/**
 * Server-assigned message ids: node id, milliseconds, and a per-node counter, so ids are unique
 * across the cluster and sort by time within a node without any coordination.
 */
export class MessageIds {
  private seq = 0;
  constructor(private readonly nodeId: string) {}

  next(nowMs: number): string {
    this.seq = (this.seq + 1) % 1_679_616; // 36^4: four base-36 digits
    return `${nowMs.toString(36)}-${this.seq.toString(36).padStart(4, '0')}-${this.nodeId}`;
  }
}
