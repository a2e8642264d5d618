import { Type, type Static } from '@sinclair/typebox';

/** Schemas of the files a venue folder holds (maps/<venue>/): venue.json and each floor's Nav2 map.yaml. */

export const PoiKindSchema = Type.Union([
  Type.Literal('entrance'),
  Type.Literal('reception-post'),
  Type.Literal('lift'),
  Type.Literal('restroom'),
  Type.Literal('stage'),
  Type.Literal('exit'),
  Type.Literal('staff-desk'),
]);

const Id = Type.String({ minLength: 1 });
const Finite = Type.Number();
const Bilingual = Type.Object({ vi: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) });

/** A pose in venue.json: metres, yaw in radians. */
export const VenuePose = Type.Object({ x: Finite, y: Finite, yaw: Finite });

export const VenueFile = Type.Object({
  id: Id,
  name: Bilingual,
  floors: Type.Array(Type.Object({ id: Id, name: Type.String(), map: Type.String({ minLength: 1 }) }), { minItems: 1 }),
  rows: Type.Array(
    Type.Object({
      id: Id,
      floor: Id,
      aisle_pose: VenuePose,
      seats: Type.Array(
        Type.Object({ id: Id, number: Type.Integer({ minimum: 1 }), x: Finite, y: Finite, yaw: Finite }),
        { minItems: 1 },
      ),
    }),
  ),
  pois: Type.Array(Type.Object({ id: Id, kind: PoiKindSchema, name: Bilingual, floor: Id, x: Finite, y: Finite, yaw: Finite })),
  zones: Type.Array(
    Type.Object({
      id: Id,
      kind: Type.Union([Type.Literal('keepout'), Type.Literal('slow')]),
      floor: Id,
      polygon: Type.Array(Type.Tuple([Finite, Finite]), { minItems: 3 }),
      max_speed_mps: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    }),
  ),
});
export type VenueFile = Static<typeof VenueFile>;

/** Nav2 map_server's map.yaml (only trinary mode is supported). */
export const MapYaml = Type.Object({
  image: Type.String({ minLength: 1 }),
  resolution: Type.Number({ exclusiveMinimum: 0 }),
  origin: Type.Tuple([Finite, Finite, Finite]),
  negate: Type.Union([Type.Literal(0), Type.Literal(1)]),
  occupied_thresh: Type.Number({ minimum: 0, maximum: 1 }),
  free_thresh: Type.Number({ minimum: 0, maximum: 1 }),
  mode: Type.Optional(Type.Literal('trinary')),
});
export type MapYaml = Static<typeof MapYaml>;
