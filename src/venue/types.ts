import type { Pose2D } from '../robot/robot-port.ts';

/**
 * The venue as the rest of letan uses it (loaded and validated from
 * maps/<venue>/venue.json + one Nav2 map per floor by load-venue.ts).
 * Coordinates are the Nav2 map frame (metres); 3D scene coordinates are the same.
 */

/** A Nav2 occupancy grid (map_server semantics, trinary mode). */
export interface OccupancyGrid {
  readonly width: number;
  readonly height: number;
  /** metres per cell */
  readonly resolutionM: number;
  /** Pose of the lower-left pixel [x, y, yaw]. */
  readonly origin: readonly [number, number, number];
  /** Row-major from the TOP row of the image (as in the PGM); 0 free, 100 occupied, -1 unknown. */
  readonly cells: Int8Array;
}

export interface Floor {
  readonly id: string;
  readonly name: string;
  /** Absolute path of the floor's map.yaml. */
  readonly mapYamlPath: string;
  readonly grid: OccupancyGrid;
}

export interface Seat {
  /** `C-14`: row letter(s), dash, number. */
  readonly id: string;
  readonly row: string;
  readonly number: number;
  readonly pose: Pose2D;
}

export interface Row {
  /** Row letter(s), `A`, `B`, … */
  readonly id: string;
  readonly floor: string;
  readonly seats: readonly Seat[];
  /** Where the robot stops in the aisle to show a delegate their row. */
  readonly aislePose: Pose2D;
}

export type PoiKind = 'entrance' | 'reception-post' | 'lift' | 'restroom' | 'stage' | 'exit' | 'staff-desk';

export interface Poi {
  readonly id: string;
  readonly kind: PoiKind;
  readonly name: { readonly vi: string; readonly en: string };
  readonly pose: Pose2D;
}

export interface Zone {
  readonly id: string;
  readonly kind: 'keepout' | 'slow';
  readonly floor: string;
  /** Polygon in the map frame, metres. */
  readonly polygon: readonly (readonly [number, number])[];
  readonly maxSpeedMps?: number;
}

export interface Venue {
  readonly id: string;
  readonly name: { readonly vi: string; readonly en: string };
  /** Folder the venue was loaded from. */
  readonly dir: string;
  readonly floors: readonly Floor[];
  readonly rows: readonly Row[];
  readonly pois: readonly Poi[];
  readonly zones: readonly Zone[];
  seat(id: string): Seat | undefined;
  row(id: string): Row | undefined;
  /** The POI with this id, or the first POI of this kind. */
  poi(idOrKind: string): Poi | undefined;
  floor(id?: string): Floor;
}
