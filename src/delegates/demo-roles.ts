import type { Random } from './random.ts';
import type { Gender } from './vietnamese-names.ts';

/**
 * Titles and delegations of a ward Party congress, for demo data.
 * Delegations are listed in seating order: the standing committee's delegation sits in
 * front, then the armed forces, then the residential party cells, then the institutions.
 */
export interface Role {
  readonly title: string;
  readonly delegation: string;
  /** Probability that the holder is a woman. */
  readonly femaleShare: number;
}

type Office = readonly [title: string, femaleShare: number];
type PoolTitle = readonly [title: string, femaleShare: number, weight: number];

interface DelegationKind {
  readonly name: string;
  /** How often a delegate belongs here, relative to the others. */
  readonly weight: number;
  /** Held by one person each, by the first members drawn. */
  readonly offices: readonly Office[];
  /** Everyone else; `{k}` is replaced by a counter (residential group numbers). */
  readonly pool: readonly PoolTitle[];
}

const dcd = 'Đoàn đại biểu Đảng bộ Khối Dân chính Đảng';
const neighbourhoodCount = 12;

const kinds: readonly DelegationKind[] = [
  {
    name: dcd,
    weight: 12,
    offices: [['Phó Chủ tịch Ủy ban MTTQ Việt Nam phường', 0.5], ['Phó Chủ tịch Hội Liên hiệp Phụ nữ phường', 1], ['Phó Bí thư Đoàn TNCS Hồ Chí Minh phường', 0.5], ['Phó Chủ tịch Hội Cựu chiến binh phường', 0.05], ['Phó Chánh Văn phòng Đảng ủy phường', 0.5]],
    pool: [['Chuyên viên Văn phòng Đảng ủy phường', 0.5, 2], ['Công chức Văn phòng - Thống kê', 0.6, 1], ['Công chức Tư pháp - Hộ tịch', 0.6, 1], ['Công chức Địa chính - Xây dựng', 0.3, 1], ['Công chức Văn hóa - Xã hội', 0.6, 1], ['Công chức Tài chính - Kế toán', 0.7, 1]],
  },
  {
    name: 'Đoàn đại biểu Đảng bộ Công an phường',
    weight: 5,
    offices: [['Phó Trưởng Công an phường', 0.1], ['Phó Trưởng Công an phường', 0.1], ['Phó Trưởng Công an phường', 0.1]],
    pool: [['Cảnh sát khu vực', 0.1, 2], ['Cán bộ Công an phường', 0.2, 1]],
  },
  {
    name: 'Đoàn đại biểu Đảng bộ Quân sự phường',
    weight: 3,
    offices: [['Chính trị viên phó Ban Chỉ huy Quân sự phường', 0.05], ['Phó Chỉ huy trưởng Ban Chỉ huy Quân sự phường', 0.02]],
    pool: [['Trung đội trưởng dân quân cơ động', 0.02, 1], ['Cán bộ Ban Chỉ huy Quân sự phường', 0.1, 1]],
  },
  ...Array.from({ length: neighbourhoodCount }, (_, i): DelegationKind => {
    const n = i + 1;
    return {
      name: `Đoàn đại biểu Chi bộ khu phố ${n}`,
      weight: 5.5,
      offices: [[`Bí thư Chi bộ khu phố ${n}`, 0.35], [`Phó Bí thư Chi bộ khu phố ${n}`, 0.4], [`Trưởng khu phố ${n}`, 0.35], [`Trưởng Ban công tác Mặt trận khu phố ${n}`, 0.5], [`Chi hội trưởng Chi hội Phụ nữ khu phố ${n}`, 1], [`Chi hội trưởng Chi hội Cựu chiến binh khu phố ${n}`, 0.05]],
      pool: [[`Đảng viên Chi bộ khu phố ${n}`, 0.4, 3], [`Tổ trưởng tổ dân phố {k}, khu phố ${n}`, 0.5, 2]],
    };
  }),
  {
    name: 'Đoàn đại biểu Chi bộ Trường THCS Minh Khai',
    weight: 3,
    offices: [['Hiệu trưởng Trường THCS Minh Khai', 0.5], ['Phó Hiệu trưởng Trường THCS Minh Khai', 0.6], ['Tổng phụ trách Đội Trường THCS Minh Khai', 0.6]],
    pool: [['Giáo viên Trường THCS Minh Khai', 0.7, 1]],
  },
  {
    name: 'Đoàn đại biểu Chi bộ Trường Tiểu học Minh Khai',
    weight: 3,
    offices: [['Hiệu trưởng Trường Tiểu học Minh Khai', 0.6], ['Phó Hiệu trưởng Trường Tiểu học Minh Khai', 0.7]],
    pool: [['Giáo viên Trường Tiểu học Minh Khai', 0.8, 1]],
  },
  {
    name: 'Đoàn đại biểu Chi bộ Trạm Y tế phường',
    weight: 2,
    offices: [['Trưởng Trạm Y tế phường', 0.5]],
    pool: [['Bác sĩ Trạm Y tế phường', 0.6, 1], ['Y sĩ Trạm Y tế phường', 0.7, 1], ['Điều dưỡng Trạm Y tế phường', 0.8, 1]],
  },
];

