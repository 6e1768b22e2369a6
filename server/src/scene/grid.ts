/**
 * Uniform spatial hash over a bounded map. With the cell size equal to the view radius, a radius
 * query reads at most 3×3 cells, whatever the number of users in the scene.
 *
 * Items are intrusive: each carries its own cell and slot so that insert, update and remove are
 * O(1) with no lookup table (remove swaps the last item of the cell into the freed slot).
 */
export interface GridItem {
  readonly x: number;
  readonly y: number;
  /** Owned by the grid: -1 when not in a grid. */
  gridCell: number;
  /** Owned by the grid: index in the cell's array. */
  gridSlot: number;
}

export class SpatialGrid<T extends GridItem> {
  readonly cellSizePx: number;
  private readonly cols: number;
  private readonly rows: number;
  private readonly cells: T[][];
  private count = 0;

  constructor(widthPx: number, heightPx: number, cellSizePx: number) {
    if (!(cellSizePx > 0) || !(widthPx > 0) || !(heightPx > 0)) {
      throw new RangeError(`grid needs positive sizes, got ${widthPx}x${heightPx} cell ${cellSizePx}`);
    }
    this.cellSizePx = cellSizePx;
    this.cols = Math.ceil(widthPx / cellSizePx);
    this.rows = Math.ceil(heightPx / cellSizePx);
    this.cells = Array.from({ length: this.cols * this.rows }, () => []);
  }

  get size(): number {
    return this.count;
  }

  insert(item: T): void {
    if (item.gridCell !== -1) throw new Error('item is already in a grid');
    this.place(item, this.cellOf(item.x, item.y));
    this.count++;
  }

  /** Call after changing the item's x/y. Free when the item stays in its cell. */
  update(item: T): void {
    const cell = this.cellOf(item.x, item.y);
    if (cell === item.gridCell) return;
    this.unplace(item);
    this.place(item, cell);
  }

  remove(item: T): void {
    if (item.gridCell === -1) return;
    this.unplace(item);
    item.gridCell = -1;
    item.gridSlot = -1;
    this.count--;
  }

  /**
   * Every item within radiusPx of (x, y) (closed disc: distance <= radius), written into `out`,
   * which is cleared first. The caller owns and reuses `out`, so a query allocates nothing.
   */
  queryRadius(x: number, y: number, radiusPx: number, out: T[]): T[] {
    out.length = 0;
    const r2 = radiusPx * radiusPx;
    const minCx = this.clampCol(Math.floor((x - radiusPx) / this.cellSizePx));
    const maxCx = this.clampCol(Math.floor((x + radiusPx) / this.cellSizePx));
    const minCy = this.clampRow(Math.floor((y - radiusPx) / this.cellSizePx));
    const maxCy = this.clampRow(Math.floor((y + radiusPx) / this.cellSizePx));
    for (let cy = minCy; cy <= maxCy; cy++) {
      for (let cx = minCx; cx <= maxCx; cx++) {
        const cell = this.cells[cy * this.cols + cx]!;
        for (let i = 0; i < cell.length; i++) {
          const item = cell[i]!;
          const dx = item.x - x;
          const dy = item.y - y;
          if (dx * dx + dy * dy <= r2) out.push(item);
        }
      }
    }
    return out;
  }

  private cellOf(x: number, y: number): number {
    // Positions outside the map (which the world never stores) are clamped to the edge cells.
    const cx = this.clampCol(Math.floor(x / this.cellSizePx));
    const cy = this.clampRow(Math.floor(y / this.cellSizePx));
    return cy * this.cols + cx;
  }

  private clampCol(c: number): number {
    return !(c >= 0) ? 0 : c >= this.cols ? this.cols - 1 : c; // NaN goes to 0
  }

  private clampRow(r: number): number {
    return !(r >= 0) ? 0 : r >= this.rows ? this.rows - 1 : r;
  }

  private place(item: T, cellIndex: number): void {
    const cell = this.cells[cellIndex]!;
    item.gridCell = cellIndex;
    item.gridSlot = cell.length;
    cell.push(item);
  }

  private unplace(item: T): void {
    const cell = this.cells[item.gridCell]!;
    const last = cell.pop()!;
    if (last !== item) {
      cell[item.gridSlot] = last;
      last.gridSlot = item.gridSlot;
    }
  }
}
