import type { Venue } from '../venue/types.ts';

/** The venue as the kiosk's plan needs it: plain JSON, map frame coordinates (metres). */
export interface VenuePlan {
  readonly id: string;
  readonly name: { readonly vi: string; readonly en: string };
  readonly floors: readonly {
    readonly id: string;
    readonly name: string;
    readonly widthM: number;
    readonly heightM: number;
    readonly originX: number;
    readonly originY: number;
    readonly mapPng: string;
  }[];
  readonly seats: readonly { readonly id: string; readonly row: string; readonly floor: string; readonly x: number; readonly y: number }[];
  readonly rows: readonly { readonly id: string; readonly floor: string; readonly aisleX: number; readonly aisleY: number }[];
  readonly pois: readonly { readonly id: string; readonly kind: string; readonly name: { readonly vi: string; readonly en: string }; readonly x: number; readonly y: number; readonly floor: string }[];
}

export function venuePlan(venue: Venue): VenuePlan {
  const firstFloor = venue.floor().id;
  return {
    id: venue.id,
    name: venue.name,
    floors: venue.floors.map((f) => ({
      id: f.id,
      name: f.name,
      widthM: f.grid.width * f.grid.resolutionM,
      heightM: f.grid.height * f.grid.resolutionM,
      originX: f.grid.origin[0],
      originY: f.grid.origin[1],
      mapPng: `/api/venue/floors/${encodeURIComponent(f.id)}/map.png`,
    })),
    seats: venue.rows.flatMap((r) => r.seats.map((s) => ({ id: s.id, row: r.id, floor: r.floor, x: s.pose.x, y: s.pose.y }))),
    rows: venue.rows.map((r) => ({ id: r.id, floor: r.floor, aisleX: r.aislePose.x, aisleY: r.aislePose.y })),
    pois: venue.pois.map((p) => ({ id: p.id, kind: p.kind, name: p.name, x: p.pose.x, y: p.pose.y, floor: p.pose.floor ?? firstFloor })),
  };
}
