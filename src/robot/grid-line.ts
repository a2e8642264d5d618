/**
 * Exact grid traversal of a segment (Amanatides & Woo): visits every cell the segment
 * passes through. Coordinates are continuous cell units: column, and row counted from
 * the top (cell (c, r) spans [c, c+1) × [r, r+1)). Where the segment passes exactly
 * through a cell corner, both side cells count as touched.
 */

/** True when no touched cell is blocked (cells outside the grid count as blocked). */
export function segmentClear(blocked: (col: number, row: number) => boolean, x0: number, y0: number, x1: number, y1: number): boolean {
  let cx = Math.floor(x0);
  let cy = Math.floor(y0);
  const ex = Math.floor(x1);
  const ey = Math.floor(y1);
  if (blocked(cx, cy)) return false;
  const dx = x1 - x0;
  const dy = y1 - y0;
  const stepX = Math.sign(dx);
  const stepY = Math.sign(dy);
  const tDeltaX = dx !== 0 ? Math.abs(1 / dx) : Infinity;
  const tDeltaY = dy !== 0 ? Math.abs(1 / dy) : Infinity;
  let tMaxX = dx > 0 ? (cx + 1 - x0) / dx : dx < 0 ? (x0 - cx) / -dx : Infinity;
  let tMaxY = dy > 0 ? (cy + 1 - y0) / dy : dy < 0 ? (y0 - cy) / -dy : Infinity;
  let steps = Math.abs(ex - cx) + Math.abs(ey - cy);
  while (steps > 0 && (cx !== ex || cy !== ey)) {
    const diff = tMaxX - tMaxY;
    if (Math.abs(diff) < 1e-12) {
      if (blocked(cx + stepX, cy) || blocked(cx, cy + stepY)) return false;
      cx += stepX;
      cy += stepY;
      tMaxX += tDeltaX;
      tMaxY += tDeltaY;
      steps -= 2;
    } else if (diff < 0) {
      cx += stepX;
      tMaxX += tDeltaX;
      steps--;
    } else {
      cy += stepY;
      tMaxY += tDeltaY;
      steps--;
    }
    if (blocked(cx, cy)) return false;
  }
  return !blocked(ex, ey);
}