export const delegationOrder: readonly string[] = kinds.map((k) => k.name);

/** The ward's leaders, one each, seated in the front rows in this order. */
export const leaderRoles: readonly Role[] = (
  [
    ['Bí thư Đảng ủy phường', dcd, 0.2],
    ['Phó Bí thư Thường trực Đảng ủy phường', dcd, 0.3],
    ['Phó Bí thư Đảng ủy, Chủ tịch UBND phường', dcd, 0.2],
    ['Chủ tịch HĐND phường', dcd, 0.3],
    ['Chủ tịch Ủy ban MTTQ Việt Nam phường', dcd, 0.4],
    ['Chủ nhiệm Ủy ban Kiểm tra Đảng ủy phường', dcd, 0.3],
    ['Phó Chủ tịch UBND phường', dcd, 0.3],
    ['Phó Chủ tịch UBND phường', dcd, 0.3],
    ['Phó Chủ tịch HĐND phường', dcd, 0.4],
    ['Trưởng Công an phường', 'Đoàn đại biểu Đảng bộ Công an phường', 0.05],
    ['Chỉ huy trưởng Ban Chỉ huy Quân sự phường', 'Đoàn đại biểu Đảng bộ Quân sự phường', 0.02],
    ['Trưởng Ban Xây dựng Đảng, Đảng ủy phường', dcd, 0.4],
    ['Chánh Văn phòng Đảng ủy phường', dcd, 0.5],
    ['Chủ tịch Hội Liên hiệp Phụ nữ phường', dcd, 1],
    ['Chủ tịch Hội Cựu chiến binh phường', dcd, 0.05],
    ['Bí thư Đoàn TNCS Hồ Chí Minh phường', dcd, 0.5],
  ] as const
).map(([title, delegation, femaleShare]) => ({ title, delegation, femaleShare }));

/** Draws the roles of `count` delegates who are not leaders, in draw order. */
export function memberRoles(count: number, random: Random): Role[] {
  const drawn = new Map<DelegationKind, number>();
  const numbered = new Map<string, number>();
  const roles: Role[] = [];
  for (let i = 0; i < count; i++) {
    const kind = random.weighted(kinds.map((k) => [k, k.weight] as const));
    const rank = drawn.get(kind) ?? 0;
    drawn.set(kind, rank + 1);
    const office = kind.offices[rank];
    if (office) {
      roles.push({ title: office[0], delegation: kind.name, femaleShare: office[1] });
      continue;
    }
    const [title, femaleShare] = random.weighted(kind.pool.map((p) => [p, p[2]] as const));
    const k = (numbered.get(title) ?? 0) + 1;
    numbered.set(title, k);
    roles.push({ title: title.replace('{k}', String(k)), delegation: kind.name, femaleShare });
  }
  return roles;
}

export function genderFor(role: Role, random: Random): Gender {
  return random.next() < role.femaleShare ? 'female' : 'male';
}
