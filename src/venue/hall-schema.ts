import { Type, type Static } from '@sinclair/typebox';
import { PoiKindSchema } from './schema.ts';

/**
 * Schema of a hall description (maps/<venue>/hall.yaml), the human-written input of
 * `letan map build`. Metres, degrees; frame: x east, y north, origin at the south-west
 * outer corner of the hall.
 */

const Id = Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_-]+$' });
const Metres = Type.Number();
const Point = Type.Tuple([Metres, Metres]);
const Bilingual = Type.Object({ vi: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) }, { additionalProperties: false });

export const HallPose = Type.Object({ x: Metres, y: Metres, yaw_deg: Type.Number() }, { additionalProperties: false });

export const HallDescription = Type.Object(
  {
    id: Id,
    name: Bilingual,
    floor: Type.Object({ id: Id, name: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
    resolution_m: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
    size_m: Type.Tuple([Type.Number({ exclusiveMinimum: 0, maximum: 500 }), Type.Number({ exclusiveMinimum: 0, maximum: 500 })]),
    wall_thickness_m: Type.Number({ exclusiveMinimum: 0 }),
    walls: Type.Array(Type.Object({ id: Id, from: Point, to: Point }, { additionalProperties: false })),
    openings: Type.Array(Type.Object({ id: Id, from: Point, to: Point }, { additionalProperties: false })),
    obstacles: Type.Array(
      Type.Object({ id: Id, rect: Type.Tuple([Metres, Metres, Metres, Metres]) }, { additionalProperties: false }),
    ),
    seating: Type.Object(
      {
        rows: Type.Integer({ minimum: 1, maximum: 52 }),
        front_x_m: Metres,
        row_pitch_m: Type.Number({ exclusiveMinimum: 0 }),
        chair_depth_m: Type.Number({ exclusiveMinimum: 0 }),
        seat_width_m: Type.Number({ exclusiveMinimum: 0 }),
        blocks: Type.Array(Type.Object({ left_y_m: Metres, seats: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), {
          minItems: 1,
        }),
        aisle: Type.Object({ y_m: Metres, yaw_deg: Type.Number() }, { additionalProperties: false }),
      },
      { additionalProperties: false },
    ),
    pois: Type.Array(
      Type.Object(
        {
          id: Id,
          kind: PoiKindSchema,
          name: Bilingual,
          pose: HallPose,
        },
        { additionalProperties: false },
      ),
    ),
    zones: Type.Array(
      Type.Object(
        {
          id: Id,
          kind: Type.Union([Type.Literal('keepout'), Type.Literal('slow')]),
          polygon: Type.Array(Point, { minItems: 3 }),
          max_speed_mps: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type HallDescription = Static<typeof HallDescription>;
